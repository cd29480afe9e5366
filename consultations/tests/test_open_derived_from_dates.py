from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Consultation
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def test_open_is_derived_from_the_dates_at_request_time():
    now = timezone.now()
    current = make_consultation(opens_in=timedelta(hours=-1), closes_in=timedelta(hours=1))
    make_consultation(opens_in=timedelta(hours=1), closes_in=timedelta(days=2))
    make_consultation(opens_in=timedelta(days=-3), closes_in=timedelta(seconds=-1))

    assert list(Consultation.objects.open(now)) == [current]
    # An hour and a minute later the same row is closed, with nothing written in between.
    later = now + timedelta(hours=1, minutes=1)
    assert current not in Consultation.objects.open(later)
    assert current in Consultation.objects.closed(later)
    assert not current.is_open(later)


def test_the_closing_instant_itself_is_closed():
    consultation = make_consultation()
    assert not consultation.is_open(consultation.closes_at)
    assert consultation.is_open(consultation.closes_at - timedelta(microseconds=1))


def test_a_consultation_is_offered_only_in_its_complete_languages():
    consultation = make_consultation(languages=["en", "fr", "ar"])
    assert consultation.languages() == ["ar", "en", "fr"]

    question = consultation.ordered_questions()[0]
    question.text.pop("fr")
    question.save()
    consultation = Consultation.objects.with_content().get(pk=consultation.pk)
    assert consultation.languages() == ["ar", "en"]


def test_a_hint_written_in_one_language_is_needed_in_all():
    consultation = make_consultation()
    question = consultation.ordered_questions()[0]
    question.help_text = {"en": "Choose one."}
    question.save()
    consultation = Consultation.objects.with_content().get(pk=consultation.pk)
    assert consultation.languages() == ["en"]


def test_a_consultation_without_questions_is_offered_in_no_language():
    consultation = make_consultation(kinds=())
    assert consultation.languages() == []
