"""On a 320 CSS px wide phone, the answering page never scrolls sideways."""

from __future__ import annotations

import pytest

from consultations.tests.factories import make_consultation
from tests.browser.conftest import assert_styled, direction, html_lang_dir, send_button

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320

# The elements that stick out of the viewport, to say what to fix when this fails.
OVERFLOWING = f"""() => [...document.querySelectorAll('body *')]
  .filter(e => {{ const r = e.getBoundingClientRect(); return r.width && (r.right > {WIDTH} + 0.5 || r.left < -0.5); }})
  .slice(0, 10)
  .map(e => {{ const r = e.getBoundingClientRect();
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
      + ' from ' + Math.round(r.left) + ' to ' + Math.round(r.right) + 'px'; }})"""


def assert_no_sideways_scrolling(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{label} is {width}px wide at {WIDTH}px; sticking out:\n" + "\n".join(
        page.evaluate(OVERFLOWING)
    )


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_answering_page_fits_a_320px_phone(live_server, demo, new_context, language):
    page = new_context(viewport={"width": WIDTH, "height": 640}, is_mobile=True, has_touch=True).new_page()
    for slug in demo:
        page.goto(f"{live_server.url}/{language}/consultations/{slug}/answer/")
        assert_styled(page)
        assert html_lang_dir(page) == (language, direction(language))
        assert_no_sideways_scrolling(page, f"the answering page of {slug}")
        assert page.evaluate("window.innerWidth") == WIDTH, "the phone did not zoom out to fit a wider page"

    # With every error message and the summary showing too.
    consultation = make_consultation(required=True)
    page.goto(f"{live_server.url}/{language}/consultations/{consultation.slug}/answer/")
    with page.expect_navigation():
        send_button(page, language).click()
    assert page.locator(".error-summary").is_visible()
    assert_no_sideways_scrolling(page, "the answering page with errors")
