from django.urls import path

from reports import moderation_views

app_name = "moderation"

urlpatterns = [
    path("consultations/<slug:slug>/quotes/", moderation_views.quotes, name="quotes"),
]
