"""Switching language while answering carries the answers over; after sending, it thanks again."""

import re

import pytest

from consultations.models import Response
from consultations.tests.factories import answer_data, form_token, make_consultation
from consultations.tests.pages import assert_thank_you_page, token_on_page

pytestmark = pytest.mark.django_db


def test_switching_language_mid_form_keeps_every_answer_and_stores_nothing(client):
    consultation = make_consultation()
    single, multiple, rating, text = consultation.ordered_questions()
    token = form_token(client, consultation, "en")
    data = answer_data(consultation, token, switch_language="ar")
    data[f"q{text.pk}"] = "half-written idea"

    page = client.post(f"/ar/consultations/{consultation.slug}/answer/", data)

    assert page.status_code == 200 and not Response.objects.exists()
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "Question 1 single [ar]" in html
    assert "half-written idea</textarea>" in html
    assert re.search(rf'value="{multiple.ordered_choices()[2].pk}" id="[^"]+" checked', html)
    assert re.search(r'value="4" id="[^"]+" checked', html)
    assert '<option value="FR" selected>' in html
    assert f'value="{token}"' in html  # the same form: sending it later is still one response
    assert 'class="error-summary"' not in html  # nothing was validated

    client.post(f"/ar/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    assert Response.objects.get().language == "ar"


def test_switching_language_on_the_thank_you_page_thanks_again_without_a_second_response(client):
    consultation = make_consultation()
    token = form_token(client, consultation, "en")
    thanks = client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    html = thanks.content.decode()
    assert 'id="switch-form"' in html and f'name="token" value="{token}"' in html

    again = client.post(
        f"/ru/consultations/{consultation.slug}/answer/", {"token": token, "country": "FR", "switch_language": "ru"}
    )
    assert_thank_you_page(again, "ru")
    assert '<html lang="ru" dir="ltr">' in again.content.decode()
    assert Response.objects.count() == 1


def test_a_forged_token_in_a_switch_gets_a_fresh_form(client):
    consultation = make_consultation()
    page = client.post(f"/fr/consultations/{consultation.slug}/answer/", {"token": "x:y", "switch_language": "fr"})
    assert page.status_code == 200
    assert token_on_page(page) not in ("", "x:y")
    assert not Response.objects.exists()
