from django.urls import path

from reports.documents import secretariat_views as views

app_name = "document_admin"

urlpatterns = [
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="create"),
    # Before "documents/<slug>/…": a consultation's slug never reaches the document views.
    path("documents/results/<slug:slug>/", views.results_publish, name="results"),
    path("documents/<slug:slug>/", views.document_manage, name="document"),
    path("documents/<slug:slug>/upload/", views.document_upload, name="upload"),
    path("documents/<slug:slug>/publish/", views.document_publish, name="publish"),
    path("documents/<slug:slug>/supersede/", views.document_supersede, name="supersede"),
    path("documents/<slug:slug>/withdraw/", views.document_withdraw, name="withdraw"),
    path("documents/<slug:slug>/files/<int:file_id>/", views.document_file, name="file"),
]
