"""Secondary suppression holds against an attacker who differences every published view."""

from __future__ import annotations

import pytest

from consultations.tests.factories import make_consultation
from reports.statistics.tallies import tally_build
from reports.tests.attacker import attack
from reports.tests.helpers import add_responses

pytestmark = [pytest.mark.django_db, pytest.mark.backend_independent]


def _primary_only(layout: dict, truth: dict[str, dict], k: int) -> dict[str, dict]:
    """What a naive publisher would show: every 1..K−1 count hidden, nothing else."""

    def mask(values: list[int | None]) -> list[int | None]:
        return [None if n is None or 0 < n < k else n for n in values]

    return {
        scope: {
            "respondents": mask(doc["respondents"]),
            "questions": {q: {row: mask(v) for row, v in rows.items()} for q, rows in doc["questions"].items()},
        }
        for scope, doc in truth.items()
    }


@pytest.mark.parametrize(("respondents", "seed"), [(60, 1), (140, 2), (25, 3)])
def test_no_hidden_count_can_be_worked_out_from_all_published_views(respondents: int, seed: int) -> None:
    consultation = make_consultation()
    add_responses(consultation, respondents, seed=seed, countries=("FR", "DE", "KE", "NG", "BR", "AR"))
    layout, figures, _ = tally_build(consultation, min_count=5)
    _, truth, _ = tally_build(consultation, min_count=1)

    assert any(v is None for doc in figures.values() for v in doc["respondents"])
    # The only figures it may pin down are those of groups with nobody in them at all.
    columns = layout["columns"]
    for (*_, age, sex, place), value in attack(layout, figures).items():
        scope = {"*": "world", "r": "region", "c": "country"}[place[0]]
        scope = scope if place == "*" else f"{scope}:{place[2:]}"
        assert value == 0
        assert truth[scope]["respondents"][columns.index(f"{age}|{sex}")] is None, (age, sex, place)
    # The attacker is not toothless: against primary suppression alone it recovers small counts.
    naive = attack(layout, _primary_only(layout, truth, 5))
    assert any(0 < value < 5 for value in naive.values())


@pytest.mark.xfail(
    strict=True,
    reason="issue: the hypercube's partners are often zeros or pinned hidden cells; an attacker who also "
    "uses non-negativity (reports.statistics.audit) pins hidden zeros of small groups. Protection not fixed yet.",
)
def test_hypercube_output_passes_the_lp_audit() -> None:
    from reports.statistics.audit import PublishedRelease, release_audit

    consultation = make_consultation()
    add_responses(consultation, 60, seed=1, countries=("FR", "DE", "KE", "NG", "BR", "AR"))
    layout, figures, _ = tally_build(consultation, min_count=5)
    _, truth, _ = tally_build(consultation, min_count=1)
    report = release_audit([PublishedRelease(layout, figures)], truth, 5, count_lost=False, stop_after=5)
    assert report.passed, [str(v) for v in report.violations]
