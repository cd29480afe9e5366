"""Who reaches the secretariat's pages, and how the admin is guarded."""

import pytest

from accounts.tests.factories import make_member_state, make_secretariat, make_user, signed_in

pytestmark = pytest.mark.django_db

SECRETARIAT_PAGES = ["/en/account/invitations/"]


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, path):
    page = client.get(path)
    assert page.status_code == 302 and page["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_a_member_state_account_gets_403(client, path):
    signed_in(client, make_member_state())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_a_secretariat_member_without_mfa_is_stopped_at_mfa_set_up(client, path):
    signed_in(client, make_secretariat(mfa=False))
    page = client.get(path)
    assert page.status_code == 302 and page["Location"] == "/en/account/two-factor-required/"
    assert 'href="/en/accounts/2fa/totp/activate/"' in client.get(page["Location"]).content.decode()


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_a_secretariat_member_with_mfa_gets_in(client, path):
    signed_in(client, make_secretariat())
    assert client.get(path).status_code == 200


def test_the_admin_login_goes_through_allauth(client):
    page = client.get("/en/admin/login/?next=/en/admin/")
    assert page.status_code == 302 and page["Location"].startswith("/en/accounts/login/")


def test_staff_without_mfa_cannot_use_the_admin(client):
    user = make_user()
    user.is_staff = user.is_superuser = True
    user.save()
    signed_in(client, user)
    page = client.get("/en/admin/", follow=True)
    assert page.redirect_chain[-1][0] == "/en/account/two-factor-required/"


def test_staff_with_mfa_can_use_the_admin(client):
    user = make_secretariat()
    user.is_staff = user.is_superuser = True
    user.save()
    signed_in(client, user)
    assert client.get("/en/admin/").status_code == 200
