"""The secretariat's authoring pages: consultations, their questions and meetings.

No Django admin here: nobody should meet a raw id or a foreign-key widget. Every write goes
through consultations.authoring.services; every page works without JavaScript.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import AuthenticatedHttpRequest, secretariat_required
from consultations.authoring import services
from consultations.authoring.forms import BLANK_CHOICE_ROWS, ConsultationForm, MeetingForm, QuestionForm
from consultations.authoring.history import consultation_changes
from consultations.forms import ResponseForm
from consultations.models import Consultation, Meeting, Question
from consultations.translation import is_needed
from cop_site.languages import current_language


def _consultation_or_404(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.for_secretariat(), slug=slug)


def _question_or_404(consultation: Consultation, position: int) -> Question:
    for question in consultation.ordered_questions():
        if question.position == position:
            question.consultation = consultation
            return question
    raise Http404


def _warn(request: HttpRequest, consultation: Consultation) -> None:
    for warning in consultation.schedule_warnings():
        messages.warning(request, warning)


@secretariat_required
@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = Consultation.objects.for_secretariat().order_by("-opens_at")
    return render(
        request,
        "secretariat/consultation_list.html",
        {"consultations": consultations, "language": current_language()},
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = services.consultation_create(author=request.user, **form.values())
        messages.success(request, _("The consultation was created. Now add its questions."))
        _warn(request, consultation)
        return redirect("authoring:consultation", consultation.slug)
    return render(request, "secretariat/consultation_form.html", {"form": form, "consultation": None})


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation_or_404(slug)
    form = ConsultationForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        consultation = services.consultation_update(consultation=consultation, author=request.user, **form.values())
        messages.success(request, _("Your changes were saved."))
        _warn(request, consultation)
        return redirect("authoring:consultation", consultation.slug)
    return render(
        request,
        "secretariat/consultation_form.html",
        {"form": form, "consultation": consultation, "warnings": consultation.schedule_warnings()},
    )


@secretariat_required
@require_safe
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation_or_404(slug)
    language = current_language()
    return render(
        request,
        "secretariat/consultation_detail.html",
        {
            "consultation": consultation,
            "title": consultation.title_for_viewer(language),
            "public_url": request.build_absolute_uri(reverse("consultations:start", args=[consultation.slug])),
            "locked": consultation.is_locked(),
            "questions": consultation.ordered_questions(),
            "language": language,
            "completeness": _completeness(consultation),
            "warnings": consultation.schedule_warnings(),
            "changes": consultation_changes(consultation, language),
        },
    )


def _completeness(consultation: Consultation) -> list[tuple[str, bool, list[str] | None]]:
    """(language, complete?, missing texts), with None for "nothing written in it yet"."""
    needed = sum(1 for _name, value in consultation.texts() if is_needed(value))
    rows = []
    for code, complete in consultation.completeness():
        missing = consultation.missing_texts(code)
        rows.append((code, complete, None if needed and len(missing) == needed else missing))
    return rows


@secretariat_required
@require_POST
def consultation_copy(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    original = _consultation_or_404(slug)
    copy = services.consultation_copy(consultation=original, author=request.user)
    messages.success(
        request,
        _("This is a copy of “%(title)s”, with all its questions. Check its address and dates, then save.")
        % {"title": original.title_for_viewer(current_language())},
    )
    return redirect("authoring:consultation_edit", copy.slug)


# The preview stores nothing and spends no token, so, like the answering page it imitates,
# its form needs no CSRF token (consultations/answer.html carries none).
@csrf_exempt
@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_preview(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    if language not in settings.LANGUAGE_CODES:
        raise Http404
    consultation = _consultation_or_404(slug)
    # The banner stays in the reader's own language; the page around it is the preview's.
    viewer_language = current_language()
    with translation.override(language):
        form = ResponseForm(
            request.POST or None, initial={"token": "preview"}, consultation=consultation, language=language
        )
        accepted = request.method == "POST" and form.is_valid()
        return render(
            request,
            "secretariat/preview.html",
            {
                "consultation": consultation,
                "form": form,
                "blocks": form.blocks(),
                "error_summary": form.error_summary() if form.is_bound else [],
                "notice": "",
                "form_action": request.path,
                "preview_language": language,
                "offered": consultation.is_offered_in(language),
                "accepted": accepted,
                "languages": settings.LANGUAGE_CODES,
                "viewer_language": viewer_language,
                "viewer_dir": "rtl" if translation.get_language_info(viewer_language)["bidi"] else "ltr",
            },
        )


def _question_page(request: HttpRequest, consultation: Consultation, form: QuestionForm, **extra: Any) -> HttpResponse:
    return render(
        request,
        "secretariat/question_form.html",
        {
            "consultation": consultation,
            "title": consultation.title_for_viewer(current_language()),
            "form": form,
            "locked": consultation.is_locked(),
            **extra,
        },
    )


def _carried_over(request: HttpRequest) -> dict[str, Any]:
    """The posted values as initial values, for "Add more choices" (nothing validated yet)."""
    initial: dict[str, Any] = request.POST.dict()
    initial["required"] = "required" in request.POST
    return initial


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation_or_404(slug)
    if "add_rows" in request.POST:
        form = QuestionForm(initial=_carried_over(request), extra_rows=BLANK_CHOICE_ROWS)
        return _question_page(request, consultation, form, question=None)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(consultation=consultation, author=request.user, **form.values())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Question %(number)d was added.") % {"number": question.position})
            return redirect("authoring:consultation", consultation.slug)
    return _question_page(request, consultation, form, question=None)


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: AuthenticatedHttpRequest, slug: str, position: int) -> HttpResponse:
    consultation = _consultation_or_404(slug)
    question = _question_or_404(consultation, position)
    locked = consultation.is_locked()
    if "add_rows" in request.POST:
        form = QuestionForm(
            initial=_carried_over(request), question=question, locked=locked, extra_rows=BLANK_CHOICE_ROWS
        )
        return _question_page(request, consultation, form, question=question)
    form = QuestionForm(request.POST or None, question=question, locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, author=request.user, **form.values())
        except ValidationError as error:
            form.add_service_errors(error)
        except services.ConsultationLocked as refusal:
            return _question_page(request, consultation, form, question=question, refusal=str(refusal))
        else:
            messages.success(request, _("Question %(number)d was saved.") % {"number": question.position})
            return redirect("authoring:consultation", consultation.slug)
    return _question_page(request, consultation, form, question=question)


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_delete(request: AuthenticatedHttpRequest, slug: str, position: int) -> HttpResponse:
    """A POST from the consultation page asks to confirm; the confirmation's POST deletes."""
    consultation = _consultation_or_404(slug)
    question = _question_or_404(consultation, position)
    if request.method == "POST" and "confirm" in request.POST:
        try:
            services.question_delete(question=question, author=request.user)
        except services.ConsultationLocked as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Question %(number)d was deleted.") % {"number": position})
        return redirect("authoring:consultation", consultation.slug)
    return render(
        request,
        "secretariat/question_delete.html",
        {
            "consultation": consultation,
            "question": question,
            "question_text": question.text_in(current_language()) or str(question),
            "locked": consultation.is_locked(),
        },
    )


_DIRECTIONS: dict[str, Literal["up", "down"]] = {"up": "up", "down": "down"}


@secretariat_required
@require_POST
def question_move(request: AuthenticatedHttpRequest, slug: str, position: int) -> HttpResponse:
    consultation = _consultation_or_404(slug)
    question = _question_or_404(consultation, position)
    direction = _DIRECTIONS.get(request.POST.get("direction", ""))
    if direction is None:
        return render(request, "400.html", status=400)
    try:
        services.question_move(question=question, direction=direction, author=request.user)
    except services.ConsultationLocked as refusal:
        messages.error(request, str(refusal))
    return redirect(reverse("authoring:consultation", args=[consultation.slug]) + "#questions")


@secretariat_required
@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.order_by("-starts_on").prefetch_related("consultations")
    return render(request, "secretariat/meeting_list.html", {"meetings": meetings, "language": current_language()})


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(**form.values())
        messages.success(request, _("%(meeting)s was added.") % {"meeting": meeting})
        return redirect("authoring:meetings")
    return render(request, "secretariat/meeting_form.html", {"form": form, "meeting": None})


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request: HttpRequest, number: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, number=number)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_update(meeting=meeting, **form.values())
        messages.success(request, _("%(meeting)s was saved.") % {"meeting": meeting})
        return redirect("authoring:meetings")
    return render(request, "secretariat/meeting_form.html", {"form": form, "meeting": meeting})
