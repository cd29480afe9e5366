"""Reads that shape published tallies into the tables of a results page, download or API.

Everything here starts from the stored, already suppressed documents of the latest tally
run; nothing reads responses or answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from consultations.demographics import AgeBand, Region, Sex
from consultations.models import Consultation, Question
from consultations.translation import text_in
from reports.models import ScopeTally, TallyRun
from reports.statistics.disclosure import TOTAL
from reports.statistics.tallies import (
    ANSWERED,
    NONE,
    WORLD,
    ScopeFigures,
    latest_run_cache_key,
    releases_cache_key,
)

if TYPE_CHECKING:
    from reports.statistics.moderation import Quote

BREAKDOWNS = ("", "age", "sex", "age-sex")
MAX_PLACES = 6
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Place:
    """A place a visitor can choose: the world, an ITU region or a country."""

    key: str  # as stored: world, region:<code>, country:<alpha-2>
    label: str
    code: str  # as published: "world", the region code, or ISO 3166 alpha-3

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


@dataclass(frozen=True)
class Column:
    place: Place
    age: str
    sex: str
    label: str
    respondents: int | None

    @property
    def too_few(self) -> bool:
        return self.respondents is None


@dataclass(frozen=True)
class Cell:
    count: int | None
    percent: float | None

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class QuestionTable:
    question: Question
    title: str
    columns: list[Column]
    rows: list[Row]
    quotes: list[Quote] = field(default_factory=list)

    too_few_labels: list[str] = field(default_factory=list)

    def _empty(self, index: int) -> bool:
        return self.columns[index].too_few and all(r.cells[index].hidden for r in self.rows)

    @property
    def too_few(self) -> bool:
        return all(self._empty(i) for i in range(len(self.columns)))

    def for_display(self, several_places: bool) -> QuestionTable:
        """The same table without the groups that have too few responses, named instead:
        a phone need not scroll through empty columns."""
        keep = [i for i in range(len(self.columns)) if not self._empty(i)]
        if not keep:
            return self
        dropped = [
            f"{c.place.label} – {c.label}" if several_places else c.label
            for i, c in enumerate(self.columns)
            if i not in keep
        ]
        return QuestionTable(
            question=self.question,
            title=self.title,
            columns=[self.columns[i] for i in keep],
            rows=[Row(r.key, r.label, [r.cells[i] for i in keep]) for r in self.rows],
            quotes=self.quotes,
            too_few_labels=dropped,
        )


@dataclass(frozen=True)
class Series:
    """One bar per answer in a chart, or one column of figures: a column of a QuestionTable."""

    label: str  # "" when it is the only one
    index: int


@dataclass(frozen=True)
class Grid:
    """A table that stays narrow on a phone: one row per group (and, in a results table, per
    answer), one column per place, or per sex when one place is broken down by age and sex.
    Each row names the QuestionTable column shown under each heading (None: not published)."""

    corner: str
    headers: list[str]
    rows: list[tuple[str, list[int | None]]]
    cross: bool = False  # ages down, sexes across


@dataclass
class QuestionDisplay:
    """How one question's published figures are laid out on the page (display only: the
    figures are those of `table`, which the downloads and the API carry in full)."""

    table: QuestionTable
    chart: list[Series]  # a bar per answer for each series, side by side
    overview: list[Series]  # the columns of the table of totals (empty: the grid has them)
    grid: Grid | None  # the breakdown, answer by answer
    empty_places: list[str]  # places with too few responses to show anything
    totals_only: list[str]  # places whose breakdown would be mostly hidden: totals shown instead
    dropped_groups: int  # groups left out because they have too few responses

    @property
    def question(self) -> Question:
        return self.table.question

    @property
    def too_few(self) -> bool:
        return not self.chart


def _place_columns(columns: list[Column]) -> dict[str, list[int]]:
    """Column indexes of each place, in order; a place's last column is its total."""
    found: dict[str, list[int]] = {}
    for index, column in enumerate(columns):
        found.setdefault(column.place.key, []).append(index)
    return found


def _mostly_hidden(table: QuestionTable, indexes: list[int]) -> bool:
    cells = [row.cells[i] for row in table.rows for i in indexes]
    return not cells or 2 * sum(cell.hidden for cell in cells) > len(cells)


def question_display(table: QuestionTable, breakdown: str) -> QuestionDisplay:
    """Places side by side for each answer; a breakdown only where most of it can be shown.

    A group (a column) with too few responses is left out and counted; a place whose
    breakdown would be mostly hidden shows its totals only, and the page says so.
    """
    by_place = _place_columns(table.columns)
    places = {table.columns[ix[0]].place.key: table.columns[ix[0]].place for ix in by_place.values()}
    empty, totals_only, shown = [], [], []
    broken_down: dict[str, list[int]] = {}
    for key, indexes in by_place.items():
        total, groups = indexes[-1], indexes[:-1]
        if table._empty(total) and all(table._empty(i) for i in groups):
            empty.append(places[key].label)
            continue
        shown.append(key)
        if breakdown:
            kept = [i for i in groups if not table._empty(i)]
            if _mostly_hidden(table, kept):
                totals_only.append(places[key].label)
            else:
                broken_down[key] = groups
    several = len(by_place) > 1
    totals = [Series(places[key].label if several else "", by_place[key][-1]) for key in shown]
    grid, dropped = None, 0
    if broken_down:
        grid, dropped = _breakdown_grid(table, breakdown, [places[k] for k in broken_down], list(broken_down.values()))
    chart, overview = totals, totals
    if grid is not None and not several:
        # One place by age or by sex: a bar per group, and the grid ends with its total.
        (key,) = broken_down
        if breakdown != "age-sex":
            # One place: _breakdown_grid keeps only the rows with a published group, so no index is None.
            group_rows = cast(list[tuple[str, list[int]]], grid.rows)
            chart = [Series(table.columns[i].label, i) for _label, (i,) in group_rows] + [
                Series(table.columns[by_place[key][-1]].label, by_place[key][-1])
            ]
            grid.rows.append((table.columns[by_place[key][-1]].label, [by_place[key][-1]]))
            overview = []
    return QuestionDisplay(table, chart, overview, grid, empty, totals_only, dropped)


def _breakdown_grid(
    table: QuestionTable, breakdown: str, places: list[Place], groups: list[list[int]]
) -> tuple[Grid, int]:
    """The rows of a breakdown, and how many groups are left out for too few responses."""
    columns = table.columns
    if breakdown == "age-sex" and len(places) == 1:
        # Ages down, sexes across: a handful of narrow columns instead of 28.
        sexes = list(Sex.values)
        cross = {(columns[i].age, columns[i].sex): i for i in groups[0]}
        ages = [a for a in AgeBand.values if any(not table._empty(cross[(a, s)]) for s in sexes)]
        kept_sexes = [s for s in sexes if any(not table._empty(cross[(a, s)]) for a in ages)]
        rows: list[tuple[str, list[int | None]]] = [
            (str(AgeBand(a).label), [cross[(a, s)] for s in kept_sexes]) for a in ages
        ]
        grid = Grid(_("Age"), [str(Sex(s).label) for s in kept_sexes], rows, cross=True)
        return grid, len(cross) - len(ages) * len(kept_sexes)
    rows = []
    for position in range(len(groups[0])):
        indexes = [place_groups[position] for place_groups in groups]
        if all(table._empty(i) for i in indexes):
            continue
        rows.append((columns[indexes[0]].label, [i if not table._empty(i) else None for i in indexes]))
    grid = Grid(_("Group"), [p.label for p in places], rows)
    return grid, len(groups[0]) - len(rows)


def respondents_grid(columns: list[Column]) -> tuple[Grid, int, list[str]]:
    """The number of respondents in each group: groups down, places across.

    Returns the grid, how many groups are left out (too few in every place) and the places
    with too few respondents to show at all."""
    by_place = _place_columns(columns)
    empty = [columns[ix[-1]].place.label for ix in by_place.values() if columns[ix[-1]].too_few]
    kept = [ix for ix in by_place.values() if not columns[ix[-1]].too_few]
    rows, dropped = [], 0
    if kept:
        for position in range(len(kept[0])):
            indexes = [ix[position] for ix in kept]
            if all(columns[i].too_few for i in indexes):
                dropped += 1
                continue
            rows.append((columns[indexes[0]].label, [None if columns[i].too_few else i for i in indexes]))
    return Grid(_("Group"), [columns[ix[-1]].place.label for ix in kept], rows), dropped, empty


@dataclass
class Filters:
    regions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # alpha-2
    breakdown: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: QueryDict) -> Filters:
        found = cls()
        for region in query.getlist("region"):
            if not region:
                continue
            if region in Region.values and region and region not in found.regions:
                found.regions.append(region)
            else:
                found.errors.append(_("There is no region called “%(value)s”.") % {"value": region[:40]})
        for code in query.getlist("country"):
            if not code:
                continue
            alpha2 = countries.alpha2(code.strip().upper()) if len(code.strip()) in (2, 3) else ""
            if alpha2 and alpha2 not in found.countries:
                found.countries.append(alpha2)
            elif not alpha2:
                found.errors.append(_("There is no country with the code “%(value)s”.") % {"value": code[:40]})
        if len(found.regions) + len(found.countries) > MAX_PLACES:
            found.errors.append(_("You can compare up to %(count)d places at once.") % {"count": MAX_PLACES})
            found.countries = found.countries[: max(0, MAX_PLACES - len(found.regions))]
            found.regions = found.regions[:MAX_PLACES]
        breakdown = query.get("by", "")
        if breakdown in BREAKDOWNS:
            found.breakdown = breakdown
        else:
            found.errors.append(_("That breakdown does not exist; showing all respondents together."))
        return found

    def places(self) -> list[Place]:
        chosen = [region_place(r) for r in self.regions] + [country_place(c) for c in self.countries]
        return chosen or [world_place()]

    def query_items(self) -> list[tuple[str, str]]:
        items = [("region", r) for r in self.regions] + [("country", countries.alpha3(c)) for c in self.countries]
        return items + ([("by", self.breakdown)] if self.breakdown else [])


def world_place() -> Place:
    return Place(WORLD, _("All countries"), WORLD)


def region_place(code: str) -> Place:
    return Place(f"region:{code or '-'}", str(Region(code).label), code or "unclassified")


def country_place(alpha2: str) -> Place:
    return Place(f"country:{alpha2}", str(countries.name(alpha2)), countries.alpha3(alpha2))


def latest_run(consultation: Consultation) -> TallyRun | None:
    key = latest_run_cache_key(consultation.pk)
    run: TallyRun | None = cache.get(key)
    if run is None:
        run = TallyRun.objects.latest_for(consultation)
        if run is not None:
            cache.set(key, run, CACHE_SECONDS)
    return run


def release(consultation: Consultation, number: int) -> TallyRun | None:
    """One release by its public number; releases never change, so it is cached as it is."""
    key = f"reports:release:{consultation.pk}:{number}"
    run: TallyRun | None = cache.get(key)
    if run is None:
        run = TallyRun.objects.filter(consultation=consultation, number=number).first()
        if run is not None:
            cache.set(key, run, CACHE_SECONDS)
    return run


def releases_of(consultation: Consultation) -> list[TallyRun]:
    """Every release of a consultation, newest first (number, date, final; no figures).

    Cached under the same key's lifetime as the latest release: a new release retires both."""
    key = releases_cache_key(consultation.pk)
    found: list[TallyRun] | None = cache.get(key)
    if found is None:
        found = list(
            TallyRun.objects.filter(consultation=consultation)
            .only("pk", "consultation_id", "number", "computed_at", "is_final", "is_demo", "respondents")
            .order_by("-number")
        )
        cache.set(key, found, CACHE_SECONDS)
    return found


def scope_figures(run: TallyRun, places: list[Place]) -> dict[str, ScopeFigures]:
    keys = {p.key: f"reports:scope:{run.pk}:{p.key}" for p in places}
    found = cache.get_many(list(keys.values()))
    figures = {place: found[key] for place, key in keys.items() if key in found}
    missing = [p for p in keys if p not in figures]
    if missing:
        fetched = dict(ScopeTally.objects.filter(run=run, scope__in=missing).values_list("scope", "figures"))
        cache.set_many({keys[p]: fetched[p] for p in fetched}, CACHE_SECONDS)
        figures.update(fetched)
    return figures


def _column_keys(breakdown: str) -> list[tuple[str, str]]:
    if breakdown == "age":
        return [(a, TOTAL) for a in AgeBand.values] + [(TOTAL, TOTAL)]
    if breakdown == "sex":
        return [(TOTAL, s) for s in Sex.values] + [(TOTAL, TOTAL)]
    if breakdown == "age-sex":
        return [(a, s) for a in AgeBand.values for s in Sex.values] + [(TOTAL, TOTAL)]
    return [(TOTAL, TOTAL)]


def _column_label(age: str, sex: str) -> str:
    if age == TOTAL and sex == TOTAL:
        return _("All respondents")
    if sex == TOTAL:
        return str(AgeBand(age).label)
    if age == TOTAL:
        return str(Sex(sex).label)
    return _("%(age)s, %(sex)s") % {"age": AgeBand(age).label, "sex": Sex(sex).label}


def row_labels(question: Question, language: str) -> dict[str, str]:
    labels = {str(c.id): text_in(c.text, language) for c in question.ordered_choices()}
    if question.kind == Question.Kind.RATING:
        low, high = text_in(question.scale_min_label, language), text_in(question.scale_max_label, language)
        for n in range(Question.RATING_MIN, Question.RATING_MAX + 1):
            labels[str(n)] = str(n)
        if low:
            labels[str(Question.RATING_MIN)] = f"1 ({low})"
        if high:
            labels[str(Question.RATING_MAX)] = f"{Question.RATING_MAX} ({high})"
    labels[ANSWERED] = _("Wrote an answer")
    labels[NONE] = _("No answer")
    return labels


def results_tables(
    consultation: Consultation, run: TallyRun, filters: Filters, language: str
) -> tuple[list[Column], list[QuestionTable]]:
    """One table per question for the chosen places and breakdown, and their columns."""
    places = filters.places()
    figures = scope_figures(run, places)
    index = {key: i for i, key in enumerate(run.layout["columns"])}
    columns: list[Column] = []
    for place in places:
        doc = figures.get(place.key)
        for age, sex in _column_keys(filters.breakdown):
            n = doc["respondents"][index[f"{age}|{sex}"]] if doc else None
            columns.append(Column(place, age, sex, _column_label(age, sex), n))
    tables = []
    shapes = {q["id"]: q["rows"] for q in run.layout["questions"]}
    for question in consultation.ordered_questions():
        if question.id not in shapes:
            continue  # added after the last count; it appears with the next one
        labels = row_labels(question, language)
        rows = []
        for key in shapes[question.id]:
            cells = []
            for column in columns:
                doc = figures.get(column.place.key)
                count = doc["questions"][str(question.id)][key][index[f"{column.age}|{column.sex}"]] if doc else None
                percent = (
                    round(100 * count / column.respondents, 1) if count is not None and column.respondents else None
                )
                cells.append(Cell(count, percent))
            rows.append(Row(key, labels.get(key, key), cells))
        tables.append(QuestionTable(question, question.text_in(language), columns, rows))
    return columns, tables


def place_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(region code, label) and (alpha-3, name) for the filter form: every one, not only
    those with responses, so the list itself says nothing about who answered."""
    regions = [(code, str(label)) for code, label in Region.choices if code]
    return regions, [(countries.alpha3(code), str(name)) for code, name in countries]


@dataclass(frozen=True)
class Published:
    consultation: Consultation
    run: TallyRun | None  # the latest release, if any
    title: str
    answered_so_far: int | None  # rounded, while the consultation is open


def consultations_with_results(language: str) -> list[Published]:
    """Every consultation that has opened: its latest release, and while open the rounded count."""
    from reports.statistics.releases import answered_so_far

    now = timezone.now()
    found = []
    for consultation in Consultation.objects.filter(opens_at__lte=now).order_by("-closes_at"):
        run = latest_run(consultation)
        is_open = consultation.is_open(now)
        if run is None and not is_open and not consultation.responses.exists():
            continue
        found.append(
            Published(
                consultation,
                run,
                consultation.title_for_viewer(language),
                answered_so_far(consultation) if is_open else None,
            )
        )
    return found


def results_document(
    consultation: Consultation,
    run: TallyRun,
    filters: Filters,
    columns: list[Column],
    tables: list[QuestionTable],
    language: str,
) -> dict[str, Any]:
    """The JSON API document (version 1): the same figures as the page."""
    return {
        "api_version": 1,
        "consultation": {"slug": consultation.slug, "title": consultation.title_in(language)},
        "language": language,
        "release": {
            "number": run.number,
            "final": run.is_final,
            "counted_at": run.computed_at.isoformat(),
            "min_count": run.threshold,
            "method": run.method,
            "made_up": run.is_demo,
            "url": reverse("reports:release_api", args=[consultation.slug, run.number]),
        },
        "computed_at": run.computed_at.isoformat(),
        "final": run.is_final,
        "min_count": run.threshold,
        "breakdown": filters.breakdown or "none",
        "places": [{"kind": p.kind, "code": p.code, "name": p.label} for p in filters.places()],
        "columns": [
            {
                "place": c.place.code,
                "age_band": None if c.age == TOTAL else c.age,
                "sex": None if c.sex == TOTAL else c.sex,
                "label": c.label,
                "respondents": c.respondents,
            }
            for c in columns
        ],
        "questions": [
            {
                "id": t.question.id,
                "position": t.question.position,
                "kind": t.question.kind,
                "text": t.title,
                "rows": [
                    {
                        "answer": r.key,
                        "label": r.label,
                        "cells": [
                            {"count": cell.count, "percent": cell.percent, "suppressed": cell.hidden}
                            for cell in r.cells
                        ],
                    }
                    for r in t.rows
                ],
            }
            for t in tables
        ],
    }
