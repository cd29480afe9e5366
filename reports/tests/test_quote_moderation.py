"""The secretariat approves young people's free-text answers one by one before any is quoted."""

import dataclasses
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import make_member_state, make_secretariat, signed_in
from consultations.models import Answer, Response
from consultations.tests.factories import make_consultation
from reports.models import QuoteReview
from reports.statistics.moderation import Quote, approved_quotes

pytestmark = pytest.mark.django_db


def _answer(consultation, text, *, language="en", days_ago=0):
    question = next(q for q in consultation.ordered_questions() if q.kind == "text")
    response = Response.objects.create(
        consultation=consultation,
        submitted_on=date.today() - timedelta(days=days_ago),
        language=language,
        age_band="12-14",
        sex="female",
        country="FR",
        region="europe",
    )
    return Answer.objects.create(response=response, question=question, text=text)


def _url(consultation, query=""):
    return f"/en/secretariat/consultations/{consultation.slug}/quotes/{query}"


def _decide(client, answer, decision, text=None, query=""):
    data = {
        "answer": str(answer.pk),
        "number": "1",
        "decision": decision,
        "text": answer.text if text is None else text,
    }
    return client.post(_url(answer.question.consultation, query), data)


def _text(page):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode())))


@pytest.fixture
def consultation():
    return make_consultation(slug="safer-apps", kinds=("single", "text"))


@pytest.fixture
def secretariat(client):
    user = make_secretariat()
    signed_in(client, user)
    return user


def test_the_queue_shows_waiting_answers_oldest_first_and_not_decided_ones(client, secretariat, consultation):
    newer = _answer(consultation, "Teach us how to block people.", days_ago=1)
    older = _answer(consultation, "Les signalements doivent être simples.", language="fr", days_ago=3)
    approved = _answer(consultation, "An answer already approved.")
    QuoteReview.objects.create(answer=approved, status="approved", text="An answer already approved.")
    QuoteReview.objects.create(answer=newer)  # an explicit pending row counts as waiting, like no row
    _answer(make_consultation(kinds=("text",)), "Another consultation's answer.")

    page = client.get(_url(consultation))
    html, text = page.content.decode(), _text(page)

    assert page.status_code == 200
    assert "2 waiting, 1 approved, 0 rejected" in text
    assert text.index("Les signalements") < text.index("Teach us how")
    assert "Question 2 text [en]" in text and "français" in text
    assert "An answer already approved." not in text and "Another consultation" not in text
    assert '<textarea name="text" cols="40" rows="5" class="textarea" lang="fr" dir="ltr"' in html
    assert f'id="quote-{older.pk}-text"' in html and f'<label class="label" for="quote-{older.pk}-text">' in html
    assert html.count('value="approve"') == html.count('value="reject"') == 2
    assert "age_band" not in html and "12-14" not in text


def test_approving_stores_the_edited_text_and_publishes_it_without_changing_the_answer(
    client, secretariat, consultation
):
    answer = _answer(consultation, "My friend Sam at Hill School was bullied. Apps must act faster.", language="fr")

    page = _decide(client, answer, "approve", text="  Apps must act faster.\r\n ")

    assert page.status_code == 302 and page["Location"] == _url(consultation)
    review = QuoteReview.objects.get(answer=answer)
    assert (review.status, review.text, review.reviewed_by) == ("approved", "Apps must act faster.", secretariat)
    assert review.reviewed_at is not None
    assert Answer.objects.get(pk=answer.pk).text.startswith("My friend Sam")
    assert approved_quotes(consultation) == {answer.question_id: [Quote(text="Apps must act faster.", language="fr")]}
    assert "The quote was approved" in _text(client.get(page["Location"]))


def test_a_rejected_answer_is_not_published(client, secretariat, consultation):
    answer = _answer(consultation, "Something too personal to quote.")

    page = _decide(client, answer, "reject", text="")

    assert page.status_code == 302
    assert QuoteReview.objects.get(answer=answer).status == "rejected"
    assert approved_quotes(consultation) == {}
    text = _text(client.get(page["Location"]))
    assert "The answer was rejected" in text and "0 waiting, 0 approved, 1 rejected" in text


@pytest.mark.parametrize(
    "text, message",
    [
        (" \r\n ", "Enter the text to publish, or reject the answer"),
        ("x" * 1001, "The text to publish must be 1000 characters or fewer; it has 1001 characters."),
    ],
)
def test_an_empty_or_too_long_text_is_refused_and_nothing_is_saved(client, secretariat, consultation, text, message):
    answer = _answer(consultation, "A fine answer.")

    page = _decide(client, answer, "approve", text=text)
    html = page.content.decode()

    assert page.status_code == 200
    assert QuoteReview.objects.count() == 0
    assert "<title>Error:" in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)[0]
    assert f'href="#quote-{answer.pk}-text"' in summary and message in unescape(summary)
    assert "Text to publish for answer 1" in summary  # which of the page's answers
    field = re.search(rf'<div class="field field-error">.*?id="quote-{answer.pk}-text".*?</div>', html, re.S)[0]
    assert message in unescape(field) and 'aria-invalid="true"' in field
    assert f'aria-describedby="quote-{answer.pk}-text-error' in field


def test_a_decision_without_either_button_is_refused_with_a_message(client, secretariat, consultation):
    answer = _answer(consultation, "A fine answer.")

    page = _decide(client, answer, "")

    assert page.status_code == 200
    assert QuoteReview.objects.count() == 0
    summary = re.search(r'<div class="error-summary".*?</div>', page.content.decode(), re.S)[0]
    # Told plainly, without a link: the two buttons are not one field to jump to.
    assert "Choose Approve or Reject." in unescape(summary) and "href=" not in summary


def test_a_text_of_exactly_1000_characters_is_accepted(client, secretariat, consultation):
    answer = _answer(consultation, "A fine answer.")

    assert _decide(client, answer, "approve", text="y" * 1000).status_code == 302
    assert len(QuoteReview.objects.get(answer=answer).text) == 1000


def test_a_decision_can_be_reversed_both_ways(client, secretariat, consultation):
    answer = _answer(consultation, "Parents need to learn about apps too.")
    _decide(client, answer, "approve", text="Parents need to learn too.")

    approved_tab = _text(client.get(_url(consultation, "?status=approved")))
    assert "Parents need to learn too." in approved_tab and "Withdraw" in approved_tab
    assert f"Approved by {secretariat.email}" in approved_tab

    page = _decide(client, answer, "reject", query="?status=approved")
    assert page["Location"] == _url(consultation, "?status=approved")
    assert "The quote was withdrawn" in _text(client.get(page["Location"]))
    assert approved_quotes(consultation) == {}

    rejected_tab = client.get(_url(consultation, "?status=rejected")).content.decode()
    assert "Parents need to learn too.</textarea>" in rejected_tab  # the earlier wording is offered again
    _decide(client, answer, "approve", text="Parents need to learn too.", query="?status=rejected")
    assert approved_quotes(consultation) == {answer.question_id: [Quote("Parents need to learn too.", "en")]}


def test_the_queue_has_pages_of_25_and_a_decision_returns_to_the_same_page(client, secretariat, consultation):
    answers = [_answer(consultation, f"Answer number {n:02d}.", days_ago=40 - n) for n in range(26)]

    first, second = client.get(_url(consultation)), client.get(_url(consultation, "?page=2"))
    assert first.content.decode().count('name="answer"') == 25 and "Page 1 of 2" in _text(first)
    assert second.content.decode().count('name="answer"') == 1 and "Answer number 25." in _text(second)

    page = _decide(client, answers[25], "approve", query="?page=2")
    assert page["Location"] == _url(consultation, "?page=2")
    assert "No answer is waiting" not in _text(client.get(page["Location"]))  # shown page 1, the last one now


def test_published_quotes_carry_nothing_about_who_wrote_them(consultation):
    assert [field.name for field in dataclasses.fields(Quote)] == ["text", "language"]
    answers = [_answer(consultation, f"Quote {n}.") for n in range(5)]
    for answer in answers:
        QuoteReview.objects.create(answer=answer, status="approved", text=answer.text)

    with CaptureQueriesContext(connection) as queries:
        quotes = approved_quotes(consultation)

    assert len(queries) == 1
    assert sorted(quote.text for quote in quotes[answers[0].question_id]) == [f"Quote {n}." for n in range(5)]


@pytest.mark.parametrize("status", ["pending", "approved", "rejected"])
def test_the_number_of_queries_does_not_grow_with_the_answers(client, secretariat, consultation, status):
    def queries_for(count):
        for n in range(count):
            answer = _answer(consultation, f"Answer {n}.")
            if status != "pending":
                QuoteReview.objects.create(answer=answer, status=status, text=answer.text, reviewed_by=secretariat)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(consultation, f"?status={status}")).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(23)


def test_the_consultation_page_links_to_the_queue(client, secretariat, consultation):
    html = client.get(f"/en/secretariat/consultations/{consultation.slug}/").content.decode()
    assert f'href="{_url(consultation)}"' in html


class TestAccess:
    @pytest.fixture
    def answer(self, consultation):
        return _answer(consultation, "An answer.")

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_an_anonymous_visitor_is_sent_to_log_in(self, client, answer, method):
        page = getattr(client, method)(_url(answer.question.consultation))
        assert page.status_code == 302 and page["Location"].startswith("/en/accounts/login/?next=")

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_member_state_account_gets_403(self, client, answer, method):
        signed_in(client, make_member_state())
        assert getattr(client, method)(_url(answer.question.consultation)).status_code == 403
        assert _decide(client, answer, "approve").status_code == 403
        assert not QuoteReview.objects.exists()

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_secretariat_member_without_mfa_is_sent_to_set_it_up(self, client, answer, method):
        signed_in(client, make_secretariat(mfa=False))
        page = getattr(client, method)(_url(answer.question.consultation))
        assert page.status_code == 302 and page["Location"] == "/en/account/two-factor-required/"

    def test_an_answer_of_another_consultation_is_not_found_here(self, client, secretariat, consultation):
        elsewhere = _answer(make_consultation(kinds=("text",)), "Another consultation's answer.")
        page = client.post(_url(consultation), {"answer": str(elsewhere.pk), "decision": "approve", "text": "x"})
        assert page.status_code == 404
        assert not QuoteReview.objects.exists()

    @pytest.mark.parametrize("value", ["", "not-an-id", "00000000-0000-0000-0000-000000000000"])
    def test_an_unknown_answer_is_not_found(self, client, secretariat, consultation, value):
        page = client.post(_url(consultation), {"answer": value, "decision": "approve", "text": "x"})
        assert page.status_code == 404

    def test_an_unknown_consultation_is_not_found(self, client, secretariat):
        assert client.get("/en/secretariat/consultations/no-such-thing/quotes/").status_code == 404

    def test_a_choice_answer_cannot_be_approved_as_a_quote(self, client, secretariat, consultation):
        single = consultation.ordered_questions()[0]
        response = Response.objects.create(
            consultation=consultation, submitted_on=date.today(), language="en", age_band="12-14", sex="male"
        )
        choice = Answer.objects.create(response=response, question=single, choice=single.ordered_choices()[0])
        page = client.post(_url(consultation), {"answer": str(choice.pk), "decision": "approve", "text": "x"})
        assert page.status_code == 404
