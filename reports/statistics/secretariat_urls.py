"""The secretariat's statistics pages: releases, the quote moderation queue and record-level exports."""

from django.urls import include, path

from reports.statistics import export_views, moderation_views, release_views

moderation = [
    path("consultations/<slug:slug>/quotes/", moderation_views.quotes, name="quotes"),
]
exports = [
    path("consultations/<slug:slug>/exports/", export_views.consultation_exports, name="consultation"),
    path("exports/<int:export_id>/download/", export_views.download, name="download"),
]

releases = [
    path("consultations/<slug:slug>/releases/", release_views.consultation_releases, name="consultation"),
]

urlpatterns = [
    path("", include((releases, "releases"))),
    path("", include((moderation, "moderation"))),
    path("", include((exports, "exports"))),
]
