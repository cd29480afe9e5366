"""Meeting documents' public addresses: the list, feeds, subscriptions, comments on drafts,
each document's page and its files. No login, but for comments.

Order matters only here: the fixed paths under documents/ come before a document's own
<slug>/ addresses, so that no document's slug can shadow them.
"""

from django.urls import path

from reports.documents import subscription_views, views
from reports.documents.feeds import DocumentsFeed, MeetingDocumentsFeed

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/feed/", DocumentsFeed(), name="feed"),
    path("documents/meetings/<int:number>/feed/", MeetingDocumentsFeed(), name="meeting_feed"),
    path("documents/subscribe/", subscription_views.subscribe, name="subscribe"),
    path("documents/subscribe/check-your-inbox/", subscription_views.check_inbox, name="check_inbox"),
    path("documents/subscribe/confirmed/", subscription_views.confirmed, name="confirmed"),
    path("documents/subscribe/confirm/<str:secret>/", subscription_views.confirm, name="confirm"),
    path("documents/unsubscribe/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
    path("documents/<slug:slug>/comments/", views.document_comments, name="comments"),
    path("documents/<slug:slug>/comments.csv", views.document_comments_csv, name="comments_csv"),
    path("documents/<str:slug>/", views.document_detail, name="detail"),
    path("documents/<str:slug>/<str:file_language>/", views.document_download, name="download"),
    path("documents/<str:slug>/<str:file_language>/v<int:version>/", views.document_download, name="version"),
]
