from django.urls import path

from reports.statistics import views

app_name = "reports"

# A consultation's results address shows its latest release; each release also has its own
# stable address, which never changes what it shows.
urlpatterns = [
    path("results/", views.results_index, name="index"),
    path("results/methodology/", views.methodology, name="methodology"),
    path("results/api/", views.api_documentation, name="api_documentation"),
    path("results/<slug:slug>/", views.results, name="results"),
    path("results/<slug:slug>/download.<str:fmt>", views.results_download, name="download"),
    path("results/<slug:slug>/releases/<int:number>/", views.results, name="release"),
    path(
        "results/<slug:slug>/releases/<int:number>/download.<str:fmt>", views.results_download, name="release_download"
    ),
    path("api/v1/results/<slug:slug>/", views.results_api, name="api"),
    path("api/v1/results/<slug:slug>/releases/<int:number>/", views.results_api, name="release_api"),
    path("api/v1/schema.json", views.api_schema, name="api_schema"),
]
