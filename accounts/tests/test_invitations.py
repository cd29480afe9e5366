import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone, translation

from accounts.models import Delegate, Invitation
from accounts.roles import is_member_state, is_secretariat
from accounts.tests.factories import PASSWORD, make_secretariat, signed_in

pytestmark = pytest.mark.django_db


def _invite(client, django_capture_on_commit_callbacks, **data):
    signed_in(client, make_secretariat())
    form = {"email": "new.colleague@example.org", "role": "secretariat", "country": "", "language": "fr", **data}
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/en/account/invitations/", form)
    client.logout()
    return page


def _link(message) -> str:
    match = re.search(r"http://\S+/account/invitation/[\w-]+/", message.body)
    assert match, message.body
    return match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_an_invitation_is_emailed_in_its_language_and_the_link_leads_to_a_sign_up_for_that_address(
    client, django_capture_on_commit_callbacks
):
    assert _invite(client, django_capture_on_commit_callbacks).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.colleague@example.org"]
    with translation.override("fr"):
        hello = translation.gettext("Hello,")
    assert hello != "Hello," and hello in message.body  # rendered in the invitee's language
    path = "/" + _link(message)
    assert path.startswith("/fr/account/invitation/")
    Invitation.objects.get()  # the token itself is not stored, only its digest
    assert not Invitation.objects.filter(digest__in=[path.rstrip("/").rsplit("/", 1)[1]]).exists()

    signup = client.get(path, follow=True)
    assert signup.redirect_chain[-1][0].endswith("/accounts/signup/")
    assert 'value="new.colleague@example.org"' in signup.content.decode()


def test_accepting_creates_the_account_with_its_role_and_verified_email(client, django_capture_on_commit_callbacks):
    _invite(client, django_capture_on_commit_callbacks)
    path = "/" + _link(mail.outbox[0])
    client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/accounts/signup/",
            {"email": "new.colleague@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    user = get_user_model().objects.get(email="new.colleague@example.org")
    assert is_secretariat(user)
    assert user.emailaddress_set.get().verified
    assert Invitation.objects.get().accepted_at is not None


def test_a_member_state_invitation_needs_a_country_and_gives_the_account_that_country(
    client, django_capture_on_commit_callbacks
):
    page = _invite(client, django_capture_on_commit_callbacks, role="member_state", country="")
    assert page.status_code == 200 and not Invitation.objects.exists()
    _invite(client, django_capture_on_commit_callbacks, role="member_state", country="BR")
    client.get("/" + _link(mail.outbox[0]))
    client.post(
        "/en/accounts/signup/", {"email": "new.colleague@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    user = get_user_model().objects.get(email="new.colleague@example.org")
    assert is_member_state(user) and not is_secretariat(user)
    assert Delegate.objects.get(user=user).country.code == "BR"


def test_an_invitation_cannot_be_used_twice(client, django_capture_on_commit_callbacks):
    _invite(client, django_capture_on_commit_callbacks)
    path = "/" + _link(mail.outbox[0])
    client.get(path)
    client.post(
        "/en/accounts/signup/", {"email": "new.colleague@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    client.logout()
    again = client.get(path)
    assert again.status_code == 410


def test_an_expired_invitation_is_refused(client, django_capture_on_commit_callbacks):
    _invite(client, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get("/" + _link(mail.outbox[0]))
    assert page.status_code == 410
    assert client.get("/en/accounts/signup/").status_code != 200 or "signup" not in client.session


def test_there_is_no_public_sign_up(client):
    page = client.get("/en/accounts/signup/")
    assert 'name="password1"' not in page.content.decode()
    client.post("/en/accounts/signup/", {"email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD})
    assert not get_user_model().objects.filter(email="x@example.org").exists()


def test_the_invited_address_cannot_be_swapped_for_another(client, django_capture_on_commit_callbacks):
    _invite(client, django_capture_on_commit_callbacks)
    client.get("/" + _link(mail.outbox[0]))
    client.post("/en/accounts/signup/", {"email": "other@example.org", "password1": PASSWORD, "password2": PASSWORD})
    assert not get_user_model().objects.filter(email="other@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_someone_with_an_account_or_a_waiting_invitation_is_not_invited_again(
    client, django_capture_on_commit_callbacks
):
    _invite(client, django_capture_on_commit_callbacks)
    page = _invite(client, django_capture_on_commit_callbacks)
    assert page.status_code == 200 and Invitation.objects.count() == 1
