from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from consultations.models import Consultation, Response
from consultations.tests.factories import answer_data, form_token, make_consultation

pytestmark = pytest.mark.django_db


def test_a_submission_after_the_closing_time_stores_nothing_and_says_so(client):
    consultation = make_consultation()
    token = form_token(client, consultation, "es")
    # The young person opened the form; the consultation closes before they press send.
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    page = client.post(f"/es/consultations/{consultation.slug}/answer/", answer_data(consultation, token))

    assert page.status_code == 410
    assert not Response.objects.exists()
    message = (
        "This consultation closed on %(date)s, so answers can no longer be sent. Nothing from this page has been saved."
    )
    with translation.override("es"):
        spanish = gettext(message)
    assert spanish != message
    html = " ".join(page.content.decode().split())
    assert spanish.split("%(date)s")[1].strip() in html


def test_a_consultation_that_has_not_opened_takes_no_answers(client):
    consultation = make_consultation(opens_in=timedelta(days=2), closes_in=timedelta(days=9))
    page = client.get(f"/en/consultations/{consultation.slug}/answer/")
    assert 'name="token"' not in page.content.decode()
    assert "opens on" in page.content.decode()
    start = client.get(f"/en/consultations/{consultation.slug}/")
    assert "/answer/" not in start.content.decode().split("</main>")[0].split("<main")[1]


def test_a_closed_consultations_start_page_says_when_it_closed(client):
    consultation = make_consultation(opens_in=timedelta(days=-9), closes_in=timedelta(days=-2))
    page = client.get(f"/en/consultations/{consultation.slug}/")
    assert page.status_code == 200
    assert "closed on" in page.content.decode()
