from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("invitations/", views.invitations, name="invitations"),
    path("two-factor-required/", views.mfa_required, name="mfa_required"),
]
