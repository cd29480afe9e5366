"""The secretariat's document pages: list, create, manage (files, publish, supersede,
withdraw) and publish a closed consultation's results as a document.

The manage page offers only the actions the document allows in its state (Document.can_upload,
can_publish, can_supersede, can_withdraw). Every write goes through reports.documents.services
or reports.documents.results_report; a refusal is shown beside its field and nothing is
half-written; a success is a message and a redirect.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import secretariat_required
from consultations.models import Consultation
from cop_site.languages import current_language
from reports.documents import services as documents
from reports.documents.results_report import results_document_check, results_document_publish
from reports.documents.secretariat_forms import (
    DocumentForm,
    PublishForm,
    ResultsForm,
    SupersedeForm,
    UploadForm,
    WithdrawForm,
)
from reports.documents.selectors import language_of
from reports.models import Document, DocumentFile


def _document_or_404(slug: str) -> Document:
    return get_object_or_404(Document.objects.select_related("meeting", "supersedes", "consultation"), slug=slug)


@secretariat_required
@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    found = (
        Document.objects.select_related("meeting", "superseded_by")
        .prefetch_related(Prefetch("files", queryset=DocumentFile.objects.filter(is_current=True).order_by()))
        .order_by("-meeting__starts_on", "symbol")
    )
    order = {code: i for i, code in enumerate(settings.LANGUAGE_CODES)}
    rows = [(document, sorted((f.language for f in document.files.all()), key=order.__getitem__)) for document in found]
    return render(request, "reports/secretariat/documents/list.html", {"rows": rows, "language": current_language()})


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_create(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = documents.document_create(**form.values())
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            messages.success(request, _("%(symbol)s was created. Now upload its files.") % {"symbol": document.symbol})
            return redirect("document_admin:document", document.slug)
    return render(request, "reports/secretariat/documents/form.html", {"form": form})


def _manage_page(request: HttpRequest, document: Document, **forms: Any) -> HttpResponse:
    """The manage page, with the form that was just sent (and its errors) in place of a blank one."""
    errored = next((form for form in forms.values() if form.is_bound and form.errors), None)
    versions = list(document.files.select_related("uploaded_by").order_by("language", "-version"))
    files = [
        {
            "code": one.code,
            "name": one.name,
            "bidi": one.bidi,
            "versions": [f for f in versions if f.language == one.code],
        }
        for one in map(language_of, settings.LANGUAGE_CODES)
    ]
    superseded_by = Document.objects.filter(supersedes=document).first()
    language = current_language()
    context = {
        "document": document,
        "title": document.title_in(language),
        "language": language,
        "files": files,
        "has_files": any(f.is_current for f in versions),
        "superseded_by": superseded_by,
        "public_url": reverse("documents:detail", args=[document.slug]),
        "form": errored,
        "upload_form": forms.get("upload_form") or UploadForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "supersede_form": forms.get("supersede_form") or SupersedeForm(document=document),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }
    return render(request, "reports/secretariat/documents/manage.html", context)


@secretariat_required
@require_safe
def document_manage(request: HttpRequest, slug: str) -> HttpResponse:
    return _manage_page(request, _document_or_404(slug))


@secretariat_required
@require_POST
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document_or_404(slug)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = documents.document_file_add(
                document=document,
                language=form.cleaned_data["language"],
                uploaded=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            messages.success(
                request,
                _("The file in %(language)s was uploaded as version %(version)d.")
                % {"language": get_language_info(added.language)["name_translated"], "version": added.version},
            )
            return redirect(reverse("document_admin:document", args=[document.slug]) + "#files")
    return _manage_page(request, document, upload_form=form)


@secretariat_required
@require_POST
def document_publish(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document_or_404(slug)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            published = documents.document_publish(
                document=document, for_comment_until=form.cleaned_data["for_comment_until"]
            )
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            if published.status == Document.Status.FOR_COMMENT:
                message = _("%(symbol)s is published as a draft for comment.") % {"symbol": published.symbol}
            else:
                message = _("%(symbol)s is published.") % {"symbol": published.symbol}
            messages.success(request, message)
            return redirect("document_admin:document", document.slug)
    return _manage_page(request, document, publish_form=form)


@secretariat_required
@require_POST
def document_supersede(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document_or_404(slug)
    form = SupersedeForm(request.POST, document=document)
    if form.is_valid():
        draft = form.cleaned_data["draft"]
        try:
            documents.document_supersede(draft=draft, final=document)
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            messages.success(
                request,
                _("%(final)s now replaces the draft %(draft)s, which stays available, marked as replaced.")
                % {"final": document.symbol, "draft": draft.symbol},
            )
            return redirect("document_admin:document", document.slug)
    return _manage_page(request, document, supersede_form=form)


@secretariat_required
@require_POST
def document_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document_or_404(slug)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            documents.document_withdraw(document=document, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            messages.success(request, _("%(symbol)s is withdrawn.") % {"symbol": document.symbol})
            return redirect("document_admin:document", document.slug)
    return _manage_page(request, document, withdraw_form=form)


@secretariat_required
@require_safe
def document_file(request: HttpRequest, slug: str, file_id: int) -> HttpResponseBase:
    """Any version, current or earlier, for the secretariat to check what was uploaded."""
    document_file = get_object_or_404(DocumentFile.objects.select_related("document"), pk=file_id, document__slug=slug)
    try:
        stream = document_file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{document_file.document.slug}-{document_file.language}-v{document_file.version}.{document_file.extension}"
    return FileResponse(stream, as_attachment=True, filename=name, content_type=document_file.content_type)


def _suggested_symbol(consultation: Consultation) -> str:
    meeting = consultation.meeting
    if meeting is None:
        return ""
    n = Document.objects.filter(meeting=meeting).count() + 1
    while Document.objects.filter(symbol=f"CWG-COP/{meeting.number}/{n}").exists():
        n += 1
    return f"CWG-COP/{meeting.number}/{n}"


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def results_publish(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation.objects.with_content().select_related("meeting"), slug=slug)
    initial = {
        "meeting": consultation.meeting.number if consultation.meeting else None,
        "symbol": _suggested_symbol(consultation),
    }
    form = ResultsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = results_document_publish(
                consultation=consultation,
                meeting=form.cleaned_data["meeting"],
                symbol=form.cleaned_data["symbol"],
                user=request.user,
            )
        except ValidationError as refused:
            form.add_service_error(refused)
        else:
            messages.success(
                request,
                _("The results are published as %(symbol)s, with one spreadsheet per language.")
                % {"symbol": document.symbol},
            )
            return redirect("document_admin:document", document.slug)
    problem = ""
    try:
        results_document_check(consultation=consultation)
    except ValidationError as refused:
        problem = " ".join(refused.messages)
    language = current_language()
    return render(
        request,
        "reports/secretariat/documents/results.html",
        {
            "consultation": consultation,
            "title": consultation.title_for_viewer(language),
            "form": form,
            "problem": problem,
            "languages": consultation.languages(),
        },
    )
