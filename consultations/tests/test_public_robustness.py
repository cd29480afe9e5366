"""Odd but possible requests get a clear answer, never a 500, and store nothing half-way."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.models import Answer, Response
from consultations.tests.factories import answer_data, form_token, make_consultation
from consultations.tests.pages import assert_thank_you_page, what_the_page_shows

pytestmark = pytest.mark.django_db


def test_head_requests_are_answered_on_every_public_page(client):
    consultation = make_consultation()
    for path in (
        "/en/",
        f"/en/consultations/{consultation.slug}/",
        f"/en/consultations/{consultation.slug}/answer/",
        "/en/privacy/",
        "/ping",
    ):
        assert client.head(path).status_code == 200, path


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read_even_as_a_file(client, settings):
    consultation = make_consultation()
    token = form_token(client, consultation)
    upload = SimpleUploadedFile("big.bin", b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    page = client.post(
        f"/en/consultations/{consultation.slug}/answer/", {**answer_data(consultation, token), "f": upload}
    )
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_answers_to_questions_the_form_no_longer_has_are_not_dropped_silently(client):
    consultation = make_consultation()
    token = form_token(client, consultation)
    data = answer_data(consultation, token, q999999="an answer to a removed question")
    page = client.post(f"/en/consultations/{consultation.slug}/answer/", data)
    assert what_the_page_shows(page) == "answering form (questions changed)"
    assert not Response.objects.exists()
    # Sending the form as it now stands stores the response.
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    assert Response.objects.count() == 1


def test_a_resent_form_is_thanked_even_when_the_address_has_reached_its_limit(client, settings):
    settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS = 1
    consultation = make_consultation()
    token = form_token(client, consultation)
    data = answer_data(consultation, token)
    assert client.post(f"/en/consultations/{consultation.slug}/answer/", data).status_code == 200
    again = client.post(f"/en/consultations/{consultation.slug}/answer/", data)
    assert_thank_you_page(again)
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"age_band": ["12-14", "15-17"]},
        {"country": ["FR", "DE"]},
        {"token": ["a", "b"]},
        {"q1": "\x00\x01"},
        {"country": "<script>alert(1)</script>"},
    ],
)
def test_malformed_values_never_break_the_page_or_store_half_a_response(client, overrides):
    consultation = make_consultation()
    token = form_token(client, consultation)
    data = {**answer_data(consultation, token), **overrides}
    page = client.post(f"/en/consultations/{consultation.slug}/answer/", data)
    assert page.status_code in (200, 400)
    assert Response.objects.count() == Answer.objects.values("response").distinct().count()
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_response_and_answer_keys_are_random_not_a_sequence(client):
    consultation = make_consultation()
    for _ in range(2):
        token = form_token(client, consultation)
        client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    first, second = Response.objects.all()
    assert first.pk.version == 4 and second.pk.version == 4
    assert all(answer.pk.version == 4 for answer in Answer.objects.all())
