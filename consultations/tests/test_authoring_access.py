"""Every authoring page is for Secretariat members with MFA only."""

import pytest
from django.urls import URLPattern, reverse
from django.utils import translation

from accounts.tests.factories import make_member_state, make_secretariat, signed_in
from consultations.authoring.urls import authoring_patterns as urlpatterns
from consultations.tests.authoring_helpers import make_meeting
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db

SAMPLE_ARGUMENTS = {"slug": "online-safety", "language": "ar", "position": 1, "number": 14}


def authoring_urls() -> list[str]:
    urls = []
    with translation.override("en"):
        for pattern in urlpatterns:
            assert isinstance(pattern, URLPattern)
            kwargs = {name: SAMPLE_ARGUMENTS[name] for name in pattern.pattern.converters}
            urls.append(reverse(f"authoring:{pattern.name}", kwargs=kwargs))
    return urls


@pytest.fixture
def content():
    make_consultation(slug="online-safety")
    make_meeting(number=14)


def test_every_page_is_listed():
    assert len(authoring_urls()) == len(urlpatterns) >= 13
    assert all(url.startswith("/en/secretariat/") for url in authoring_urls())


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, content, method):
    for url in authoring_urls():
        page = getattr(client, method)(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith("/en/accounts/login/?next="), url


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_state_account_gets_403(client, content, method):
    signed_in(client, make_member_state())
    for url in authoring_urls():
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_secretariat_member_without_mfa_is_stopped_at_mfa_set_up(client, content, method):
    signed_in(client, make_secretariat(mfa=False))
    for url in authoring_urls():
        page = getattr(client, method)(url)
        assert page.status_code == 302, url
        assert page["Location"] == "/en/account/two-factor-required/", url


def test_a_secretariat_member_with_mfa_reaches_every_page(client, content):
    signed_in(client, make_secretariat())
    for url in authoring_urls():
        status = client.get(url).status_code
        # The copy and move buttons only POST; everything else is a page.
        expected = 405 if url.endswith(("/copy/", "/move/")) else 200
        assert status == expected, url
