from django.urls import path

from reports.statistics import views

app_name = "reports"

urlpatterns = [
    path("results/", views.results_index, name="index"),
    path("results/methodology/", views.methodology, name="methodology"),
    path("results/api/", views.api_documentation, name="api_documentation"),
    path("results/<slug:slug>/", views.results, name="results"),
    path("results/<slug:slug>/download.<str:fmt>", views.results_download, name="download"),
    path("api/v1/results/<slug:slug>/", views.results_api, name="api"),
    path("api/v1/schema.json", views.api_schema, name="api_schema"),
]
