"""The secretariat's navigation on a 375 px phone, in English and in Arabic: every link is
there and visible, and nothing scrolls sideways. A screenshot of each is kept in tmp_path."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.tests.factories import make_secretariat
from tests.browser.conftest import direction, html_lang_dir
from tests.browser.test_staff_pages_accessibility import SLUG, _roles, signed_in_context  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_monitoring_page_has_the_whole_navigation_on_a_phone(
    new_context: Any, live_server: Any, demo: Any, language: str, tmp_path: Any
) -> None:
    context = signed_in_context(new_context, live_server, make_secretariat())
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/{language}/secretariat/consultations/{SLUG}/monitor/")
    assert html_lang_dir(page) == (language, direction(language))
    areas = page.locator("nav.secretariat-nav a")
    pages = page.locator("nav.consultation-nav a")
    assert areas.count() == 6 and pages.count() == 6
    for link in areas.all() + pages.all():
        assert link.is_visible(), link.get_attribute("href")
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, link.get_attribute("href")
    current = page.locator("nav.consultation-nav a[aria-current='page']")
    assert current.get_attribute("href") == f"/{language}/secretariat/consultations/{SLUG}/monitor/"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(tmp_path / f"secretariat-nav-{language}.png"), full_page=False)
    # And back to the consultation from there.
    pages.first.click()
    assert page.url.endswith(f"/{language}/secretariat/consultations/{SLUG}/")
