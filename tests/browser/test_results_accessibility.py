"""The public results pages: accessible in all six languages, usable with the keyboard alone
and no JavaScript, mirrored for Arabic, and their charts say what their tables say.

One consultation is counted once per test: 400 respondents in six countries of three regions,
two more in Japan (too few to show), and one approved quote. Each test reuses one page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from consultations.demographics import Sex
from tests.browser.conftest import assert_no_axe_violations, assert_styled, direction, html_lang_dir, tab_until, ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "youth-online"
QUOTE = "Teachers should know how to stop bullying online."
PHONE = 320

JAPAN_ALONE = "?country=JPN"
# The results pages checked in every language: (what it shows, query string).
VIEWS = [
    ("all countries, no breakdown", ""),
    ("a region by sex", "?region=europe&by=sex"),
    ("two countries side by side by age", "?country=FRA&country=DEU&by=age"),
    ("a country with too few responses", JAPAN_ALONE),
    ("a country beside one with too few responses", "?country=KEN&country=JPN&by=sex"),
]


@pytest.fixture
def published(transactional_db: None) -> Any:
    """A consultation with counted results, every kind of question, and an approved quote."""
    from django.core.cache import cache

    from consultations.models import Answer
    from consultations.tests.factories import make_consultation
    from reports.models import QuoteReview
    from reports.tests.helpers import add_responses, publish_release

    # Pages are cached by tally run; a run of an earlier test could share its number.
    cache.clear()
    consultation = make_consultation(slug=SLUG)
    add_responses(consultation, 400, seed=7, countries=("FR", "DE", "KE", "NG", "BR", "EG"))
    add_responses(consultation, 2, seed=8, countries=("JP",))
    answer = Answer.objects.filter(question__consultation=consultation, question__kind="text").exclude(text="").first()
    QuoteReview.objects.create(answer=answer, status=QuoteReview.Status.APPROVED, text=QUOTE)
    publish_release(consultation)
    return consultation


def japan_name(language: str) -> str:
    from django.utils import translation
    from django_countries import countries

    with translation.override(language):
        return str(countries.name("JP"))


def results_url(live_server: Any, language: str, query: str = "") -> str:
    return f"{live_server.url}/{language}/results/{SLUG}/{query}"


# Charts --------------------------------------------------------------------------------

# Every chart, as the browser has it: its role and name, and each answer's bars with their
# figures; and every figure of the tables in the same section.
CHARTS = """() => [...document.querySelectorAll('.chart')].map(chart => {
  const section = chart.closest('section');
  const box = e => (b => ({left: b.left, right: b.right, top: b.top, bottom: b.bottom}))(e.getBoundingClientRect());
  return {
    role: chart.getAttribute('role'),
    title: chart.getAttribute('aria-label') || '',
    answers: [...chart.querySelectorAll('.chart-answer')].map(e => e.textContent.trim()),
    figures: [...chart.querySelectorAll('.chart-figure')].map(e => e.textContent.trim()),
    fontSizes: [...chart.querySelectorAll('.chart-answer, .chart-series, .chart-figure')].map(
      e => parseFloat(getComputedStyle(e).fontSize)),
    bars: [...chart.querySelectorAll('.chart-bar')].map(e => ({bar: box(e), track: box(e.parentElement)})),
    box: box(chart),
    textBoxes: [...chart.querySelectorAll('.chart-answer, .chart-series, .chart-figure')].map(box),
    cells: section
      ? [...section.querySelectorAll('table.results-table tbody td')].map(td => td.textContent.trim()) : [],
  };
})"""

NUMBER = r"\d+(?:[.,]\d+)?"


def as_number(text: str) -> float:
    """A figure as printed, whatever the language's decimal separator."""
    return float(text.replace(",", "."))


def table_figure(text: str) -> tuple[float, float | None]:
    """(count, percent) of a table cell printed as "123 (45.6%)" or "0"."""
    match = re.fullmatch(rf"({NUMBER})(?:\s*\(({NUMBER})\s*%\))?", " ".join(text.replace("\xa0", " ").split()))
    assert match, f"a table cell reads {text!r}"
    return as_number(match[1]), None if match[2] is None else as_number(match[2])


def chart_figure(text: str) -> tuple[float, float | None]:
    """(count, percent) of a chart figure printed as "45.6% (123)" or "0"."""
    match = re.fullmatch(rf"(?:({NUMBER})\s*%\s*\(({NUMBER})\)|({NUMBER}))", text.replace("\xa0", " "))
    assert match, f"a chart figure reads {text!r}"
    if match[3] is not None:
        return as_number(match[3]), None
    return as_number(match[2]), as_number(match[1])


def assert_charts_match_tables(page: Any, language: str, label: str) -> int:
    """Each chart is a named image whose text is at least the body size, and every figure it
    draws is printed in a table beside it."""
    charts = page.evaluate(CHARTS)
    hidden = ui(language, "hidden")
    for number, chart in enumerate(charts, start=1):
        where = f"chart {number} of {label} [{language}]"
        assert chart["role"] == "img", where
        assert chart["title"], f"{where} has no name"
        image = page.get_by_role("img", name=chart["title"], exact=True)
        assert image.count() == 1, f"{where} is not exposed as an image named {chart['title']!r}"
        assert min(chart["fontSizes"]) >= 18, f"{where}: text of {min(chart['fontSizes'])}px"
        assert chart["answers"] and chart["figures"], where
        printed = {table_figure(c) for c in chart["cells"] if c != hidden}
        for figure in chart["figures"]:
            if figure == hidden:
                assert hidden in chart["cells"], f"{where}: the chart hides a figure its tables do not"
            else:
                assert chart_figure(figure) in printed, f"{where}: {figure!r} is in no table beside it"
    return len(charts)


# 1. axe-core ---------------------------------------------------------------------------


def test_no_accessibility_violation_on_the_results_pages(live_server, published, page):
    failures: list[str] = []

    def check(language: str, label: str) -> None:
        assert_styled(page)
        assert html_lang_dir(page) == (language, direction(language)), label
        try:
            assert_no_axe_violations(page, f"{label} [{language}]")
        except AssertionError as error:
            failures.append(str(error))

    for language in settings.LANGUAGE_CODES:
        base = f"{live_server.url}/{language}/results"
        page.goto(f"{base}/")
        assert page.get_by_role("link", name=published.title_in(language), exact=True).count() == 1
        check(language, "the results index")
        page.goto(f"{base}/methodology/")
        check(language, "the methodology page")
        page.goto(f"{base}/api/")
        check(language, "the API page")

        for label, query in VIEWS:
            page.goto(results_url(live_server, language, query))
            assert page.locator("h1").inner_text().endswith(published.title_in(language))
            if "JPN" in query:
                # Japan's two respondents: every figure of Japan is hidden, its groups named as too few.
                # Japan's two respondents: nothing of Japan is shown, and the page says so in one line.
                assert japan_name(language) in page.locator(".too-few-places").first.inner_text()
                if page.locator("table").count():
                    assert japan_name(language) not in page.locator("table").first.inner_text()
            if query == JAPAN_ALONE:
                notices = page.locator(".notice")
                assert notices.count() == len(published.ordered_questions()), label
                assert notices.first.inner_text().strip() == ui(language, "Too few responses to show.")
                assert page.locator(".chart").count() == 0, label
            else:
                assert page.locator(".chart").count() == len(published.ordered_questions()), label
            if query == "":
                assert page.locator(".quotes blockquote").inner_text().strip() == QUOTE
            assert_charts_match_tables(page, language, label)
            check(language, f"the results page, {label}")

    assert not failures, "\n\n".join(failures)


# 2. Keyboard, no JavaScript -------------------------------------------------------------


def focused(page: Any, prop: str) -> Any:
    return page.evaluate(f"() => document.activeElement && document.activeElement.{prop}")


def submit_with(page: Any, key: str) -> None:
    tab_until(page, "e.type === 'submit' && !!e.closest('form.results-filters')", "the Show results button")
    assert focused(page, "textContent").strip() == ui("en", "Show results")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)


def test_the_filters_work_with_the_keyboard_alone_without_javascript(live_server, published, new_context):
    language = "en"
    page = new_context(java_script_enabled=False).new_page()
    page.goto(results_url(live_server, language))

    # A region, by sex: Tab to the region list, type to choose, arrow to the radio, Enter.
    tab_until(page, "e.id === 'id_region'", "the region list")
    page.keyboard.type("Europe")
    assert focused(page, "value") == "europe"
    tab_until(page, "e.name === 'by'", "the breakdown radios")
    assert focused(page, "value") == "", "Tab enters the radios on the checked one, No breakdown"
    while focused(page, "value") != "sex":
        page.keyboard.press("ArrowDown")
        assert focused(page, "checked"), "an arrow key checks the radio it moves to"
    submit_with(page, "Enter")

    assert page.url == results_url(live_server, language, "?region=europe&country=&by=sex")
    assert page.locator("#id_region").input_value() == "europe"
    assert page.locator("input[name=by]:checked").get_attribute("value") == "sex"
    assert page.locator(".chosen-places").inner_text().startswith("Europe")
    groups = page.locator("table.groups-table").first.locator("tbody").first.locator("th[scope=row]")
    # A row per sex (those with too few responses are counted below the table instead), then all.
    shown = [h.strip() for h in groups.all_inner_texts()]
    assert shown[:2] == [str(Sex.FEMALE.label), str(Sex.MALE.label)], shown
    assert shown[-1] == ui(language, "All respondents"), shown
    assert set(shown[2:-1]) <= {str(label) for label in Sex.labels}, shown

    # Add a country: Tab to the country list, type its name, Space on the button.
    tab_until(page, "e.id === 'id_country'", "the country list")
    page.keyboard.type("Germany")
    assert focused(page, "value") == "DEU"
    submit_with(page, "Space")
    assert page.url == results_url(live_server, language, "?region=europe&country=DEU&by=sex")
    places = page.locator(".chosen-places li")
    assert [t.split(" Remove ")[0] for t in places.all_inner_texts()] == ["Europe", "Germany"]
    first_header = page.locator("table.results-table").first.locator("thead th").nth(1).inner_text()
    assert first_header.splitlines()[0] == "Europe"
    assert "Germany" in page.locator("table.results-table").first.locator("thead").inner_text()

    # Remove Germany with its link.
    tab_until(page, "e.tagName === 'A' && e.textContent.trim() === 'Remove Germany'", "the Remove Germany link")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert page.url == results_url(live_server, language, "?region=europe&by=sex")
    assert [t.split(" Remove ")[0] for t in page.locator(".chosen-places li").all_inner_texts()] == ["Europe"]
    assert "Germany" not in page.locator("main table").first.inner_text()
    assert page.locator("#id_region").input_value() == "europe"
    assert page.locator("input[name=by]:checked").get_attribute("value") == "sex"


# 3. Arabic: mirrored, and no sideways scrolling on a phone -------------------------------

OVERFLOWING = f"""() => [...document.querySelectorAll('body *')]
  .filter(e => {{ const r = e.getBoundingClientRect(); return r.width && (r.right > {PHONE} + 0.5 || r.left < -0.5)
     && !e.closest('.table-wrap, .chart-wrap'); }})
  .slice(0, 10)
  .map(e => {{ const r = e.getBoundingClientRect();
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (typeof e.className === 'string' && e.className ? '.' + e.className : '')
      + ' from ' + Math.round(r.left) + ' to ' + Math.round(r.right) + 'px'; }})"""


def assert_fits_the_phone(page: Any, label: str) -> None:
    assert_styled(page)
    assert html_lang_dir(page) == ("ar", "rtl"), label
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{label} is {width}px wide at {PHONE}px; sticking out:\n" + "\n".join(
        page.evaluate(OVERFLOWING)
    )
    assert page.evaluate("window.innerWidth") == PHONE, "the phone did not zoom out to fit a wider page"


def test_arabic_results_are_mirrored_and_fit_a_320px_phone(live_server, published, new_context):
    page = new_context(viewport={"width": PHONE, "height": 640}, is_mobile=True, has_touch=True).new_page()
    for label, path in [("the results index", ""), ("the methodology page", "methodology/"), ("the API page", "api/")]:
        page.goto(f"{live_server.url}/ar/results/{path}")
        assert_fits_the_phone(page, label)

    for label, query in VIEWS:
        page.goto(results_url(live_server, "ar", query))
        assert_fits_the_phone(page, label)

        charts = page.evaluate(CHARTS)
        for number, chart in enumerate(charts, start=1):
            where = f"chart {number} of {label}"
            for bar in chart["bars"]:
                # Bars grow leftwards from the right edge of their track.
                assert abs(bar["bar"]["right"] - bar["track"]["right"]) < 0.5, f"{where}: a bar at {bar}"
            # Every text is drawn inside the chart, none cut off at either edge.
            for box in chart["textBoxes"]:
                assert chart["box"]["left"] - 1 <= box["left"] and box["right"] <= chart["box"]["right"] + 1, (
                    f"{where}: a text from {box['left']:.0f} to {box['right']:.0f}px "
                    f"is outside the chart ({chart['box']['left']:.0f} to {chart['box']['right']:.0f}px)"
                )
        if query != JAPAN_ALONE:
            assert any(chart["bars"] for chart in charts), f"{label}: no bar was drawn"
        # Every table fits the phone whole; its box stays reachable by keyboard all the same.
        wraps = page.locator(".table-wrap")
        for i in range(wraps.count()):
            assert wraps.nth(i).get_attribute("tabindex") == "0"
        wide = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth + 1).length"
        )
        assert wide == 0, f"{label}: {wide} tables scroll sideways"
