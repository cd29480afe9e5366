"""Copying a past consultation as the start of a new one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Consultation
from consultations.tests.authoring_helpers import make_meeting, make_response
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def copy(client, slug: str):
    return client.post(f"/en/secretariat/consultations/{slug}/copy/")


def test_it_copies_questions_and_choices_without_answers_or_meeting(client):
    original = make_consultation(
        slug="online-safety", opens_in=timedelta(days=-60), closes_in=timedelta(days=-30), meeting=make_meeting()
    )
    make_response(original)
    author = make_secretariat()
    signed_in(client, author)
    page = copy(client, "online-safety")
    assert page.status_code == 302 and page["Location"] == "/en/secretariat/consultations/online-safety-copy/edit/"
    new = Consultation.objects.with_content().get(slug="online-safety-copy")
    assert new.title == original.title and new.introduction == original.introduction
    assert [(q.position, q.kind, q.text) for q in new.ordered_questions()] == [
        (q.position, q.kind, q.text) for q in original.ordered_questions()
    ]
    assert [[c.text for c in q.ordered_choices()] for q in new.ordered_questions()] == [
        [c.text for c in q.ordered_choices()] for q in original.ordered_questions()
    ]
    assert new.meeting is None and not new.responses.exists()
    assert list(new.authors.all()) == [author]
    assert original.questions.count() == 4 and original.responses.count() == 1


def test_the_copy_opens_a_week_from_now_for_as_long_as_the_original(client):
    make_consultation(slug="online-safety", opens_in=timedelta(days=-60), closes_in=timedelta(days=-39))
    signed_in(client, make_secretariat())
    copy(client, "online-safety")
    new = Consultation.objects.get(slug="online-safety-copy")
    assert abs(new.opens_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=2)
    assert new.closes_at - new.opens_at == timedelta(days=21)
    assert new.status() == "upcoming"


def test_each_copy_gets_a_new_address(client):
    make_consultation(slug="online-safety")
    signed_in(client, make_secretariat())
    copy(client, "online-safety")
    copy(client, "online-safety")
    copy(client, "online-safety-copy")
    assert set(Consultation.objects.values_list("slug", flat=True)) == {
        "online-safety",
        "online-safety-copy",
        "online-safety-copy-2",
        "online-safety-copy-3",
    }
