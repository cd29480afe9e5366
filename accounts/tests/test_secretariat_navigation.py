"""Every secretariat page shows the one navigation, reaching every area and the account;
a page about one consultation also shows that consultation's pages."""

import re

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from accounts.tests.test_every_secretariat_page import SECRETARIAT_PAGES
from consultations.tests.authoring_helpers import make_meeting
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db

AREAS = [
    "/en/secretariat/",
    "/en/secretariat/meetings/",
    "/en/secretariat/documents/",
    "/en/account/invitations/",
    "/en/account/",
    "/en/accounts/logout/",
]
CONSULTATION = [
    "/en/secretariat/consultations/some-consultation/",
    "/en/secretariat/consultations/some-consultation/monitor/",
    "/en/secretariat/consultations/some-consultation/quotes/",
    "/en/secretariat/consultations/some-consultation/exports/",
    "/en/secretariat/consultations/some-consultation/releases/",
    "/en/results/some-consultation/",
]


def _nav(html: str, css_class: str) -> list[str]:
    found = re.search(rf'<nav class="{css_class}"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', found.group(1)) if found else []


def test_every_secretariat_page_shows_the_navigation_to_every_area(client):
    make_consultation(slug="some-consultation")
    make_meeting(number=1)
    signed_in(client, make_secretariat())
    shown = []
    preview = "/en/secretariat/consultations/some-consultation/preview/en/"
    for path in [*SECRETARIAT_PAGES, preview]:
        page = client.get(path)
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            continue  # a download, a POST-only action, or a placeholder that names nothing
        html = page.content.decode()
        assert _nav(html, "secretariat-nav") == AREAS, path
        assert 'class="account-nav"' not in html, path  # one navigation, not two
        if "/consultations/some-consultation/" in path:
            assert _nav(html, "consultation-nav") == CONSULTATION, path
        assert re.search(r'aria-current="(page|true)"', html), path
        shown.append(path)
    for expected in AREAS[:4] + CONSULTATION[:4] + [preview]:
        assert expected in shown


def test_the_current_page_and_area_are_marked(client):
    make_consultation(slug="some-consultation")
    signed_in(client, make_secretariat())
    html = client.get("/en/secretariat/consultations/some-consultation/monitor/").content.decode()
    assert '<a href="/en/secretariat/consultations/some-consultation/monitor/" aria-current="page">' in html
    assert '<a href="/en/secretariat/" aria-current="true">' in html
    html = client.get("/en/account/invitations/").content.decode()
    assert '<a href="/en/account/invitations/" aria-current="page">' in html
