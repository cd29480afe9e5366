"""At a glance, which of the six languages a consultation is complete in, and what is missing."""

import re

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Question
from consultations.tests.authoring_helpers import make_response
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def marks(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<abbr [^>]*>([\w-]+)</abbr> <span aria-hidden=\"true\">.</span><span [^>]*>(\w+)</span>", html)


def test_the_list_marks_each_language_complete_or_missing_in_words(client):
    make_consultation(slug="online-safety", languages=["en", "fr", "ar"])
    signed_in(client, make_secretariat())
    html = client.get("/en/secretariat/").content.decode()
    assert marks(html) == [
        ("ar", "complete"),
        ("zh-hans", "missing"),
        ("en", "complete"),
        ("fr", "complete"),
        ("ru", "missing"),
        ("es", "missing"),
    ]


def test_the_list_shows_status_meeting_and_responses(client):
    consultation = make_consultation(slug="online-safety")
    make_response(consultation)
    signed_in(client, make_secretariat())
    html = client.get("/en/secretariat/").content.decode()
    assert '<a href="/en/secretariat/consultations/online-safety/">Topic [en]</a>' in html
    assert "Open" in html and '<td class="number">1</td>' in html


def test_the_title_is_in_the_readers_language_else_english_else_the_address(client):
    make_consultation(slug="only-french", languages=["fr"])
    make_consultation(slug="english-and-french", languages=["en", "fr"])
    signed_in(client, make_secretariat())
    html = client.get("/ru/secretariat/").content.decode()
    assert ">only-french</a>" in html and ">Topic [en]</a>" in html
    assert ">Topic [fr]</a>" in client.get("/fr/secretariat/").content.decode()


def test_the_consultation_page_names_the_missing_texts(client):
    consultation = make_consultation(slug="online-safety", languages=["en", "fr"], kinds=("rating",))
    question = consultation.questions.get()
    Question.objects.filter(pk=question.pk).update(help_text={"en": "Think about school"})
    signed_in(client, make_secretariat())
    html = client.get("/en/secretariat/consultations/online-safety/").content.decode()
    assert "question 1, hint" in html  # missing in French only
    assert "Nothing is written in this language yet." in html  # the four other languages
    assert html.count("✓ Complete") == 1
