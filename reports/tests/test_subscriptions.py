"""Email subscriptions to new documents: double opt-in, one email per document, one-click out."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from consultations.models import Meeting
from reports.documents.subscriptions import subscribers_notify, unsubscribe_token
from reports.models import Document, DocumentNotification, Subscription

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/en/documents/subscribe/"
CHECK_INBOX = "/en/documents/subscribe/check-your-inbox/"
SITE = "https://cwg-cop.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def make_meeting(number: int = 14) -> Meeting:
    return Meeting.objects.create(
        number=number,
        title={"en": f"Meeting {number}", "ru": f"Совещание {number}"},
        starts_on=date(2025, 9, number),
        ends_on=date(2025, 9, number),
    )


def make_document(meeting: Meeting, *, number: int = 3, status: str = Document.Status.PUBLISHED) -> Document:
    symbol = f"CWG-COP/{meeting.number}/{number}"
    return Document.objects.create(
        meeting=meeting,
        symbol=symbol,
        slug=symbol.replace("/", "-"),
        kind=Document.Kind.OUTPUT_REPORT,
        title={"en": "Output report", "ru": "Итоговый отчёт"},
        status=status,
        published_at=timezone.now(),
    )


def make_subscriber(
    email: str, *, meeting: Meeting | None = None, language: str = "en", confirmed: bool = True
) -> Subscription:
    return Subscription.objects.create(
        email=email,
        meeting=meeting,
        language=language,
        token_digest=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
        confirmed_at=timezone.now() if confirmed else None,
    )


def notify(document: Document, capture) -> int:
    with capture(execute=True):
        return subscribers_notify(document_id=document.pk)


def subscribe(client: Client, capture, email: str, follow: str = "all"):
    with capture(execute=True):
        return client.post(SUBSCRIBE, {"email": email, "follow": follow})


def test_subscribing_emails_a_confirmation_link_and_keeps_only_its_digest(client, django_capture_on_commit_callbacks):
    response = subscribe(client, django_capture_on_commit_callbacks, "Ana@Example.org")

    assert (response.status_code, response["Location"]) == (302, CHECK_INBOX)
    assert "Check your inbox" in client.get(CHECK_INBOX).content.decode()
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    link = re.search(rf"{re.escape(SITE)}/en/documents/subscribe/confirm/([\w-]+)/", message.body)
    assert link is not None and link.group(0) in message.alternatives[0][0]
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.meeting, subscription.language) == ("ana@example.org", None, "en")
    assert subscription.confirmed_at is None
    assert subscription.token_digest == hashlib.sha256(link.group(1).encode()).hexdigest()


def test_opening_the_link_asks_for_a_click_and_only_the_click_confirms(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks, "ana@example.org")
    link = re.search(rf"{re.escape(SITE)}(\S+)", mail.outbox[0].body).group(1)

    page = client.get(link)  # what a mail scanner following every link does

    assert page.status_code == 200
    assert '<button type="submit" class="button">Confirm</button>' in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None

    response = client.post(link)

    assert (response.status_code, response["Location"]) == (302, "/en/documents/subscribe/confirmed/")
    assert Subscription.objects.get().confirmed_at is not None
    assert "You are subscribed" in client.get(response["Location"]).content.decode()


def test_an_old_or_unknown_confirmation_link_does_not_work(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks, "ana@example.org")
    link = re.search(rf"{re.escape(SITE)}(\S+)", mail.outbox[0].body).group(1)
    Subscription.objects.update(created_at=timezone.now() - timedelta(days=8))

    assert client.post(link).status_code == 404
    assert client.get("/en/documents/subscribe/confirm/made-up/").status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_a_new_and_an_already_subscribed_address_get_the_same_page(client, django_capture_on_commit_callbacks):
    make_subscriber("known@example.org")

    new = subscribe(client, django_capture_on_commit_callbacks, "new@example.org")
    known = subscribe(client, django_capture_on_commit_callbacks, "known@example.org")

    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"]) == (302, CHECK_INBOX)
    # Only the mailbox's owner learns the difference.
    assert "Confirm your subscription" in mail.outbox[0].subject
    assert "already subscribed" in mail.outbox[1].subject
    assert "/en/documents/unsubscribe/" in mail.outbox[1].body
    assert Subscription.objects.get(email="known@example.org").confirmed_at is not None


def test_asking_again_and_again_for_one_address_is_limited(client, django_capture_on_commit_callbacks):
    for _ in range(3):
        assert subscribe(client, django_capture_on_commit_callbacks, "victim@example.org").status_code == 302

    response = subscribe(client, django_capture_on_commit_callbacks, "Victim@example.org")

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_form_explains_its_errors(client):
    make_meeting(14)

    response = client.post(SUBSCRIBE, {"email": "not an address", "follow": "99"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_email">Email address: Enter an email address in the correct format' in html
    assert '<a href="#id_follow">Which documents?: Choose all documents or one of the meetings' in html
    assert not Subscription.objects.exists()


def test_a_meeting_can_be_chosen_by_its_name(client, django_capture_on_commit_callbacks):
    meeting = make_meeting(14)

    page = client.get(f"{SUBSCRIBE}?meeting=14").content.decode()
    subscribe(client, django_capture_on_commit_callbacks, "ana@example.org", follow="14")

    assert '<option value="14" selected>CWG-COP-14 – Meeting 14</option>' in page
    assert Subscription.objects.get().meeting == meeting


def test_an_unconfirmed_address_is_never_told_of_a_document(django_capture_on_commit_callbacks):
    document = make_document(make_meeting())
    make_subscriber("waiting@example.org", confirmed=False)

    assert notify(document, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_each_subscriber_is_told_once_even_when_it_runs_twice(django_capture_on_commit_callbacks):
    document = make_document(make_meeting())
    make_subscriber("ana@example.org")
    make_subscriber("ben@example.org")

    first = notify(document, django_capture_on_commit_callbacks)
    second = notify(document, django_capture_on_commit_callbacks)

    assert (first, second) == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == ["ana@example.org", "ben@example.org"]
    assert DocumentNotification.objects.count() == 2


def test_a_meeting_subscriber_hears_only_of_that_meeting(django_capture_on_commit_callbacks):
    fourteen, fifteen = make_meeting(14), make_meeting(15)
    make_subscriber("everything@example.org")
    make_subscriber("fourteen@example.org", meeting=fourteen)
    make_subscriber("fifteen@example.org", meeting=fifteen)

    notify(make_document(fourteen), django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == ["everything@example.org", "fourteen@example.org"]


def test_an_address_following_everything_and_the_meeting_gets_one_email(django_capture_on_commit_callbacks):
    meeting = make_meeting()
    make_subscriber("both@example.org", meeting=meeting)
    make_subscriber("both@example.org")

    assert notify(make_document(meeting), django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", [Document.Status.DRAFT, Document.Status.WITHDRAWN])
def test_nobody_hears_of_an_unpublished_or_withdrawn_document(status, django_capture_on_commit_callbacks):
    make_subscriber("ana@example.org")

    assert notify(make_document(make_meeting(), status=status), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_draft_for_comment_is_announced_as_one(django_capture_on_commit_callbacks):
    make_subscriber("ana@example.org")

    notify(make_document(make_meeting(), status=Document.Status.FOR_COMMENT), django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == "[CWG-COP] Draft for comment: CWG-COP/14/3 Output report"


def test_the_email_links_to_the_document_and_carries_one_click_unsubscribe_headers(django_capture_on_commit_callbacks):
    subscription = make_subscriber("ana@example.org")

    notify(make_document(make_meeting()), django_capture_on_commit_callbacks)

    [message] = mail.outbox
    unsubscribe = f"{SITE}/en/documents/unsubscribe/{unsubscribe_token(subscription)}/"
    assert message.subject == "[CWG-COP] New document: CWG-COP/14/3 Output report"
    assert f"{SITE}/en/documents/CWG-COP-14-3/" in message.body
    assert unsubscribe in message.body and unsubscribe in message.alternatives[0][0]
    headers = message.message()
    assert headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_russian_subscriber_gets_the_email_in_russian(django_capture_on_commit_callbacks):
    make_subscriber("ivan@example.org", language="ru")

    notify(make_document(make_meeting()), django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert "CWG-COP/14/3 Итоговый отчёт" in message.subject
    assert f"{SITE}/ru/documents/CWG-COP-14-3/" in message.body
    assert f"{SITE}/ru/documents/unsubscribe/" in message.body
    assert 'lang="ru"' in message.alternatives[0][0]
    assert "Совещание 14" in message.body


def test_unsubscribing_from_the_link_takes_one_click_on_the_page(client):
    subscription = make_subscriber("ana@example.org")
    link = f"/en/documents/unsubscribe/{unsubscribe_token(subscription)}/"

    page = client.get(link)

    assert page.status_code == 200
    assert "Unsubscribe</button>" in page.content.decode()
    assert Subscription.objects.exists()

    done = client.post(link)

    assert "You have unsubscribed" in done.content.decode()
    assert not Subscription.objects.exists()
    assert "You have unsubscribed" in client.post(link).content.decode()  # a second click is harmless


def test_a_mail_client_unsubscribes_with_one_post_and_no_csrf_token():
    subscription = make_subscriber("ana@example.org")
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        f"/en/documents/unsubscribe/{unsubscribe_token(subscription)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_a_forged_unsubscribe_link_does_nothing(client):
    make_subscriber("ana@example.org")

    assert client.post("/en/documents/unsubscribe/eyJzIjoxfQ:forged/").status_code == 404
    assert Subscription.objects.exists()
