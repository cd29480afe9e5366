"""Property-based fuzzing of the public document pages and the subscription forms.

Whatever the list's filters and search, the subscription form, or the confirm and
unsubscribe links receive — hostile markup, formulas, SQL, wrong types or encodings, huge
values — the answer is a page with a message, never a 5xx; hostile text never comes back
live; no subscription is ever confirmed or deleted by a forged value.
"""

from __future__ import annotations

from urllib.parse import quote

from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from reports.models import Subscription
from reports.tests.test_documents_public import add_file, make_document, make_meeting

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="x',
    "'; DROP TABLE reports_document; --",
    '=HYPERLINK("http://evil.example","x")',
    "\x00",
    "отчёт",
    "报告",
    "A" * 3000,
    "\x00",  # PostgreSQL refuses NUL in text: once a 500 on the full stack
    "report\x00\x01\x7f",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE), st.sampled_from(["", "2025", "14", "output-report", "ru"]), st.text(max_size=40)
)
LIST_QUERY = st.lists(
    st.tuples(st.sampled_from(["q", "year", "meeting", "type", "language", "page"]), VALUES), max_size=6
)
LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]


def _encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in pairs)


def _inert(response) -> None:
    assert response.status_code < 500, response.status_code
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html and '" onmouseover="x' not in html


class DocumentsFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        meeting = make_meeting()
        document = make_document(meeting, title={"en": "Output report", "ru": "Итоговый отчёт"})
        add_file(document, "ru", text="Отчёт о собрании")

    @fuzz_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(pairs=LIST_QUERY, lang=st.sampled_from(LANGUAGES))
    def test_the_list_and_search_answer_any_query(self, pairs, lang) -> None:
        _inert(Client(raise_request_exception=False).get(f"/{lang}/documents/?{_encode(pairs)}"))

    @fuzz_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        email=st.one_of(st.sampled_from(HOSTILE), st.emails(), st.text(max_size=80)),
        meeting=VALUES,
        lang=st.sampled_from(LANGUAGES),
        address=st.integers(min_value=1, max_value=2**32 - 1),
    )
    def test_the_subscription_form_answers_anything(self, email, meeting, lang, address) -> None:
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"10.{address % 256}.{address // 256 % 256}.1")
        response = client.post(f"/{lang}/documents/subscribe/", {"email": email, "meeting": meeting, "follow": meeting})
        _inert(response)
        assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()

    @fuzz_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        secret=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=60)), lang=st.sampled_from(LANGUAGES)
    )
    def test_forged_confirm_and_unsubscribe_links_change_nothing(self, secret, lang) -> None:
        Subscription.objects.get_or_create(
            email="kept@example.org", meeting=None, defaults={"language": "en", "token_digest": "f" * 64}
        )
        token = quote(secret.encode("utf-8", "surrogatepass"), safe="")
        client = Client(raise_request_exception=False)
        for path in (f"/{lang}/documents/subscribe/confirm/{token}/", f"/{lang}/documents/unsubscribe/{token}/"):
            _inert(client.get(path))
            _inert(client.post(path, {"List-Unsubscribe": "One-Click"}))
        assert Subscription.objects.filter(email="kept@example.org", confirmed_at__isnull=True).exists()
