"""Counting a consultation for a release: count once, protect, shape what may be published.

A count reads the responses with GROUP BY queries (over responses, over answers, and one
per multiple-choice question) in one snapshot — never row by row — builds the tables of
reports.statistics.disclosure, hides what must be hidden, and returns one document per
place (world, each region, each country with responses) holding only the published
figures. reports.statistics.releases stores them as a release; pages, downloads and the
API read those documents, and none of them can reach a raw count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count

from consultations.demographics import AgeBand, Sex, region_for_country
from consultations.models import Answer, Consultation, Question, Response
from reports.statistics.disclosure import TOTAL, Cell, Hierarchy, Table, question_hidden, respondents_hidden

NONE = "none"
YES, NO = "yes", "no"
ANSWERED = "answered"
WORLD = "world"

# The JSON documents a release stores (TallyRun.layout, ScopeTally.figures), as tally_build
# shapes them. The layout: {"ages", "sexes", "columns" ("<age>|<sex>"), "regions", "places"
# (region -> countries), "countries", "questions" ([{"id", "kind", "rows"}])}.
Layout: TypeAlias = dict[str, Any]
# One place's figures, a value per column, None where hidden:
# {"respondents": [...], "questions": {"<question id>": {"<row>": [...]}}}.
ScopeFigures: TypeAlias = dict[str, Any]


def threshold() -> int:
    return int(getattr(settings, "REPORTS_MIN_COUNT", 5))


def geo_node_for_country(country: str) -> tuple[str, str]:
    """(region node, country node) of an alpha-2 code; "-" stands for undisclosed."""
    return f"r:{region_for_country(country) or '-'}", f"c:{country or '-'}"


def scope_id(node: str) -> str:
    """The public name of a place node: world, region:<code> or country:<alpha-2>."""
    if node == TOTAL:
        return WORLD
    kind, code = node.split(":", 1)
    return f"{'region' if kind == 'r' else 'country'}:{code}"


@dataclass
class _Counts:
    respondents: dict[tuple[str, str, str], int]
    # question id -> value key -> (age, sex, country) -> count
    answers: dict[int, dict[str, dict[tuple[str, str, str], int]]]
    # (question id, age, sex, country) -> respondents who answered a multiple-choice question
    answered_multiple: dict[tuple[int, str, str, str], int]


def _gather(consultation: Consultation) -> _Counts:
    # One snapshot for every count. Under READ COMMITTED each query sees the responses
    # committed before it started, so answers arriving during a refresh were counted in one
    # query and not in another ("no answer" = respondents - answered went negative).
    first_statement = not connection.in_atomic_block  # else the caller's transaction decides
    with transaction.atomic():
        if connection.vendor == "postgresql" and first_statement:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _gather_in_snapshot(consultation)


def _gather_in_snapshot(consultation: Consultation) -> _Counts:
    respondents = {
        (row["age_band"], row["sex"], row["country"]): row["n"]
        for row in Response.objects.filter(consultation=consultation)
        .values("age_band", "sex", "country")
        .annotate(n=Count("id"))
        .order_by()
    }
    answers: dict[int, dict[str, dict[tuple[str, str, str], int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        Answer.objects.filter(response__consultation=consultation)
        .values("question_id", "choice_id", "rating", "response__age_band", "response__sex", "response__country")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        if row["choice_id"] is not None:
            value = str(row["choice_id"])
        elif row["rating"] is not None:
            value = str(row["rating"])
        else:
            value = ANSWERED
        column = (row["response__age_band"], row["response__sex"], row["response__country"])
        into = answers[row["question_id"]][value]
        into[column] = into.get(column, 0) + row["n"]
    # Respondents who ticked at least one box: a semi-join per question. COUNT(DISTINCT
    # response_id) over the answers join sorted every tick on disk (7 s at 1M responses).
    answered_multiple: dict[tuple[int, str, str, str], int] = {}
    for question in consultation.ordered_questions():
        if question.kind != Question.Kind.MULTIPLE:
            continue
        ticked = Answer.objects.filter(question=question).values("response_id")
        for row in (
            Response.objects.filter(consultation=consultation, pk__in=ticked)
            .values("age_band", "sex", "country")
            .annotate(n=Count("id"))
            .order_by()
        ):
            answered_multiple[(question.id, row["age_band"], row["sex"], row["country"])] = row["n"]
    return _Counts(respondents=respondents, answers=answers, answered_multiple=answered_multiple)


class InconsistentCounts(RuntimeError):
    """Counts from different moments: the refresh stops and the published run stays."""


def _difference(respondents: int, answered: int) -> int:
    # Never publish a negative "no answer": _gather's snapshot makes this impossible, and
    # if it ever happened the previous figures stay up until the next refresh.
    if answered > respondents:
        raise InconsistentCounts(f"{answered} answers from {respondents} respondents")
    return respondents - answered


def _question_rows(question: Question) -> list[str]:
    if question.kind == Question.Kind.SINGLE or question.kind == Question.Kind.MULTIPLE:
        return [str(c.id) for c in question.ordered_choices()] + [NONE]
    if question.kind == Question.Kind.RATING:
        return [str(n) for n in range(Question.RATING_MIN, Question.RATING_MAX + 1)] + [NONE]
    return [ANSWERED, NONE]


def _binary_leaves(
    yes: dict[tuple[str, str, str], int], respondents: dict[tuple[str, str, str], int]
) -> dict[tuple[str, ...], int]:
    leaves: dict[tuple[str, ...], int] = {}
    for (age, sex, country), total in respondents.items():
        chose = yes.get((age, sex, country), 0)
        place = geo_node_for_country(country)[1]
        leaves[(YES, age, sex, place)] = chose
        leaves[(NO, age, sex, place)] = _difference(total, chose)
    return leaves


def tally_build(
    consultation: Consultation, *, min_count: int | None = None
) -> tuple[Layout, dict[str, ScopeFigures], int]:
    """Count, suppress and shape: (layout, published figures per place, respondents)."""
    k = min_count or threshold()
    counts = _gather(consultation)
    questions = consultation.ordered_questions()

    ages = Hierarchy.flat(AgeBand.values)
    sexes = Hierarchy.flat(Sex.values)
    regions: dict[str, list[str]] = defaultdict(list)
    for _age, _sex, country in counts.respondents:
        region, place = geo_node_for_country(country)
        if place not in regions[region]:
            regions[region].append(place)
    places = Hierarchy.nested({r: sorted(regions[r]) for r in sorted(regions)})

    respondents_leaves: dict[tuple[str, ...], int] = {
        (age, sex, geo_node_for_country(country)[1]): n for (age, sex, country), n in counts.respondents.items()
    }
    respondents = Table.from_leaves((ages, sexes, places), respondents_leaves)
    r_hidden, r_patterns = respondents_hidden(respondents, k)

    by_question: dict[int, dict[str, tuple[Table, set[Cell], str]]] = {}
    for question in questions:
        rows: dict[str, tuple[Table, set[Cell], str]] = {}
        if question.kind in (Question.Kind.SINGLE, Question.Kind.RATING):
            values = _question_rows(question)
            leaves: dict[tuple[str, ...], int] = {}
            for (age, sex, country), total in counts.respondents.items():
                place = geo_node_for_country(country)[1]
                answered = 0
                for value in values[:-1]:
                    n = counts.answers[question.id][value].get((age, sex, country), 0)
                    leaves[(value, age, sex, place)] = n
                    answered += n
                leaves[(NONE, age, sex, place)] = _difference(total, answered)
            table = Table.from_leaves((Hierarchy.flat(values), ages, sexes, places), leaves)
            hidden = question_hidden(table, k, respondents, r_hidden, r_patterns)
            rows = {value: (table, hidden, value) for value in values}
        else:
            if question.kind == Question.Kind.MULTIPLE:
                for choice in question.ordered_choices():
                    yes = counts.answers[question.id][str(choice.id)]
                    table = Table.from_leaves(
                        (Hierarchy.flat((YES, NO)), ages, sexes, places), _binary_leaves(yes, counts.respondents)
                    )
                    rows[str(choice.id)] = (table, question_hidden(table, k, respondents, r_hidden, r_patterns), YES)
                answered_groups = {
                    (a, s, c): n for (qid, a, s, c), n in counts.answered_multiple.items() if qid == question.id
                }
            else:
                answered_groups = counts.answers[question.id][ANSWERED]
            table = Table.from_leaves(
                (Hierarchy.flat((YES, NO)), ages, sexes, places), _binary_leaves(answered_groups, counts.respondents)
            )
            hidden = question_hidden(table, k, respondents, r_hidden, r_patterns)
            if question.kind == Question.Kind.TEXT:
                rows[ANSWERED] = (table, hidden, YES)
            rows[NONE] = (table, hidden, NO)
        by_question[question.id] = rows

    columns = [(a, s) for a in ages.nodes() for s in sexes.nodes()]
    figures: dict[str, ScopeFigures] = {}
    for place in places.nodes():
        doc: ScopeFigures = {
            "respondents": [
                None if (a, s, place) in r_hidden else respondents.value((a, s, place)) for a, s in columns
            ],
            "questions": {},
        }
        for question in questions:
            doc["questions"][str(question.id)] = {
                row: [None if (leaf, a, s, place) in hidden else table.value((leaf, a, s, place)) for a, s in columns]
                for row, (table, hidden, leaf) in by_question[question.id].items()
            }
        figures[scope_id(place)] = doc

    layout: Layout = {
        "ages": list(AgeBand.values),
        "sexes": list(Sex.values),
        "columns": [f"{a}|{s}" for a, s in columns],
        "regions": [node[2:] for node in places.children.get(TOTAL, ())],
        "places": {node[2:]: [c[2:] for c in places.children.get(node, ())] for node in places.children.get(TOTAL, ())},
        "countries": sorted(node[2:] for node in places.parent if node.startswith("c:")),
        "questions": [{"id": q.id, "kind": q.kind, "rows": _question_rows(q)} for q in questions],
    }
    return layout, figures, respondents.value((TOTAL, TOTAL, TOTAL))


def latest_run_cache_key(consultation_id: int) -> str:
    return f"reports:run:{consultation_id}"


def releases_cache_key(consultation_id: int) -> str:
    return f"reports:releases:{consultation_id}"
