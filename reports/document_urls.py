from django.urls import path

from reports import document_views as views
from reports.feeds import DocumentsFeed, MeetingDocumentsFeed

app_name = "documents"

# The feeds come first: no document's slug can then shadow them.
urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/feed/", DocumentsFeed(), name="feed"),
    path("documents/meetings/<int:number>/feed/", MeetingDocumentsFeed(), name="meeting_feed"),
    path("documents/<str:slug>/", views.document_detail, name="detail"),
    path("documents/<str:slug>/<str:file_language>/", views.document_download, name="download"),
    path("documents/<str:slug>/<str:file_language>/v<int:version>/", views.document_download, name="version"),
]
