import pytest
from django.utils import translation
from django.utils.translation import gettext

from consultations.models import Response
from consultations.tests.factories import answer_data, form_token, make_consultation

pytestmark = pytest.mark.django_db


def test_an_oversized_body_gets_a_clear_400_in_the_visitors_language_and_stores_nothing(client, settings):
    consultation = make_consultation()
    token = form_token(client, consultation, "fr")
    text = consultation.ordered_questions()[3]
    data = answer_data(consultation, token, **{f"q{text.pk}": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    page = client.post(f"/fr/consultations/{consultation.slug}/answer/", data)
    assert page.status_code == 400
    assert not Response.objects.exists()
    with translation.override("fr"):
        expected = gettext("Something was wrong with what was sent")
    assert expected != "Something was wrong with what was sent"
    assert expected in page.content.decode()


def test_the_body_limit_leaves_room_for_twelve_full_arabic_answers(settings):
    from urllib.parse import quote

    one_answer = len(quote("ع" * settings.FREE_TEXT_MAX_LENGTH))
    assert 12 * one_answer < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_an_expired_form_is_shown_again_with_its_answers_and_a_fresh_token(client, settings):
    consultation = make_consultation()
    token = form_token(client, consultation)
    settings.FORM_TOKEN_MAX_AGE_SECONDS = -1  # every token is now too old
    text = consultation.ordered_questions()[3]
    page = client.post(
        f"/en/consultations/{consultation.slug}/answer/",
        answer_data(consultation, token, **{f"q{text.pk}": "keep me"}),
    )
    assert not Response.objects.exists()
    assert page.context["notice"] == "expired"
    assert "keep me</textarea>" in page.content.decode()
    fresh = page.context["form"]["token"].value()
    assert fresh != token

    settings.FORM_TOKEN_MAX_AGE_SECONDS = 3600
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, fresh))
    assert Response.objects.count() == 1


def test_a_forged_token_is_refused(client):
    consultation = make_consultation()
    page = client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, "forged:token"))
    assert page.status_code == 200
    assert page.context["notice"] == "expired"
    assert not Response.objects.exists()


def test_other_methods_are_refused(client):
    consultation = make_consultation()
    assert client.put(f"/en/consultations/{consultation.slug}/answer/").status_code == 405
    assert client.post(f"/en/consultations/{consultation.slug}/").status_code == 405
