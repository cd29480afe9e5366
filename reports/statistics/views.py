"""Public results: pages, downloads and the JSON API. No login, ever; no raw count, ever."""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from consultations.demographics import AgeBand, Region, Sex
from consultations.models import Consultation
from cop_site.spreadsheets import spreadsheet_safe
from reports.statistics import charts, selectors
from reports.statistics.moderation import approved_quotes, quotes_version_key

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


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _published(slug: str, *, content: bool = True) -> tuple[Consultation, selectors.TallyRun]:
    # A cached page needs only the key and the run; questions and choices only to build one.
    found = Consultation.objects.with_content() if content else Consultation.objects.only("pk", "slug")
    consultation = get_object_or_404(found, slug=slug)
    run = selectors.latest_run(consultation)
    if run is None:
        raise Http404
    return consultation, run


@require_safe
def results_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/results_index.html", {"published": selectors.consultations_with_results(_language())}
    )


@require_safe
def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/methodology.html",
        {
            "min_count": settings.REPORTS_MIN_COUNT,
            "ages": AgeBand.choices,
            "sexes": Sex.choices,
            "regions": [label for code, label in Region.choices if code],
        },
    )


@require_safe
def api_documentation(request: HttpRequest) -> HttpResponse:
    published = selectors.consultations_with_results(_language())
    return render(
        request,
        "reports/api.html",
        {"example": published[0].consultation if published else None, "min_count": settings.REPORTS_MIN_COUNT},
    )


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, run = _published(slug, content=False)
    language = _language()
    filters = selectors.Filters.from_query(request.GET)
    quotes_version = cache.get(quotes_version_key(consultation.pk), 0)
    key = f"reports:page:{run.pk}:{quotes_version}:{language}:{urlencode(filters.query_items())}"
    cached = None if filters.errors else cache.get(key)
    if cached is not None:
        return HttpResponse(cached)
    consultation, run = _published(slug)
    columns, tables = selectors.results_tables(consultation, run, filters, language)
    quotes = approved_quotes(consultation)
    several = len(filters.places()) > 1
    tables = [t.for_display(several) for t in tables]
    for table in tables:
        table.quotes = quotes.get(table.question.id, [])
    rtl = get_language_bidi()
    query = urlencode(filters.query_items())
    regions, _countries = selectors.place_choices()
    response = render(
        request,
        "reports/results.html",
        {
            "consultation": consultation,
            "title": consultation.title_in(language),
            "run": run,
            "filters": filters,
            "places": filters.places(),
            "columns": columns,
            "sections": [
                (
                    t,
                    charts.bar_chart(t, chart_id=f"chart-{t.question.id}", rtl=rtl),
                    charts.table_html(t, several_places=several),
                )
                for t in tables
            ],
            "regions": regions,
            "country_options": _country_options(language),
            "chosen_countries": [selectors.country_place(c) for c in filters.countries],
            "query": query,
            "breakdowns": [
                ("", _label("overall")),
                ("age", _label("age")),
                ("sex", _label("sex")),
                ("age-sex", _label("age-sex")),
            ],
            "remove_links": _remove_links(filters),
        },
    )
    if not filters.errors:
        cache.set(key, response.content, selectors.CACHE_SECONDS)
    return response


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _country_options(language: str) -> SafeString:
    """The 249 <option>s of the country list, built once per language (names sorted in it)."""
    _regions, countries = selectors.place_choices()
    return mark_safe("".join(f'<option value="{code}">{escape(name)}</option>' for code, name in countries))


def _label(breakdown: str) -> str:
    return {
        "overall": _("No breakdown"),
        "age": _("By age"),
        "sex": _("By sex"),
        "age-sex": _("By age and sex"),
    }[breakdown]


def _remove_links(filters: selectors.Filters) -> list[tuple[str, str]]:
    """(place name, query without it): removing a place is a link, so it works without script."""
    links = []
    for place in filters.places():
        if place.kind == "world":
            continue
        kept = [
            (k, v)
            for k, v in filters.query_items()
            if not (
                (k == "region" and place.kind == "region" and v == place.code) or (k == "country" and v == place.code)
            )
        ]
        links.append((place.label, urlencode(kept)))
    return links


def _tables(request: HttpRequest, slug: str):
    consultation, run = _published(slug)
    language = _language()
    filters = selectors.Filters.from_query(request.GET)
    columns, tables = selectors.results_tables(consultation, run, filters, language)
    return consultation, run, filters, columns, tables, language


def _long_rows(columns: list[selectors.Column], tables: list[selectors.QuestionTable]):
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
def results_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404
    consultation, run, filters, columns, tables, language = _tables(request, slug)
    name = f"{consultation.slug}-results-{run.computed_at:%Y%m%d}"
    if fmt == "json":
        document = selectors.results_document(consultation, run, filters, columns, tables, language)
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for row in _long_rows(columns, tables):
            writer.writerow([spreadsheet_safe(v) for v in row])
        # A byte-order mark, so that Excel opens Arabic, Chinese and Russian text correctly.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            _xlsx(list(_long_rows(columns, tables))),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _xlsx(rows: list[list]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("results")
    sheet.write_row(0, 0, CSV_COLUMNS)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, spreadsheet_safe(str(value)))
    workbook.close()
    return buffer.getvalue()


@require_safe
def results_api(request: HttpRequest, slug: str) -> HttpResponse:
    consultation, run, filters, columns, tables, language = _tables(request, slug)
    if filters.errors:
        return JsonResponse(
            {"api_version": 1, "errors": filters.errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    document = selectors.results_document(consultation, run, filters, columns, tables, language)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "results-v1.json"


@require_safe
def api_schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/schema+json")
