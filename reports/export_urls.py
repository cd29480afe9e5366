from django.urls import path

from reports import export_views

app_name = "exports"

urlpatterns = [
    path("consultations/<slug:slug>/exports/", export_views.consultation_exports, name="consultation"),
    path("exports/<int:export_id>/download/", export_views.download, name="download"),
]
