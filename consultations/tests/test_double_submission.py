"""A double click, a reload or a back-and-resubmit does not create a second response."""

import threading

import pytest
from django.db import connection
from django.test import Client

from consultations.models import Answer, Response
from consultations.tests.factories import answer_data, form_token, make_consultation
from consultations.tests.pages import assert_thank_you_page, token_on_page, what_the_page_shows


@pytest.mark.django_db
def test_sending_the_same_form_twice_stores_one_response_and_thanks_twice(client):
    consultation = make_consultation()
    token = form_token(client, consultation)
    data = answer_data(consultation, token)
    first = client.post(f"/en/consultations/{consultation.slug}/answer/", data)
    again = client.post(f"/en/consultations/{consultation.slug}/answer/", data)

    assert_thank_you_page(first)
    assert_thank_you_page(again)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 5  # single + two ticked boxes + rating + text


@pytest.mark.django_db
def test_back_and_resubmit_with_changed_answers_is_still_one_response(client):
    consultation = make_consultation()
    token = form_token(client, consultation)
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token, age_band="15-17"))
    assert list(Response.objects.values_list("age_band", flat=True)) == ["12-14"]


@pytest.mark.django_db
def test_two_forms_opened_separately_are_two_responses(client):
    consultation = make_consultation()
    for _ in range(2):
        token = form_token(client, consultation)
        client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    assert Response.objects.count() == 2


@pytest.mark.django_db
def test_a_token_from_another_consultation_is_refused_and_nothing_is_lost(client):
    first, second = make_consultation(), make_consultation()
    token = form_token(client, first)
    page = client.post(f"/en/consultations/{second.slug}/answer/", answer_data(second, token))
    assert not Response.objects.exists()
    assert page.status_code == 200
    assert what_the_page_shows(page) == "answering form (send again)"
    assert token_on_page(page) not in ("", token)


@pytest.mark.django_db(transaction=True)
def test_a_double_click_racing_in_two_threads_stores_one_response():
    consultation = make_consultation()
    token = form_token(Client(), consultation)
    data = answer_data(consultation, token)
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        try:
            barrier.wait()
            statuses.append(Client().post(f"/en/consultations/{consultation.slug}/answer/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200]
    assert Response.objects.count() == 1
