"""Creating and editing a consultation: six languages side by side, dates in UTC, warnings."""

import re
from datetime import UTC, date, datetime

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Consultation
from consultations.tests.authoring_helpers import consultation_post, in_six, make_meeting
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db

NEW = "/en/secretariat/consultations/new/"


@pytest.fixture
def author():
    return make_secretariat(email="author@example.org")


def test_it_creates_a_consultation_in_six_languages(client, author):
    make_meeting(number=14)
    signed_in(client, author)
    page = client.post(NEW, consultation_post(meeting="14"))
    assert page.status_code == 302 and page["Location"] == "/en/secretariat/consultations/online-safety/"
    consultation = Consultation.objects.get(slug="online-safety")
    assert consultation.title == {code: f"Staying safe online [{code}]" for code in consultation.title}
    assert len(consultation.title) == len(consultation.introduction) == 6
    assert consultation.opens_at == datetime(2031, 3, 1, 9, 0, tzinfo=UTC)
    assert consultation.closes_at == datetime(2031, 3, 31, 18, 0, tzinfo=UTC)
    assert consultation.meeting.number == 14
    assert list(consultation.authors.all()) == [author]


def test_each_language_has_its_own_labelled_input(client, author):
    signed_in(client, author)
    html = client.get(NEW).content.decode()
    assert '<label for="id_title__ar" lang="ar" dir="rtl">العربيّة</label>' in html
    assert 'name="title__ar" id="id_title__ar" value="" class="input" lang="ar" dir="rtl"' in html
    assert 'name="introduction__fr" id="id_introduction__fr" rows="6" class="textarea" lang="fr" dir="ltr"' in html
    assert '<legend class="legend">Opens (UTC)</legend>' in html
    assert 'type="date" name="opens_on"' in html and 'type="time" name="opens_time"' in html


def test_the_meeting_select_shows_number_and_title_never_an_id(client, author):
    make_meeting(number=14)
    make_meeting(number=15, starts_on=date(2031, 10, 1), title={"fr": "Seulement en français"})
    signed_in(client, author)
    html = client.get(NEW).content.decode()
    select = html[html.index('<select name="meeting"') : html.index("</select>")]
    # Even the values are the meetings' own numbers, not database ids.
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) == [
        ("", "No meeting yet"),
        ("15", "CWG-COP-15"),
        ("14", "CWG-COP-14 – Child online protection"),
    ]
    fr = client.get(NEW.replace("/en/", "/fr/")).content.decode()
    assert "CWG-COP-15 – Seulement en français" in fr and "CWG-COP-14 – Protection en ligne des enfants" in fr


def test_editing_keeps_texts_written_and_adds_the_editor_to_the_authors(client, author):
    consultation = make_consultation(slug="online-safety")
    signed_in(client, author)
    data = consultation_post(**{"title__ru": "", "introduction__ru": "", "title__en": "Corrected"})
    page = client.post("/en/secretariat/consultations/online-safety/edit/", data)
    assert page.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title["en"] == "Corrected" and "ru" not in consultation.title
    assert author in consultation.authors.all()


def test_errors_are_summarised_and_link_to_their_field(client, author):
    make_consultation(slug="taken")
    signed_in(client, author)
    data = consultation_post(slug="taken", closes_on="2031-02-01", **{f"title__{c}": "" for c in in_six("x", "")})
    data.update({key: "" for key in data if key.startswith("title__")})
    page = client.post(NEW, data)
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert '<a href="#id_slug">Address: Another consultation already has this address: choose another.</a>' in html
    assert '<a href="#id_closes_on">Date: It must close after it opens.</a>' in html
    assert '<a href="#id_title__ar">Title (العربيّة): Write the title in at least one language.</a>' in html
    assert not Consultation.objects.filter(slug="online-safety").exists()


def test_it_warns_without_blocking_when_it_closes_after_its_meeting_starts(client, author):
    make_meeting(number=14)  # starts on 1 April 2031
    signed_in(client, author)
    page = client.post(NEW, consultation_post(meeting="14", closes_on="2031-04-02"), follow=True)
    assert Consultation.objects.filter(slug="online-safety").exists()
    assert "It closes after CWG-COP-14 starts" in page.content.decode()


def test_it_warns_without_blocking_when_open_for_less_than_a_day(client, author):
    signed_in(client, author)
    data = consultation_post(opens_on="2031-03-01", opens_time="09:00", closes_on="2031-03-02", closes_time="08:00")
    page = client.post(NEW, data, follow=True)
    assert Consultation.objects.filter(slug="online-safety").exists()
    assert "Council Resolution 1306" in page.content.decode()
    edit = client.get("/en/secretariat/consultations/online-safety/edit/").content.decode()
    assert "Council Resolution 1306" in edit


def test_a_well_scheduled_consultation_has_no_warning(client, author):
    make_meeting(number=14)
    signed_in(client, author)
    page = client.post(NEW, consultation_post(meeting="14"), follow=True)
    assert "Check the schedule" not in page.content.decode()
    assert "Warning:" not in page.content.decode()
