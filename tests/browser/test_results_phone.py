"""Results on a 375px phone: a comparison of three countries by age and sex, with demo-like
figures, takes at most three screens per question and never scrolls sideways, in English,
Arabic and Chinese; one country by age and sex does not scroll sideways either."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_styled, direction, html_lang_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
SCREENS_PER_QUESTION = 3
THREE_COUNTRIES = "?country=KEN&country=NGA&country=BRA&by=age-sex"
ONE_COUNTRY = "?country=KEN&by=age-sex"

MEASURE = """() => ({
  height: document.documentElement.scrollHeight,
  width: document.documentElement.scrollWidth,
  questions: document.querySelectorAll('section.question-results').length,
  wideTables: [...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth + 1).length,
  chartText: Math.min(...[...document.querySelectorAll('.chart-answer, .chart-series, .chart-figure')]
    .map(e => parseFloat(getComputedStyle(e).fontSize))),
  bodyText: parseFloat(getComputedStyle(document.body).fontSize),
})"""


@pytest.fixture
def demo_results(demo: dict[str, Any]) -> Any:
    """The demo's cyberbullying consultation with 1,500 made-up responses from the demo's countries."""
    from django.core.cache import cache

    from reports.management.commands.load_demo_results import COUNTRIES, WEIGHTS
    from reports.tests.helpers import add_responses, publish_release

    cache.clear()
    consultation = demo["cyberbullying"]
    add_responses(
        consultation,
        1500,
        seed=1,
        countries=COUNTRIES,
        weights=WEIGHTS,
        ages=("9-11", "12-14", "15-17", "18-24", "undisclosed"),
        sexes=("female", "male", "another", "undisclosed"),
    )
    publish_release(consultation)
    return consultation


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_three_countries_by_age_and_sex_fit_three_phone_screens_per_question(
    live_server, demo_results, new_context, language
) -> None:
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    for query in (THREE_COUNTRIES, ONE_COUNTRY):
        page.goto(f"{live_server.url}/{language}/results/{demo_results.slug}/{query}")
        assert_styled(page)
        assert html_lang_dir(page) == (language, direction(language))
        found = page.evaluate(MEASURE)
        assert found["questions"] == len(demo_results.ordered_questions()), found
        assert found["width"] <= PHONE["width"], f"{query} [{language}] scrolls sideways: {found}"
        assert found["wideTables"] == 0, f"{query} [{language}]: a table scrolls sideways: {found}"
        assert found["chartText"] >= found["bodyText"], f"{query} [{language}]: chart text too small: {found}"
        if query == THREE_COUNTRIES:
            per_question = found["height"] / found["questions"]
            assert per_question <= SCREENS_PER_QUESTION * PHONE["height"], (
                f"{query} [{language}]: {per_question:.0f}px per question: {found}"
            )
        # Mostly hidden by age and sex: said once per question, with the ways that show more.
        assert page.locator(".totals-only").count() == found["questions"], query
        assert page.locator(".totals-only a").first.get_attribute("href").endswith("by=age")
