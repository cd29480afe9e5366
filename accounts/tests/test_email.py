"""Account emails are rendered in the visitor's language and delivered by a Celery task."""

from unittest import mock

import pytest
from django.core import mail

from accounts.tests.factories import make_secretariat

pytestmark = pytest.mark.django_db


def test_a_password_reset_email_is_queued_after_commit_and_in_the_visitors_language(
    client, django_capture_on_commit_callbacks
):
    make_secretariat(email="ana@example.org")
    with mock.patch("accounts.adapter.send_email.delay_on_commit", wraps=None) as queued:
        client.post("/ru/accounts/password/reset/", {"email": "ana@example.org"})
    assert queued.call_count == 1
    assert queued.call_args.kwargs["to"] == ["ana@example.org"]
    assert "/ru/accounts/password/reset/key/" in queued.call_args.kwargs["body"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ru/accounts/password/reset/", {"email": "ana@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[CWG-COP]")
    assert "сброс" in mail.outbox[0].subject.lower()  # allauth's Russian catalogue
