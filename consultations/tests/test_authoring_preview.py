"""Preview: the answering page exactly as a young person sees it, storing nothing."""

from datetime import timedelta

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Response, UsedFormToken
from consultations.tests.factories import answer_data, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(client):
    signed_in(client, make_secretariat())
    return make_consultation(slug="online-safety", opens_in=timedelta(days=10), closes_in=timedelta(days=40))


def preview(language: str) -> str:
    return f"/en/secretariat/consultations/online-safety/preview/{language}/"


def test_it_shows_the_answering_page_in_arabic_before_it_opens(client, upcoming):
    html = client.get(preview("ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "Preview — answers are not saved" in html
    assert "Topic [ar]" in html and "Question 1 single [ar]" in html
    assert f'<form id="answer-form" method="post" action="{preview("ar")}"' in html


def test_an_invalid_preview_shows_the_errors_a_young_person_would_see(client, upcoming):
    data = answer_data(upcoming, "preview", q999="x")
    data[f"q{upcoming.ordered_questions()[3].pk}"] = "x" * 5000
    page = client.post(preview("fr"), data)
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="fr" dir="ltr">' in html
    assert 'class="error-summary"' in html
    assert not Response.objects.exists() and not UsedFormToken.objects.exists()


def test_a_valid_preview_is_accepted_and_nothing_is_saved(client, upcoming):
    page = client.get(preview("en"))
    assert page.status_code == 200
    page = client.post(preview("en"), answer_data(upcoming, "preview"))
    html = page.content.decode()
    assert "These answers would be accepted." in html and "Nothing was saved." in html
    assert not Response.objects.exists() and not UsedFormToken.objects.exists()


def test_an_incomplete_language_is_previewed_with_a_warning(client):
    signed_in(client, make_secretariat())
    make_consultation(slug="online-safety", languages=["en", "fr"])
    html = client.get(preview("ru")).content.decode()
    assert "Some texts are missing in this language" in html


def test_an_unknown_language_is_not_found(client, upcoming):
    assert client.get(preview("de")).status_code == 404
