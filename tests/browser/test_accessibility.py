"""axe-core finds no WCAG 2.2 A/AA violation on any page of the journey, in any language."""

from __future__ import annotations

import pytest
from django.conf import settings

from consultations.tests.factories import make_consultation
from tests.browser.conftest import assert_no_axe_violations, assert_styled, direction, html_lang_dir, send_button, ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A country with a helpline in the demo data, so that the thank-you page lists one.
COUNTRY = {"ar": "EG", "zh-hans": "GB", "en": "GB", "fr": "FR", "ru": "RU", "es": "ES"}


@pytest.mark.parametrize("language", settings.LANGUAGE_CODES)
def test_no_accessibility_violation_on_any_page_of_the_journey(live_server, demo, page, language):
    base = f"{live_server.url}/{language}"

    def check(label: str) -> None:
        assert_styled(page)
        assert html_lang_dir(page) == (language, direction(language)), label
        assert_no_axe_violations(page, f"{label} [{language}]")

    page.goto(f"{base}/")
    assert page.locator(".card").count() == 2, "both demo consultations are listed"
    check("the home page")

    page.goto(f"{base}/privacy/")
    check("the privacy page")

    for slug, consultation in demo.items():
        page.goto(f"{base}/consultations/{slug}/")
        assert page.locator("h1").inner_text() == consultation.title_in(language)
        check(f"the start page of {slug}")

        page.goto(f"{base}/consultations/{slug}/answer/")
        assert page.locator("fieldset").count() >= 2
        check(f"the answering page of {slug}")

    # Errors: every question of this one is required, and it is sent empty.
    required = make_consultation(required=True)
    page.goto(f"{base}/consultations/{required.slug}/answer/")
    with page.expect_navigation():
        send_button(page, language).click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("h2").inner_text().strip() == ui(language, "There is a problem")
    assert summary.locator("a").count() == len(required.ordered_questions())
    check("the answering page with errors")

    # Thank you: reached by sending a demo consultation's form with a few answers.
    page.goto(f"{base}/consultations/cyberbullying/answer/")
    page.locator("#id_age_band_3").check()
    page.locator("#id_country").select_option(COUNTRY[language])
    page.locator("textarea").first.fill("Teach us how to report bullies.")
    with page.expect_navigation():
        send_button(page, language).click()
    assert page.locator("h1").inner_text().strip() == ui(language, "Thank you!")
    assert page.locator(".helpline").count() >= 1, "the helpline of the chosen country is listed"
    check("the thank-you page")
