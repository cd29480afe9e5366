"""A form sent with a required question unanswered says what is wrong and leads to it."""

from __future__ import annotations

import pytest

from consultations.models import Response
from consultations.tests.factories import make_consultation
from tests.browser.conftest import (
    describe_focus,
    direction,
    html_lang_dir,
    is_send_button,
    press_and_wait_for_page,
    tab_until,
    ui,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_the_error_summary_links_to_each_question_and_moves_focus_there(live_server, new_context, language, javascript):
    consultation = make_consultation(required=True)
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{live_server.url}/{language}/consultations/{consultation.slug}/answer/")
    assert page.locator(".error-summary").count() == 0, "no summary before anything is sent"

    tab_until(page, is_send_button(language), "the send button")
    press_and_wait_for_page(page)
    assert Response.objects.count() == 0
    assert html_lang_dir(page) == (language, direction(language))
    assert page.title().startswith(ui(language, "Error:")), page.title()

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("h2").inner_text().strip() == ui(language, "There is a problem")
    links = summary.locator("a")
    questions = consultation.ordered_questions()
    assert links.count() == len(questions), "one line for each unanswered required question"
    required_message = ui(language, "Please answer this question: it is one of the few that cannot be skipped.")
    for link, question in zip(links.all(), questions, strict=True):
        text = link.inner_text()
        assert question.text_in(language) in text and required_message in text, text
        target = link.get_attribute("href")
        assert target.startswith("#"), target
        assert page.locator(f"[id='{target[1:]}']").count() == 1, f"{target} is not an element of the page"
        # The question it leads to shows the message next to it, tied to it for screen readers.
        field = page.locator(f"[id='{target[1:]}']")
        assert field.evaluate("e => ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)")
        error_id = f"id_q{question.pk}-error"
        assert page.locator(f"#{error_id}").inner_text().strip().endswith(required_message)
        described = field.evaluate("e => (e.closest('fieldset') || e).getAttribute('aria-describedby') || ''")
        assert error_id in described.split(), described

    # Follow the first link by keyboard: the first option of that question gets focus.
    first_target = links.first.get_attribute("href")[1:]
    tab_until(page, f"e.getAttribute('href') === '#{first_target}'", "the first link of the error summary")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#{first_target}")
    assert page.evaluate("document.activeElement.id") == first_target, describe_focus(page)
    # …and from there the keyboard answers it.
    page.keyboard.press("Space")
    assert page.locator(f"[id='{first_target}']").is_checked()
