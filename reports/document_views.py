"""Public meeting documents: the list, a document's page and its files. No login, ever.

An unpublished draft is a 404 for everyone, the Secretariat included (they see drafts in their
own pages). A withdrawn document answers 410 Gone with when and why, on its page and on
every file address, so that a link to it never turns into a silent 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from reports import document_selectors as selectors
from reports.models import Document


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _withdrawn(request: HttpRequest, document: Document, language: str) -> HttpResponse:
    title, title_language = selectors.document_title(document, language)
    context = {"document": document, "title": title, "title_language": title_language}
    return render(request, "reports/documents/withdrawn.html", context, status=410)


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    language = _language()
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
    language = _language()
    document = selectors.public_document(slug)
    if document is None:
        raise Http404
    if document.status == Document.Status.WITHDRAWN:
        return _withdrawn(request, document, language)
    page = selectors.document_page(document, language, now=timezone.now())
    return render(request, "reports/documents/detail.html", {"page": page, "document": document})


@require_safe
def document_download(request: HttpRequest, slug: str, file_language: str, version: int | None = None) -> HttpResponse:
    if file_language not in settings.LANGUAGE_CODES:
        raise Http404
    document = selectors.public_document(slug, with_files=False)
    if document is None:
        raise Http404
    if document.status == Document.Status.WITHDRAWN:
        return _withdrawn(request, document, _language())
    found = selectors.file_to_download(document, file_language, version)
    if found is None:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.download_name(),
        content_type=found.content_type,
    )
