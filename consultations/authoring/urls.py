"""The secretariat's consultation pages: consultations, questions, meetings and monitoring."""

from django.urls import include, path

from consultations.authoring import monitoring
from consultations.authoring import views as authoring

authoring_patterns = [
    path("", authoring.consultation_list, name="consultations"),
    path("consultations/new/", authoring.consultation_create, name="consultation_create"),
    path("consultations/<slug:slug>/", authoring.consultation_detail, name="consultation"),
    path("consultations/<slug:slug>/edit/", authoring.consultation_edit, name="consultation_edit"),
    path("consultations/<slug:slug>/copy/", authoring.consultation_copy, name="consultation_copy"),
    path(
        "consultations/<slug:slug>/preview/<str:language>/", authoring.consultation_preview, name="consultation_preview"
    ),
    path("consultations/<slug:slug>/questions/new/", authoring.question_create, name="question_create"),
    path("consultations/<slug:slug>/questions/<int:position>/", authoring.question_edit, name="question_edit"),
    path(
        "consultations/<slug:slug>/questions/<int:position>/delete/", authoring.question_delete, name="question_delete"
    ),
    path("consultations/<slug:slug>/questions/<int:position>/move/", authoring.question_move, name="question_move"),
    path("meetings/", authoring.meeting_list, name="meetings"),
    path("meetings/new/", authoring.meeting_create, name="meeting_create"),
    path("meetings/<int:number>/", authoring.meeting_edit, name="meeting_edit"),
]

monitoring_patterns = [
    path("consultations/<slug:slug>/monitor/", monitoring.consultation, name="consultation"),
]

urlpatterns = [
    path("", include((authoring_patterns, "authoring"))),
    path("", include((monitoring_patterns, "monitoring"))),
]
