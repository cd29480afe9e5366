"""Signing in by email with a second factor; attempts are rate limited."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import decrypt
from django.conf import settings

from accounts.tests.factories import PASSWORD, current_totp_code, make_secretariat

pytestmark = pytest.mark.django_db


def test_signing_in_takes_an_email_password_and_an_authenticator_code(client):
    user = make_secretariat(email="ana@example.org")
    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    page = client.post("/en/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert page.status_code == 302 and "/2fa/authenticate/" in page["Location"]
    assert "_auth_user_id" not in client.session  # not signed in before the second factor

    done = client.post(page["Location"], {"code": current_totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == "/en/account/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_there_is_no_username_field(client):
    html = client.get("/en/accounts/login/").content.decode()
    assert 'name="login"' in html and 'type="email"' in html
    assert "username" not in html.lower()


def test_failed_logins_are_rate_limited_even_with_the_right_password(client):
    make_secretariat(email="ana@example.org")
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": "ana@example.org", "password": "wrong"})
    page = client.post("/en/accounts/login/", {"login": "ana@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("language", settings.LANGUAGE_CODES)
def test_the_account_pages_are_in_the_sites_look_in_every_language(client, language):
    html = client.get(f"/{language}/accounts/login/").content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert 'class="site-header"' in html and "/static/css/site" in html
