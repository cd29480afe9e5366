"""The issue's story, through the real pages: invited, signs up, sets up MFA, gets in."""

import re

import pytest
from django.core import mail

from accounts.tests.factories import PASSWORD, current_totp_code, make_secretariat, signed_in

pytestmark = pytest.mark.django_db


def test_an_invited_colleague_signs_up_sets_up_mfa_and_reaches_the_secretariat_pages(
    client, django_capture_on_commit_callbacks
):
    signed_in(client, make_secretariat())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/account/invitations/",
            {"email": "colleague@example.org", "role": "secretariat", "country": "", "language": "ar"},
        )
    client.logout()
    link = re.search(r"http://[^/\s]+(/ar/account/invitation/[\w-]+/)", mail.outbox[0].body).group(1)

    client.get(link)
    signup = client.post(
        "/ar/accounts/signup/", {"email": "colleague@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert signup.status_code == 302

    # Signed in, but the secretariat's pages wait for a second factor.
    stopped = client.get("/ar/account/invitations/")
    assert stopped["Location"] == "/ar/account/two-factor-required/"

    # allauth asks for the password again before adding an authenticator.
    activate = client.get("/ar/accounts/2fa/totp/activate/", follow=True)
    if "/reauthenticate/" in activate.redirect_chain[-1][0]:
        client.post(activate.redirect_chain[-1][0], {"password": PASSWORD})
        activate = client.get("/ar/accounts/2fa/totp/activate/")
    assert activate.status_code == 200
    secret = client.session["mfa.totp.secret"]
    done = client.post("/ar/accounts/2fa/totp/activate/", {"code": current_totp_code(secret)})
    assert done.status_code == 302

    page = client.get("/ar/account/invitations/")
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
