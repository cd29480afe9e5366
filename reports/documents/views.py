"""Public meeting documents: the list, a document's page and its files. No login, ever.

An unpublished draft is a 404 for everyone, the Secretariat included (they see drafts in their
own pages). A withdrawn document answers 410 Gone with when and why, on its page and on
every file address, so that a link to it never turns into a silent 404.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import member_state_or_secretariat_required, secretariat_required
from accounts.roles import is_secretariat
from cop_site.forms import ErrorSummaryMixin
from cop_site.languages import current_language
from cop_site.spreadsheets import csv_text
from reports.documents import comments, selectors
from reports.models import Document


def _withdrawn(request: HttpRequest, document: Document, language: str) -> HttpResponse:
    title, title_language = selectors.document_title(document, language)
    context = {"document": document, "title": title, "title_language": title_language}
    return render(request, "reports/documents/withdrawn.html", context, status=410)


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    language = current_language()
    filters = selectors.DocumentFilters.from_query(request.GET)
    documents = selectors.documents_for_list(filters=filters, language=language)
    page = Paginator(documents, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    items = [selectors.document_item(document, language, now=now) for document in page.object_list]
    choices = selectors.filter_choices(language)
    chosen_meeting = next((number for number, _name in choices.meetings if number == filters.meeting), None)
    ranked = bool(filters.q) and selectors.search_is_ranked()
    return render(
        request,
        "reports/documents/list.html",
        {
            "filters": filters,
            "filter_errors": dict(filters.errors),
            "choices": choices,
            "page": page,
            "items": items,
            "ranked": ranked,
            # Results in order of relevance cannot sit under meeting headings.
            "groups": None if ranked else selectors.group_by_meeting(items, language),
            "query": urlencode(filters.query_items()),
            "chosen_meeting": chosen_meeting,
        },
    )


@require_safe
def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = current_language()
    document = selectors.public_document(slug)
    if document is None:
        raise Http404
    if document.status == Document.Status.WITHDRAWN:
        return _withdrawn(request, document, language)
    page = selectors.document_page(document, language, now=timezone.now())
    return render(request, "reports/documents/detail.html", {"page": page, "document": document})


@require_safe
def document_download(
    request: HttpRequest, slug: str, file_language: str, version: int | None = None
) -> HttpResponseBase:
    if file_language not in settings.LANGUAGE_CODES:
        raise Http404
    document = selectors.public_document(slug, with_files=False)
    if document is None:
        raise Http404
    if document.status == Document.Status.WITHDRAWN:
        return _withdrawn(request, document, current_language())
    found = selectors.file_to_download(document, file_language, version)
    if found is None:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.download_name(),
        content_type=found.content_type,
    )


# Comments on a draft -------------------------------------------------------------------


class CommentForm(ErrorSummaryMixin, forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=comments.MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": _("Enter your comment"),
            "max_length": _("Your comment must be 5,000 characters or fewer"),
        },
    )


def _comments_page(
    request: HttpRequest, document: Document, *, see_all: bool, form: CommentForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "reports/comments/comments.html",
        {
            "document": document,
            "title": document.title_in(current_language()),
            "document_url": reverse("documents:detail", args=[document.slug]),
            "is_open": document.comments_open(now),
            "is_secretariat": see_all,
            "comments": comments.comments_for_viewer(document=document, user=request.user, see_all=see_all),
            "form": form,
            "refused": status == 403,
        },
        status=status,
    )


# The one document page behind a login: comments come from Member States. The draft itself
# stays public on its own page.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@member_state_or_secretariat_required(forbidden_template="reports/comments/forbidden.html")
def document_comments(request: HttpRequest, slug: str) -> HttpResponse:
    see_all = is_secretariat(request.user)
    document = get_object_or_404(Document.objects.public().select_related("meeting"), slug=slug)
    if document.status == Document.Status.WITHDRAWN:
        context = {"document": document, "title": document.title_in(current_language())}
        return render(request, "reports/comments/withdrawn.html", context, status=410)
    if document.status != Document.Status.FOR_COMMENT:
        raise Http404
    if request.method != "POST":
        return _comments_page(request, document, see_all=see_all, form=CommentForm())
    form = CommentForm(request.POST)
    if not document.comments_open(timezone.now()):
        # Refused whatever was typed; the page says why and shows the text back to copy.
        return _comments_page(request, document, see_all=see_all, form=form, status=403)
    if not form.is_valid():
        return _comments_page(request, document, see_all=see_all, form=form)
    try:
        comments.comment_add(document=document, author=request.user, text=form.cleaned_data["text"], now=timezone.now())
    except comments.CommentsClosed:
        return _comments_page(request, document, see_all=see_all, form=form, status=403)
    messages.success(request, _("Your comment was sent to the Secretariat."))
    return redirect("documents:comments", document.slug)


@secretariat_required
@never_cache
@require_safe
def document_comments_csv(request: HttpRequest, slug: str) -> HttpResponse:
    document = get_object_or_404(Document, slug=slug)
    rows = comments.comments_for_viewer(document=document, user=request.user, see_all=True)
    header = ["document", "submitted_at_utc", "author_email", "country_code", "country", "comment"]
    lines = [
        [
            document.symbol,
            row.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            row.author_email,
            row.country_code,
            row.country_name,
            row.text,
        ]
        for row in rows
    ]
    response = HttpResponse(csv_text([header, *lines]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.slug}-comments.csv"'
    return response
