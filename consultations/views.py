from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_countries import countries

from consultations import ratelimit, selectors
from consultations.forms import ResponseForm
from consultations.models import Consultation
from consultations.services import ConsultationClosed, DuplicateSubmission, response_submit
from consultations.tokens import TokenError, TokenExpired, issue_form_token, read_form_token
from cop_site.languages import current_language


def _consultation_or_404(slug: str) -> Consultation:
    return get_object_or_404(Consultation.objects.with_content().select_related("meeting"), slug=slug)


def _not_in_language(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    return render(
        request,
        "consultations/not_in_language.html",
        {"consultation": consultation, "languages": consultation.languages()},
        status=404,
    )


def _unavailable(request: HttpRequest, consultation: Consultation, status: int = 200) -> HttpResponse:
    return render(request, "consultations/unavailable.html", {"consultation": consultation}, status=status)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    offered, elsewhere = selectors.consultations_open_in(current_language())
    return render(request, "consultations/home.html", {"consultations": offered, "elsewhere": elsewhere})


@require_safe
def consultation_start(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation_or_404(slug)
    if not consultation.is_offered_in(current_language()):
        return _not_in_language(request, consultation)
    return render(
        request,
        "consultations/start.html",
        {
            "consultation": consultation,
            "intro": consultation.introduction_in(current_language()),
            "question_count": len(consultation.ordered_questions()),
        },
    )


def _render_form(request: HttpRequest, form: ResponseForm, status: int = 200, notice: str = "") -> HttpResponse:
    context = {
        "consultation": form.consultation,
        "form": form,
        "blocks": form.blocks(),
        "error_summary": form.error_summary() if form.is_bound else [],
        "notice": notice,
        "switch_form": "answer-form",
    }
    return render(request, "consultations/answer.html", context, status=status)


# Answering needs no CSRF cookie: nobody is logged in, so there is no authority for a
# forged request to borrow, and each form carries its own signed single-use token. Without
# it, a browser that blocks cookies would lose a young person's answers on submit.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_answer(request: HttpRequest, slug: str) -> HttpResponse:
    language = current_language()
    consultation = _consultation_or_404(slug)
    if not consultation.is_offered_in(language):
        return _not_in_language(request, consultation)
    if request.method == "POST" and not _body_within_limit(request):
        return render(request, "400.html", status=400)
    if request.method == "POST" and "switch_language" in request.POST:
        return _switch_language(request, consultation, language)
    if not consultation.is_open():
        return _unavailable(request, consultation, status=410 if request.method == "POST" else 200)

    if request.method != "POST":
        form = ResponseForm(
            initial={"token": issue_form_token(consultation.pk)}, consultation=consultation, language=language
        )
        return _render_form(request, form)

    form = ResponseForm(request.POST, consultation=consultation, language=language)
    if not form.is_valid():
        if "token" in form.errors:
            return _render_form(request, _with_fresh_token(request, consultation, language), notice="expired")
        return _render_form(request, form)
    try:
        token = read_form_token(form.cleaned_data["token"], consultation.pk)
    except (TokenExpired, TokenError):
        return _render_form(request, _with_fresh_token(request, consultation, language), notice="expired")
    demographics = form.demographics()
    if selectors.form_token_spent(token):
        # A double click, a reload or a back-and-resubmit: thank them again, store nothing.
        return _thank_you(request, consultation, demographics["country"], form.cleaned_data["token"])
    if form.unknown_questions(request.POST):
        # The questions changed while this form was open: never drop answers silently.
        return _render_form(request, form, notice="changed")
    if ratelimit.submissions_exceeded(request):
        return _render_form(request, form, status=429, notice="rate_limited")

    try:
        response_submit(
            consultation=consultation, token=token, language=language, answers=form.answers(), **demographics
        )
    except DuplicateSubmission:
        pass  # the same form raced itself: the first one was stored
    except ConsultationClosed:
        return _unavailable(request, consultation, status=410)
    else:
        ratelimit.record_submission(request)
    return _thank_you(request, consultation, demographics["country"], form.cleaned_data["token"])


def _body_within_limit(request: HttpRequest) -> bool:
    # Django bounds form fields, not file parts; the form has no file field, so the whole
    # body is bounded before anything is read, and uploads never reach the disk.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return False
    return 0 <= length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _switch_language(request: HttpRequest, consultation: Consultation, language: str) -> HttpResponse:
    """The language switcher inside a form: show the same answers in another language.

    Nothing is validated or stored. After sending, the switcher on the thank-you page posts
    the spent token, and the visitor is thanked again in the new language.
    """
    token_value = request.POST.get("token", "")
    try:
        token = read_form_token(token_value, consultation.pk)
    except TokenExpired:
        token = None
    except TokenError:
        token = None
        token_value = ""
    if token and selectors.form_token_spent(token):
        country = request.POST.get("country", "")
        return _thank_you(request, consultation, country if country in countries else "", token_value)
    if not consultation.is_open():
        return _unavailable(request, consultation)
    form = ResponseForm(
        initial={"token": token_value or issue_form_token(consultation.pk)},
        consultation=consultation,
        language=language,
    )
    form.carry_over(request.POST)
    return _render_form(request, form)


def _with_fresh_token(request: HttpRequest, consultation: Consultation, language: str) -> ResponseForm:
    data = request.POST.copy()
    data["token"] = issue_form_token(consultation.pk)
    form = ResponseForm(data, consultation=consultation, language=language)
    form.is_valid()
    return form


def _thank_you(request: HttpRequest, consultation: Consultation, country: str, token: str) -> HttpResponse:
    share_url = request.build_absolute_uri(reverse("consultations:start", args=[consultation.slug]))
    return render(
        request,
        "consultations/thanks.html",
        {
            "consultation": consultation,
            "helplines": selectors.helplines_for(country),
            "country_name": countries.name(country) if country else "",
            "directory_url": settings.CHILD_HELPLINE_DIRECTORY_URL,
            "share_url": share_url,
            "share_text": consultation.title_in(current_language()),
            # For the language switcher, which re-posts the spent token (see _switch_language).
            "switch_form": "switch-form",
            "token": token,
            "country": country,
        },
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "consultations/privacy.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
