"""The secretariat's statistics pages: the quote moderation queue and record-level exports."""

from django.urls import include, path

from reports.statistics import export_views, moderation_views

moderation = [
    path("consultations/<slug:slug>/quotes/", moderation_views.quotes, name="quotes"),
]
exports = [
    path("consultations/<slug:slug>/exports/", export_views.consultation_exports, name="consultation"),
    path("exports/<int:export_id>/download/", export_views.download, name="download"),
]

urlpatterns = [
    path("", include((moderation, "moderation"))),
    path("", include((exports, "exports"))),
]
