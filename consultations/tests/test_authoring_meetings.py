"""Meetings: number, title and place in six languages, dates."""

from datetime import date

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Meeting
from consultations.tests.authoring_helpers import in_six, make_meeting

pytestmark = pytest.mark.django_db


def meeting_post(**overrides) -> dict:
    data = {"number": "15", "starts_on": "2031-09-10", "ends_on": "2031-09-11", **in_six("title", "Protection")}
    data.update(in_six("place", "Geneva"))
    data.update(overrides)
    return data


def test_it_adds_a_meeting_in_six_languages(client):
    signed_in(client, make_secretariat())
    page = client.post("/en/secretariat/meetings/new/", meeting_post())
    assert page.status_code == 302
    meeting = Meeting.objects.get(number=15)
    assert meeting.title["ar"] == "Protection [ar]" and meeting.place["zh-hans"] == "Geneva [zh-hans]"
    assert (meeting.starts_on, meeting.ends_on) == (date(2031, 9, 10), date(2031, 9, 11))
    html = client.get("/en/secretariat/meetings/").content.decode()
    assert '<a href="/en/secretariat/meetings/15/">CWG-COP-15</a>' in html


def test_it_edits_a_meeting_found_by_its_number(client):
    make_meeting(number=14)
    signed_in(client, make_secretariat())
    assert 'value="Child online protection"' in client.get("/en/secretariat/meetings/14/").content.decode()
    client.post("/en/secretariat/meetings/14/", meeting_post(number="14"))
    assert Meeting.objects.get(number=14).place["en"] == "Geneva [en]"


def test_it_refuses_a_taken_number_and_an_end_before_the_start(client):
    make_meeting(number=15)
    signed_in(client, make_secretariat())
    html = client.post("/en/secretariat/meetings/new/", meeting_post(ends_on="2031-09-01")).content.decode()
    assert '<a href="#id_number">Number: There is already a meeting with this number.</a>' in html
    assert '<a href="#id_ends_on">Ends on: It must end on or after the day it starts.</a>' in html
    assert Meeting.objects.count() == 1
