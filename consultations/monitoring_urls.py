from django.urls import path

from consultations import monitoring

app_name = "monitoring"

urlpatterns = [
    path("consultations/<slug:slug>/monitor/", monitoring.consultation, name="consultation"),
]
