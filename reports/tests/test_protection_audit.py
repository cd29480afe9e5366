"""The LP auditor: it recovers hidden figures from naive publishers, and describes them."""

from __future__ import annotations

import pytest

from consultations.tests.factories import make_consultation
from reports.statistics.audit import PublishedRelease, release_audit
from reports.statistics.tallies import tally_build
from reports.tests.helpers import add_responses
from reports.tests.test_disclosure_attacker import _primary_only

pytestmark = [pytest.mark.django_db, pytest.mark.backend_independent]

COUNTRIES = ("FR", "DE", "KE", "NG", "BR", "AR", "IN", "JP", "EG", "US", "MX", "ZA")


def _consultation(respondents: int, seed: int, countries: tuple[str, ...] = COUNTRIES):
    consultation = make_consultation()
    weights = [1 / (i + 1) ** 1.2 for i in range(len(countries))]  # skewed, Zipf-like
    add_responses(
        consultation,
        respondents,
        seed=seed,
        countries=countries,
        weights=weights,
        ages=("9-11", "12-14", "15-17"),
        sexes=("female", "male", "another"),
    )
    return consultation


def test_the_lp_attacker_recovers_figures_from_primary_suppression_alone() -> None:
    consultation = _consultation(120, seed=4)
    layout, truth, _ = tally_build(consultation, min_count=1)
    naive = _primary_only(layout, truth, 5)
    report = release_audit([PublishedRelease(layout, naive)], truth, 5, count_lost=False)
    assert not report.passed
    pinned_small = [
        v for v in report.violations if v.value and 0 < v.value < 5 and v.rule == "narrow" and v.low == v.high
    ]
    assert pinned_small, report.violations[:5]
    # Descriptions name the place, age band, sex and question.
    assert any("age " in v.cell and ("question" in v.cell or "respondents" in v.cell) for v in report.violations)
    assert report.cells_hidden > 0 and 0 < report.share_hidden < 1


def test_monotone_releases_give_away_a_single_new_respondent() -> None:
    """+1 respondent between two fully published releases: the difference is pinned."""
    consultation = _consultation(40, seed=5, countries=("FR", "DE"))
    layout1, truth1, _ = tally_build(consultation, min_count=1)
    add_responses(consultation, 1, seed=99, countries=("FR",), ages=("12-14",), sexes=("female",))
    layout2, truth2, _ = tally_build(consultation, min_count=1)
    report = release_audit(
        [PublishedRelease(layout1, truth1), PublishedRelease(layout2, truth2)], [truth1, truth2], 5, count_lost=False
    )
    differences = [v for v in report.violations if v.difference]
    assert differences and all(v.release == 1 for v in differences)
    assert any("FR, age 12-14, female: respondents" in v.cell for v in differences)
