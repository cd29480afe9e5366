"""Comments on a draft for comment: who may write and read them, and the deadline."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import make_member_state, make_secretariat, make_user, signed_in
from consultations.models import Meeting
from reports.models import Document, DocumentComment

pytestmark = pytest.mark.django_db

PAGE = "/en/documents/CWG-COP-14-3/comments/"


def make_draft(*, status: str = Document.Status.FOR_COMMENT, closes_in: timedelta = timedelta(days=7)) -> Document:
    meeting = Meeting.objects.create(
        number=14, title={"en": "Fourteenth meeting"}, starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 2)
    )
    return Document.objects.create(
        meeting=meeting,
        symbol="CWG-COP/14/3",
        slug="CWG-COP-14-3",
        kind=Document.Kind.OUTPUT_REPORT,
        title={"en": "Draft output report"},
        status=status,
        published_at=timezone.now() - timedelta(days=1),
        comment_deadline=timezone.now() + closes_in,
    )


def test_an_anonymous_visitor_is_asked_to_sign_in(client):
    make_draft()

    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_a_signed_in_person_with_neither_role_is_refused(client):
    make_draft()
    signed_in(client, make_user())

    response = client.get(PAGE)

    assert response.status_code == 403
    assert "Only Member State delegates and the Secretariat can comment" in response.content.decode()


def test_a_delegate_comments_and_then_sees_only_their_own_comments(client, django_capture_on_commit_callbacks):
    document = make_draft()
    kenya, france = make_member_state(country="KE"), make_member_state(country="FR")
    DocumentComment.objects.create(document=document, author=france, text="Paragraph 4 is unclear.")
    signed_in(client, kenya)

    response = client.post(PAGE, {"text": "Please add a section on reporting tools."})

    assert (response.status_code, response["Location"]) == (302, PAGE)
    html = client.get(PAGE).content.decode()
    assert "Your comment was sent to the Secretariat." in html
    assert "Please add a section on reporting tools." in html
    assert "Paragraph 4 is unclear." not in html
    assert france.email not in html
    assert DocumentComment.objects.filter(author=kenya).count() == 1


def test_the_secretariat_sees_every_comment_with_its_author_and_country(client):
    document = make_draft()
    kenya = make_member_state(country="KE", email="delegate@kenya.example")
    DocumentComment.objects.create(document=document, author=kenya, text="Paragraph 4 is unclear.")
    signed_in(client, make_secretariat())

    html = client.get(PAGE).content.decode()

    assert "Paragraph 4 is unclear." in html
    assert "delegate@kenya.example (Kenya)" in html
    assert 'href="/en/documents/CWG-COP-14-3/comments.csv"' in html


def test_a_secretariat_member_without_two_factor_authentication_is_sent_to_set_it_up(client):
    make_draft()
    signed_in(client, make_secretariat(mfa=False))

    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"] == "/en/account/two-factor-required/"


@pytest.mark.parametrize(
    ("text", "error"),
    [("   ", "Enter your comment"), ("x" * 5001, "Your comment must be 5,000 characters or fewer")],
)
def test_an_empty_or_overlong_comment_is_refused_beside_the_field(client, text, error):
    make_draft()
    signed_in(client, make_member_state())

    response = client.post(PAGE, {"text": text})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'<a href="#id_text">Your comment: {error}</a>' in html
    assert 'aria-invalid="true"' in html
    assert not DocumentComment.objects.exists()


def test_after_the_deadline_the_form_is_gone_and_a_late_comment_is_not_stored(client):
    document = make_draft(closes_in=timedelta(minutes=-1))
    signed_in(client, make_member_state())

    page = client.get(PAGE).content.decode()
    late = client.post(PAGE, {"text": "Sent too late."})

    assert "Comments closed on" in page
    assert f"at {document.comment_deadline:%H:%M} UTC." in page
    assert "<textarea" not in page
    assert late.status_code == 403
    assert "Your comment was not sent" in late.content.decode()
    assert "Sent too late." in late.content.decode()  # shown back, so it can be copied
    assert not DocumentComment.objects.exists()


def test_a_draft_replaced_by_its_final_version_takes_no_more_comments(client):
    draft = make_draft()
    Document.objects.create(
        meeting=draft.meeting,
        symbol="CWG-COP/14/3/Rev1",
        slug="CWG-COP-14-3-Rev1",
        kind=draft.kind,
        title={"en": "Output report"},
        status=Document.Status.PUBLISHED,
        supersedes=draft,
    )
    signed_in(client, make_member_state())

    assert "The final version has replaced this draft" in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"text": "Too late."}).status_code == 403
    assert not DocumentComment.objects.exists()


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Document.Status.DRAFT, 404), (Document.Status.PUBLISHED, 404), (Document.Status.WITHDRAWN, 410)],
)
def test_only_a_draft_for_comment_has_a_comments_page(client, status, expected):
    make_draft(status=status)
    signed_in(client, make_member_state())

    assert client.get(PAGE).status_code == expected
    assert client.get("/en/documents/no-such-document/comments/").status_code == 404


def test_the_secretariat_downloads_every_comment_as_a_safe_csv(client):
    document = make_draft()
    kenya = make_member_state(country="KE", email="delegate@kenya.example")
    DocumentComment.objects.create(document=document, author=kenya, text="=HYPERLINK('http://evil')")
    signed_in(client, make_secretariat())

    response = client.get("/en/documents/CWG-COP-14-3/comments.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="CWG-COP-14-3-comments.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["document", "submitted_at_utc", "author_email", "country_code", "country", "comment"]
    assert rows[1][0] == "CWG-COP/14/3"
    assert rows[1][2:] == ["delegate@kenya.example", "KE", "Kenya", "'=HYPERLINK('http://evil')"]


def test_a_delegate_cannot_download_every_comment(client):
    make_draft()
    signed_in(client, make_member_state())

    assert client.get("/en/documents/CWG-COP-14-3/comments.csv").status_code == 403
