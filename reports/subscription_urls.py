"""Comments on drafts and email subscriptions. Included before reports.document_urls, so
these paths under documents/ win over a document's own <slug>/ addresses."""

from django.urls import path

from reports import subscription_views as views

app_name = "subscriptions"

urlpatterns = [
    path("documents/subscribe/", views.subscribe, name="subscribe"),
    path("documents/subscribe/check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("documents/subscribe/confirmed/", views.confirmed, name="confirmed"),
    path("documents/subscribe/confirm/<str:secret>/", views.confirm, name="confirm"),
    path("documents/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("documents/<slug:slug>/comments/", views.document_comments, name="comments"),
    path("documents/<slug:slug>/comments.csv", views.document_comments_csv, name="comments_csv"),
]
