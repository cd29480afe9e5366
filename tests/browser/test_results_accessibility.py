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

# Every chart, as the browser has it: its role, accessible name source, texts in order, bars.
CHARTS = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const title = document.getElementById(svg.getAttribute('aria-labelledby') || '');
  const section = svg.closest('section');
  return {
    role: svg.getAttribute('role'),
    title: title ? title.textContent.trim() : '',
    direction: svg.getAttribute('direction'),
    width: svg.viewBox.baseVal.width,
    texts: [...svg.querySelectorAll('text')].map(t => ({
      text: t.textContent.trim(), group: t.classList.contains('chart-group')})),
    bars: [...svg.querySelectorAll('rect.chart-bar')].map(r => ({
      x: parseFloat(r.getAttribute('x')), width: parseFloat(r.getAttribute('width'))})),
    box: (b => ({left: b.left, right: b.right}))(svg.getBoundingClientRect()),
    textBoxes: [...svg.querySelectorAll('text')].map(t =>
      (b => ({left: b.left, right: b.right}))(t.getBoundingClientRect())),
    table: section && section.querySelector('table.results-table') ? {
      firstRow: [...section.querySelectorAll('table.results-table tbody tr:first-child td')].map(td => ({
        hidden: !!td.querySelector('.hidden-figure'), text: td.textContent.trim()})),
      firstLabel: section.querySelector('table.results-table tbody tr:first-child th').textContent.trim(),
      headers: [...section.querySelectorAll('table.results-table thead th')].slice(1).map(th => th.innerText.trim()),
    } : null,
  };
})"""

NUMBER = r"\d+(?:[.,]\d+)?"


def as_number(text: str) -> float:
    """A figure as printed, whatever the language's decimal separator."""
    return float(text.replace(",", "."))


def table_figure(text: str) -> tuple[float, float | None]:
    """(count, percent) of a table cell printed as "123 (45.6%)" or "0"."""
    match = re.fullmatch(rf"({NUMBER})(?:\s*\(({NUMBER})\s*%\))?", text.replace("\xa0", " "))
    assert match, f"a table cell reads {text!r}"
    return as_number(match[1]), None if match[2] is None else as_number(match[2])


def chart_figure(text: str) -> tuple[float, float | None]:
    """(count, percent) of a chart figure printed as "45.6% (123)" or "0"."""
    match = re.fullmatch(rf"(?:({NUMBER})\s*%\s*\(({NUMBER})\)|({NUMBER}))", text.replace("\xa0", " "))
    assert match, f"a chart figure reads {text!r}"
    if match[3] is not None:
        return as_number(match[3]), None
    return as_number(match[2]), as_number(match[1])


def chart_groups(chart: dict) -> list[tuple[str | None, str | None]]:
    """(heading, figure of the first answer) of each group of bars, in order. The heading is
    None when the chart has a single group; the figure is None for "too few responses"."""
    groups: list[tuple[str | None, list[str]]] = []
    for text in chart["texts"]:
        if text["group"]:
            groups.append((text["text"], []))
        else:
            if not groups:
                groups.append((None, []))
            groups[-1][1].append(text["text"])
    # A group reads: answer, figure, answer, figure...; or just "Too few responses to show".
    return [(heading, texts[1] if len(texts) > 1 else None) for heading, texts in groups]


def assert_charts_match_tables(page: Any, language: str, label: str) -> int:
    """Each chart is a named image, and says for the first answer what its table says."""
    charts = page.evaluate(CHARTS)
    hidden, too_few = ui(language, "hidden"), ui(language, "Too few responses to show")
    for number, chart in enumerate(charts, start=1):
        where = f"chart {number} of {label} [{language}]"
        assert chart["role"] == "img", where
        assert chart["title"], f"{where} has no title to name it"
        image = page.get_by_role("img", name=chart["title"], exact=True)
        assert image.count() == 1, f"{where} is not exposed as an image named {chart['title']!r}"
        table = chart["table"]
        assert table is not None, f"{where} has no table after it"
        groups = chart_groups(chart)
        for heading, figure in groups:
            if figure is None:
                assert too_few in [t["text"] for t in chart["texts"]], f"{where}: group {heading!r} is empty"
        shown = [(heading, figure) for heading, figure in groups if figure is not None]
        assert len(shown) == len(table["headers"]) == len(table["firstRow"]), (
            f"{where}: {len(shown)} groups of bars for {len(table['headers'])} columns of figures"
        )
        first_texts = [t["text"] for t in chart["texts"] if not t["group"]]
        assert table["firstLabel"] in first_texts, f"{where} names the first answer {table['firstLabel']!r}"
        for (heading, figure), header, cell in zip(shown, table["headers"], table["firstRow"], strict=True):
            what = f"{where}, first answer, column {header!r}"
            if heading is not None:
                # The table heads a column "Kenya<br>Female" (or "Female" for one place); the chart "Kenya – Female".
                assert all(line in heading for line in header.splitlines()), f"{what}: the chart says {heading!r}"
            if cell["hidden"]:
                assert figure == hidden, f"{what}: the table hides it, the chart says {figure!r}"
            else:
                assert chart_figure(figure) == table_figure(cell["text"]), (
                    f"{what}: the table says {cell['text']!r}, the chart {figure!r}"
                )
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
                japan = [
                    row
                    for row in page.locator("table:not(.results-table) tbody tr").all_inner_texts()
                    if query == JAPAN_ALONE or row.startswith(japan_name(language))
                ]
                assert japan and all(row.split("\t")[-1].strip() == ui(language, "hidden") for row in japan), japan
            if query == JAPAN_ALONE:
                notices = page.locator(".notice")
                assert notices.count() == len(published.ordered_questions()), label
                assert notices.first.inner_text().strip() == ui(language, "Too few responses to show.")
                assert page.locator("svg.chart").count() == 0, label
            else:
                assert page.locator("svg.chart").count() == len(published.ordered_questions()), label
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
    headers = page.locator("table.results-table").first.locator("thead th")
    # A column per sex (those with too few responses are named below the table instead), then all.
    shown = [h.strip() for h in headers.all_inner_texts()][1:]
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

    scrolled = False
    for label, query in VIEWS:
        page.goto(results_url(live_server, "ar", query))
        assert_fits_the_phone(page, label)

        charts = page.evaluate(CHARTS)
        for number, chart in enumerate(charts, start=1):
            where = f"chart {number} of {label}"
            assert chart["direction"] == "rtl", where
            for bar in chart["bars"]:
                # Bars grow leftwards from the right edge.
                assert abs(bar["x"] + bar["width"] - chart["width"]) < 0.2, f"{where}: a bar at {bar}"
                assert bar["x"] + bar["width"] > chart["width"] / 2, where
            # Every text is drawn inside the chart, none cut off at either edge.
            for box in chart["textBoxes"]:
                assert chart["box"]["left"] - 1 <= box["left"] and box["right"] <= chart["box"]["right"] + 1, (
                    f"{where}: a text from {box['left']:.0f} to {box['right']:.0f}px "
                    f"is outside the chart ({chart['box']['left']:.0f} to {chart['box']['right']:.0f}px)"
                )
        if query != JAPAN_ALONE:
            assert any(chart["bars"] for chart in charts), f"{label}: no bar was drawn"
        # Wide tables scroll inside their own boxes, which keyboard users can reach.
        wraps = page.locator(".table-wrap")
        for i in range(wraps.count()):
            assert wraps.nth(i).get_attribute("tabindex") == "0"
        scrolled = scrolled or page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].some(e => e.scrollWidth > e.clientWidth)"
        )
    assert scrolled, "no table was wider than the phone: the test shows nothing about scrolling inside a box"
