"""Public results: pages, downloads and the JSON API. No login, ever; no raw count, ever."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from consultations.demographics import AgeBand, Region, Sex
from consultations.models import Consultation
from cop_site.languages import current_language
from cop_site.spreadsheets import Cell, csv_text, xlsx_workbook, xlsx_write_row
from reports.models import TallyRun
from reports.statistics import pages, selectors
from reports.statistics.releases import answered_so_far, open_count_step

CSV_COLUMNS = [
    "question_position",
    "question",
    "answer",
    "answer_label",
    "place_kind",
    "place",
    "age_band",
    "sex",
    "respondents",
    "count",
    "percent",
    "suppressed",
]


class NoReleaseYet(Exception):
    """A consultation that has opened but whose figures are not released yet."""

    def __init__(self, consultation: Consultation) -> None:
        self.consultation = consultation


def _published(slug: str, number: int | None, *, content: bool = True) -> tuple[Consultation, TallyRun]:
    # A cached page needs only the key and the release; questions and choices only to build one.
    fields = ("pk", "slug", "title", "opens_at", "closes_at")
    found = Consultation.objects.with_content() if content else Consultation.objects.only(*fields)
    consultation = get_object_or_404(found, slug=slug, opens_at__lte=timezone.now())
    run = selectors.latest_run(consultation) if number is None else selectors.release(consultation, number)
    if run is None:
        if number is not None:
            raise Http404
        raise NoReleaseYet(consultation)
    return consultation, run


def _waiting(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """An open consultation, or a closed one whose final release is being made: the count only."""
    is_open = consultation.is_open()
    return render(
        request,
        "reports/results_waiting.html",
        {
            "consultation": consultation,
            "title": consultation.title_in(current_language()),
            "is_open": is_open,
            "answered_so_far": answered_so_far(consultation) if is_open else None,
            "step": open_count_step(),
        },
    )


@require_safe
def results_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/results_index.html", {"published": selectors.consultations_with_results(current_language())}
    )


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/methodology.html",
        {
            "min_count": settings.REPORTS_MIN_COUNT,
            "open_count_step": open_count_step(),
            "ages": AgeBand.choices,
            "sexes": Sex.choices,
            "regions": [label for code, label in Region.choices if code],
        },
    )


@require_safe
def api_documentation(request: HttpRequest) -> HttpResponse:
    published = selectors.consultations_with_results(current_language())
    return render(
        request,
        "reports/api.html",
        {"example": published[0].consultation if published else None, "min_count": settings.REPORTS_MIN_COUNT},
    )


@require_safe
def results(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    # The consultation's key and the release are all a cached page needs; the selector loads
    # the questions only when it builds one.
    try:
        consultation, run = _published(slug, number, content=False)
    except NoReleaseYet as waiting:
        return _waiting(request, waiting.consultation)
    page = pages.results_page(
        consultation=consultation,
        run=run,
        filters=selectors.Filters.from_query(request.GET),
        language=current_language(),
    )
    # The site's frame (account links, language switcher) is this visitor's; the body is
    # everyone's. The list of releases is outside the cached body: a later release joins it.
    context = {
        "title": page.title,
        "body": page.body,
        "run": run,
        "consultation": consultation,
        "releases": selectors.releases_of(consultation),
        "is_latest": number is None,
    }
    return render(request, "reports/results.html", context)


def _tables(
    request: HttpRequest, slug: str, number: int | None
) -> tuple[Consultation, TallyRun, selectors.Filters, list[selectors.Column], list[selectors.QuestionTable], str]:
    consultation, run = _published(slug, number)
    language = current_language()
    filters = selectors.Filters.from_query(request.GET)
    columns, tables = selectors.results_tables(consultation, run, filters, language)
    return consultation, run, filters, columns, tables, language


def _long_rows(columns: list[selectors.Column], tables: list[selectors.QuestionTable]) -> Iterator[list[Cell]]:
    for table in tables:
        for row in table.rows:
            for column, cell in zip(columns, row.cells, strict=True):
                yield [
                    table.question.position,
                    table.title,
                    row.key,
                    row.label,
                    column.place.kind,
                    column.place.code,
                    "" if column.age == "*" else column.age,
                    "" if column.sex == "*" else column.sex,
                    "" if column.respondents is None else column.respondents,
                    "" if cell.count is None else cell.count,
                    "" if cell.percent is None else cell.percent,
                    "yes" if cell.hidden else "no",
                ]


@require_safe
def results_download(request: HttpRequest, slug: str, fmt: str, number: int | None = None) -> HttpResponse:
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404
    try:
        consultation, run, filters, columns, tables, language = _tables(request, slug, number)
    except NoReleaseYet:
        raise Http404 from None
    name = f"{consultation.slug}-results-release-{run.number}"
    response: HttpResponse
    if fmt == "json":
        document = selectors.results_document(consultation, run, filters, columns, tables, language)
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    elif fmt == "csv":
        # With a byte-order mark, so that Excel opens Arabic, Chinese and Russian text correctly.
        text = csv_text([CSV_COLUMNS, *_long_rows(columns, tables)])
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            _xlsx(list(_long_rows(columns, tables))),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _xlsx(rows: list[list[Cell]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsx_workbook(buffer)
    sheet = workbook.add_worksheet("results")
    header_and_rows: list[Sequence[Cell]] = [CSV_COLUMNS, *rows]
    for number, row in enumerate(header_and_rows):
        xlsx_write_row(sheet, number, row)
    workbook.close()
    return buffer.getvalue()


@require_safe
def results_api(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    try:
        consultation, run, filters, columns, tables, language = _tables(request, slug, number)
    except NoReleaseYet as waiting:
        return _api_waiting(waiting.consultation)
    if filters.errors:
        return JsonResponse(
            {"api_version": 1, "errors": filters.errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    document = selectors.results_document(consultation, run, filters, columns, tables, language)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _api_waiting(consultation: Consultation) -> HttpResponse:
    # No figures per answer before a release: only the rounded count while it is open.
    is_open = consultation.is_open()
    document = {
        "api_version": 1,
        "consultation": {"slug": consultation.slug, "title": consultation.title_in(current_language())},
        "errors": [_("No results have been released for this consultation yet.")],
        "open": is_open,
        "answered_so_far": answered_so_far(consultation) if is_open else None,
        "answered_so_far_rounded_down_to": open_count_step(),
        "results_after": consultation.closes_at.isoformat(),
    }
    response = JsonResponse(document, status=404, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "results-v1.json"


@require_safe
def api_schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/schema+json")
