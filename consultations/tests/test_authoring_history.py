"""Every change to a consultation, its questions and choices says who, when and what."""

import re

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Choice, Consultation, Question
from consultations.tests.authoring_helpers import consultation_post, question_post

pytestmark = pytest.mark.django_db

HUB = "/en/secretariat/consultations/online-safety/"


def history_rows(client) -> list[str]:
    html = client.get(HUB).content.decode()
    table = html[html.index('id="history"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_it_records_who_created_and_changed_what(client):
    amira, boris = make_secretariat(email="amira@example.org"), make_secretariat(email="boris@example.org")
    signed_in(client, amira)
    client.post("/en/secretariat/consultations/new/", consultation_post())
    client.post(f"{HUB}questions/new/", question_post("single", choices=2))
    signed_in(client, boris)
    client.post(f"{HUB}edit/", consultation_post(**{"title__fr": "Rester en sécurité", "closes_time": "20:00"}))

    consultation = Consultation.objects.get(slug="online-safety")
    assert [r.history_user.email for r in consultation.history.order_by("history_date")] == [
        "amira@example.org",
        "boris@example.org",
    ]
    assert Question.history.get().history_user == amira
    assert {r.history_user for r in Choice.history.all()} == {amira}

    rows = history_rows(client)
    assert rows[0].endswith(
        "boris@example.org Consultation changed: topic in français; "
        "closes at: 2031-03-31 18:00 UTC → 2031-03-31 20:00 UTC"
    )
    assert any("amira@example.org Question 1: “A single question [en]” created" in row for row in rows)
    assert any("amira@example.org Choice of question 1: “Choice 2 [en]” created" in row for row in rows)
    assert rows[-1].endswith("amira@example.org Consultation created")


def test_deleted_questions_stay_in_the_history(client):
    signed_in(client, make_secretariat(email="amira@example.org"))
    client.post("/en/secretariat/consultations/new/", consultation_post())
    client.post(f"{HUB}questions/new/", question_post("text", choices=0))
    client.post(f"{HUB}questions/new/", question_post("rating", choices=0))
    client.post(f"{HUB}questions/1/delete/", {"confirm": "1"})
    rows = history_rows(client)
    assert "Question 1: “A text question [en]” deleted" in rows[1]
    assert "Question 1: “A rating question [en]” changed: position: 2 → 1" in rows[0]


def test_saving_without_changes_adds_nothing_to_the_history(client):
    signed_in(client, make_secretariat())
    client.post("/en/secretariat/consultations/new/", consultation_post())
    client.post(f"{HUB}edit/", consultation_post())
    assert Consultation.history.count() == 1
