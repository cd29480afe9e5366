"""Every secretariat page, found from the URL configuration, is guarded the same way.

The guard runs before anything is looked up, so placeholder arguments are enough: a page
added later is covered without touching this file.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.factories import make_member_state, make_secretariat, signed_in

pytestmark = pytest.mark.django_db

PLACEHOLDERS = {"slug": "some-consultation", "str": "en", "int": "1", "path": "x", "uuid": "0" * 32}


def _secretariat_paths() -> list[str]:
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and (
                route.startswith("secretariat/") or route.startswith("account/invitations/")
            ):
                path = route
                for name, converter in entry.pattern.converters.items():
                    kind = type(converter).__name__.replace("Converter", "").lower()
                    value = "en" if name == "language" else PLACEHOLDERS.get(kind, "1")
                    path = path.replace(f"<{kind}:{name}>", value).replace(f"<{name}>", value)
                found.append("/en/" + path)

    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.pattern.__class__.__name__ == "LocalePrefixPattern":
            walk(entry.url_patterns, "")
    return sorted(set(found))


SECRETARIAT_PAGES = _secretariat_paths()


def test_the_secretariat_pages_are_found():
    assert "/en/account/invitations/" in SECRETARIAT_PAGES
    assert any(path.startswith("/en/secretariat/") for path in SECRETARIAT_PAGES)


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_anonymous_visitors_are_sent_to_log_in_and_member_states_get_403(client, path):
    page = client.get(path)
    assert page.status_code == 302 and page["Location"].startswith("/en/accounts/login/"), path
    signed_in(client, make_member_state())
    assert client.get(path).status_code == 403
    assert client.post(path, {}).status_code == 403


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_a_secretariat_member_without_mfa_is_stopped_at_mfa_set_up(client, path):
    signed_in(client, make_secretariat(mfa=False))
    page = client.get(path)
    assert page.status_code == 302 and page["Location"] == "/en/account/two-factor-required/", path
