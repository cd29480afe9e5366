"""The results page's body: from the cache, or built from the published tallies and cached.

One selector, `results_page`, serves both the view and the prerender after a recount, so
the page a worker stores and the page a visitor's request builds are the same bytes under
the same key: the tally run, the quotes' version, the language and the normalised filters.

What is cached is only the part of the page that is the same for every visitor (the
`content` block); the site's header, with a signed-in visitor's account links, and the
language switcher are rendered for each request around it. So a delegate's first view of a
page can never be served, with their navigation, to the anonymous visitors after them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from consultations.models import Consultation
from reports.models import TallyRun
from reports.statistics import charts, selectors
from reports.statistics.moderation import Quote, approved_quotes, quotes_version_key

BODY_TEMPLATE = "reports/results_body.html"


@dataclass(frozen=True)
class ResultsPage:
    """A results page without the site's frame: its title and its main content (HTML)."""

    title: str
    body: SafeString


def results_page_cache_key(run: TallyRun, language: str, filters: selectors.Filters) -> str:
    # An approved or withdrawn quote bumps its version: the pages carrying it retire at once.
    quotes_version = cache.get(quotes_version_key(run.consultation_id), 0)
    # "page-body", not the former "page" (whole responses as bytes): after a deploy, a page
    # cached by the previous version is never read as a body.
    return f"reports:page-body:{run.pk}:{quotes_version}:{language}:{urlencode(filters.query_items())}"


def results_page(
    *, consultation: Consultation, run: TallyRun, filters: selectors.Filters, language: str
) -> ResultsPage:
    """The page for these filters in `language` (which must be the active language).

    From the cache when it holds it; otherwise built and stored. A page with filter errors
    is built for the visitor who made them and never cached: the key names only the
    filters that were understood.
    """
    key = None if filters.errors else results_page_cache_key(run, language, filters)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            title, body = cached
            # Our own rendering below, stored as text.
            return ResultsPage(title, mark_safe(body))
    page = _build(_with_content(consultation), run, filters, language)
    if key is not None:
        cache.set(key, (page.title, str(page.body)), selectors.CACHE_SECONDS)
    return page


def _with_content(consultation: Consultation) -> Consultation:
    """The consultation with its questions and choices, loading them only when missing."""
    if "questions" in getattr(consultation, "_prefetched_objects_cache", {}):
        return consultation
    return Consultation.objects.with_content().get(pk=consultation.pk)


def _build(consultation: Consultation, run: TallyRun, filters: selectors.Filters, language: str) -> ResultsPage:
    columns, tables = selectors.results_tables(consultation, run, filters, language)
    quotes = approved_quotes(consultation)
    places = filters.places()
    respondents, respondents_dropped, respondents_empty = selectors.respondents_grid(columns)
    title = consultation.title_in(language)
    body = render_to_string(
        BODY_TEMPLATE,
        {
            "consultation": consultation,
            "title": title,
            "run": run,
            "filters": filters,
            "places": places,
            "columns": columns,
            "respondents": [
                (label, [None if i is None else columns[i].respondents for i in indexes])
                for label, indexes in respondents.rows
            ],
            "respondents_places": respondents.headers,
            "respondents_dropped": respondents_dropped,
            "respondents_empty": respondents_empty,
            "sections": [_section(table, filters, quotes) for table in tables],
            "regions": selectors.place_choices()[0],
            "country_options": _country_options(language),
            "chosen_countries": [selectors.country_place(c) for c in filters.countries],
            "query": urlencode(filters.query_items()),
            "breakdowns": _breakdowns(),
            "instead": _instead_links(filters),
            "remove_links": _remove_links(filters),
        },
    )
    # Rendered by the template engine, which escaped every value.
    return ResultsPage(title, mark_safe(body))


def _breakdowns() -> list[tuple[str, str]]:
    return [
        ("", _("No breakdown")),
        ("age", _("By age")),
        ("sex", _("By sex")),
        ("age-sex", _("By age and sex")),
    ]


class Section(TypedDict):
    """One question's part of the page, as the template reads it (HTML parts None when not shown)."""

    display: selectors.QuestionDisplay
    quotes: list[Quote]
    chart: SafeString | None
    overview: SafeString | None
    grid: SafeString | None


def _section(table: selectors.QuestionTable, filters: selectors.Filters, quotes: dict[int, list[Quote]]) -> Section:
    shown = selectors.question_display(table, filters.breakdown)
    section: Section = {
        "display": shown,
        "quotes": quotes.get(table.question.id, []),
        "chart": None,
        "overview": None,
        "grid": None,
    }
    if shown.too_few:
        return section
    label = _("Chart: %(question)s. The same figures are in the table that follows.") % {"question": table.title}
    section["chart"] = charts.bar_chart(table, shown.chart, label=label)
    if shown.overview:
        heading = filters.places()[0].label
        section["overview"] = charts.overview_table(table, shown.overview, heading=heading)
    if shown.grid is not None:
        section["grid"] = charts.grid_table(table, shown.grid)
    return section


def _instead_links(filters: selectors.Filters) -> list[tuple[str, str]]:
    """(label, query) of the breakdowns to try when the chosen one would be mostly hidden."""
    other = {"age-sex": ("age", "sex"), "age": ("sex",), "sex": ("age",)}.get(filters.breakdown, ())
    labels = dict(_breakdowns())
    kept = [(k, v) for k, v in filters.query_items() if k != "by"]
    return [(labels[by], urlencode([*kept, ("by", by)])) for by in other]


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _country_options(language: str) -> SafeString:
    """The 249 <option>s of the country list, built once per language (names sorted in it)."""
    _regions, countries = selectors.place_choices()
    # Codes are ISO 3166 alpha-3 letters; names are escaped.
    return mark_safe("".join(f'<option value="{code}">{escape(name)}</option>' for code, name in countries))


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
