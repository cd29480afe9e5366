"""A young person answers a demo consultation with the keyboard alone and no JavaScript."""

from __future__ import annotations

import pytest

from consultations.models import Answer, Consultation, Question, Response
from tests.browser.conftest import direction, html_lang_dir, is_send_button, press_and_wait_for_page, tab_until, ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FREE_TEXT = {
    "ar": "أريد أن يساعدني أحد، my email is kid@example.com شكرًا",
    "zh-hans": "我希望有人帮助我，my email is kid@example.com 谢谢",
    "en": "Teach us to block people. My email is kid@example.com",
    "fr": "Apprenez-nous à bloquer. Mon e-mail : kid@example.com merci",
    "ru": "Научите нас блокировать. Моя почта kid@example.com спасибо",
    "es": "Enséñennos a bloquear. Mi correo es kid@example.com gracias",
}
COUNTRIES = {"ar": "EG", "zh-hans": "CN", "en": "GB", "fr": "FR", "ru": "RU", "es": "MX"}


def focused(page, prop: str) -> str:
    return page.evaluate(f"() => document.activeElement && document.activeElement.{prop}")


def checked_value(page, name: str) -> str | None:
    return page.evaluate(
        f"() => {{ const e = document.querySelector('input[name={name}]:checked'); return e && e.value; }}"
    )


@pytest.mark.parametrize("slug", ["cyberbullying", "digital-skills"])
@pytest.mark.parametrize("language", list(COUNTRIES))
def test_a_consultation_can_be_answered_with_the_keyboard_alone_without_javascript(
    live_server, demo, new_context, language, slug
):
    country = COUNTRIES[language]
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/{language}/")
    assert html_lang_dir(page) == (language, direction(language))

    # Home: Tab to the consultation, Enter.
    tab_until(page, f"e.tagName === 'A' && e.getAttribute('href') === '/{language}/consultations/{slug}/'", slug)
    consultation = Consultation.objects.with_content().get(slug=slug)
    assert focused(page, "textContent").strip() == consultation.title_in(language)
    press_and_wait_for_page(page)
    assert page.url == f"{live_server.url}/{language}/consultations/{slug}/"
    assert page.locator("h1").inner_text() == consultation.title_in(language)

    # Start page: Tab to "Start now", Enter.
    tab_until(page, "e.tagName === 'A' && e.getAttribute('href').endsWith('/answer/')", "the Start now link")
    assert focused(page, "textContent").strip() == ui(language, "Start now")
    press_and_wait_for_page(page)
    assert page.url == f"{live_server.url}/{language}/consultations/{slug}/answer/"
    assert html_lang_dir(page) == (language, direction(language))

    # About you: radios with Space and arrow keys.
    tab_until(page, "e.name === 'age_band'", "the age-band radios")
    assert focused(page, "id") == "id_age_band_0", "Tab enters a radio group on its first option"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert checked_value(page, "age_band") == "12-14"

    tab_until(page, "e.name === 'sex'", "the sex radios", limit=1)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert checked_value(page, "sex") == "male"

    # Country: the names are in the page's language, so arrow down to the wanted one.
    tab_until(page, "e.name === 'country'", "the country list", limit=1)
    position = page.evaluate(f"() => [...document.activeElement.options].findIndex(o => o.value === '{country}')")
    assert position > 1, f"{country} is offered in the country list"
    for _ in range(position):
        page.keyboard.press("ArrowDown")
    assert focused(page, "value") == country

    # Your views: the first question of each kind, in page order.
    questions = consultation.ordered_questions()
    picked: dict[str, Question] = {}
    for question in questions:
        picked.setdefault(question.kind, question)
    assert set(picked) == {"single", "multiple", "rating", "text"}, "the demo has every kind of question"
    for question in sorted(picked.values(), key=lambda q: q.position):
        name = f"q{question.pk}"
        if question.kind == "single":
            tab_until(page, f"e.name === '{name}'", f"single-choice question {question.position}")
            page.keyboard.press("Space")
            page.keyboard.press("ArrowDown")
            assert checked_value(page, name) == str(question.ordered_choices()[1].pk)
        elif question.kind == "multiple":
            tab_until(page, f"e.id === 'id_{name}_0'", f"multiple-choice question {question.position}")
            page.keyboard.press("Space")
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            assert focused(page, "id") == f"id_{name}_2", "each box is a stop of its own"
            page.keyboard.press("Space")
            ticked = page.evaluate(
                f"() => [...document.querySelectorAll('input[name={name}]:checked')].map(e => e.value)"
            )
            choices = question.ordered_choices()
            assert ticked == [str(choices[0].pk), str(choices[2].pk)]
        elif question.kind == "rating":
            tab_until(page, f"e.name === '{name}'", f"rating question {question.position}")
            page.keyboard.press("Space")
            for _ in range(3):
                page.keyboard.press("ArrowDown")
            assert checked_value(page, name) == "4"
        else:
            tab_until(page, f"e.name === '{name}'", f"free-text question {question.position}")
            assert focused(page, "tagName") == "TEXTAREA"
            page.keyboard.type(FREE_TEXT[language])
            assert focused(page, "value") == FREE_TEXT[language]

    tab_until(page, is_send_button(language), "the send button")
    assert focused(page, "textContent").strip() == ui(language, "Send my answers")
    press_and_wait_for_page(page)

    # The thank-you page, in the same language and direction.
    assert html_lang_dir(page) == (language, direction(language))
    assert page.locator("h1").inner_text().strip() == ui(language, "Thank you!")
    assert consultation.title_in(language) in page.locator(".panel-success").inner_text()
    assert page.locator("#help-title").inner_text().strip() == ui(language, "Need to talk to someone?")

    # Exactly what was chosen was stored, and the email was not.
    response = Response.objects.get()
    assert (response.consultation_id, response.language) == (consultation.pk, language)
    assert (response.age_band, response.sex, response.country.code) == ("12-14", "male", country)
    answers = Answer.objects.filter(response=response)
    single, multiple, rating, text = (picked[k] for k in ("single", "multiple", "rating", "text"))
    assert [a.choice_id for a in answers.filter(question=single)] == [single.ordered_choices()[1].pk]
    assert sorted(a.choice_id for a in answers.filter(question=multiple)) == sorted(
        [multiple.ordered_choices()[0].pk, multiple.ordered_choices()[2].pk]
    )
    assert answers.get(question=rating).rating == 4
    stored = answers.get(question=text).text
    assert "kid@example.com" not in stored
    assert stored == FREE_TEXT[language].replace("kid@example.com", f"[{ui(language, 'email removed')}]")
    assert answers.count() == 5, "nothing but the answers given was stored"
    assert not Answer.objects.filter(text__contains="kid@example.com").exists()
