from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.home, name="home"),
    path("consultations/<slug:slug>/", views.consultation_start, name="start"),
    path("consultations/<slug:slug>/answer/", views.consultation_answer, name="answer"),
    path("privacy/", views.privacy, name="privacy"),
]
