"""A validation error re-renders the form with everything the young person entered."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from consultations.models import Response
from consultations.tests.factories import answer_data, form_token, make_consultation

pytestmark = pytest.mark.django_db


def test_a_missing_required_answer_keeps_everything_else_and_links_to_the_question(client):
    consultation = make_consultation(required=True)
    single, multiple, rating, text = consultation.ordered_questions()
    token = form_token(client, consultation)
    data = answer_data(consultation, token, **{f"q{single.pk}": ""})
    data[f"q{text.pk}"] = "Mon idée : des cours à l’école"

    page = client.post(f"/fr/consultations/{consultation.slug}/answer/", data)

    assert page.status_code == 200
    assert not Response.objects.exists()
    html = page.content.decode()
    # The error summary links to the first option of the question in error.
    assert f'href="#id_q{single.pk}_0"' in html
    assert 'class="error-summary"' in html
    # Everything entered is still there.
    assert "Mon idée : des cours à l’école</textarea>" in html
    assert re.search(rf'value="{multiple.ordered_choices()[0].pk}"[^>]*checked', html)
    assert re.search(rf'value="{multiple.ordered_choices()[2].pk}"[^>]*checked', html)
    assert re.search(r'value="4"[^>]*checked', html)
    assert re.search(r'value="12-14"[^>]*checked', html)
    assert '<option value="FR" selected>' in html
    # And the message is in French.
    with translation.override("fr"):
        assert gettext("There is a problem") in html


def test_a_free_text_answer_over_2000_characters_is_refused_and_kept(client):
    consultation = make_consultation()
    text = consultation.ordered_questions()[3]
    token = form_token(client, consultation)
    long_answer = "é" * 2001
    page = client.post(
        f"/en/consultations/{consultation.slug}/answer/",
        answer_data(consultation, token, **{f"q{text.pk}": long_answer}),
    )
    assert not Response.objects.exists()
    html = page.content.decode()
    assert long_answer in html
    assert "2000" in html and "2001" in html
    assert f'href="#id_q{text.pk}"' in html


def test_exactly_2000_characters_are_accepted(client):
    consultation = make_consultation()
    text = consultation.ordered_questions()[3]
    token = form_token(client, consultation)
    client.post(
        f"/en/consultations/{consultation.slug}/answer/",
        answer_data(consultation, token, **{f"q{text.pk}": "a" * 2000}),
    )
    assert Response.objects.count() == 1


def test_a_choice_from_another_question_is_refused(client):
    consultation = make_consultation()
    single, multiple, *_ = consultation.ordered_questions()
    token = form_token(client, consultation)
    page = client.post(
        f"/en/consultations/{consultation.slug}/answer/",
        answer_data(consultation, token, **{f"q{single.pk}": str(multiple.ordered_choices()[0].pk)}),
    )
    assert page.status_code == 200
    assert not Response.objects.exists()
    assert 'class="error-summary"' in page.content.decode()


@pytest.mark.parametrize("rating", ["0", "6", "4.5", "x", "٤"])
def test_a_rating_outside_1_to_5_is_refused(client, rating):
    consultation = make_consultation()
    question = consultation.ordered_questions()[2]
    token = form_token(client, consultation)
    client.post(
        f"/en/consultations/{consultation.slug}/answer/",
        answer_data(consultation, token, **{f"q{question.pk}": rating}),
    )
    assert not Response.objects.exists()


def test_an_unknown_age_band_or_sex_is_refused(client):
    consultation = make_consultation()
    token = form_token(client, consultation)
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token, age_band="99"))
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token, sex="robot"))
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token, country="XX"))
    assert not Response.objects.exists()
