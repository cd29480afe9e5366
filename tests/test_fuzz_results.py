"""Property-based fuzzing of the public results: pages, downloads and the JSON API.

Whatever query string arrives — unknown places, hostile markup, formulas, wrong types,
huge or wrongly encoded values, repeated keys — the answer is a page, a file or a JSON
error with a message, never a 5xx; hostile text never comes back live in HTML; and no
figure from 1 to K−1 is ever published.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from consultations.tests.factories import make_consultation
from reports.tests.helpers import add_responses, publish_release

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="x',
    "{{ 7*7 }}",
    "'; DROP TABLE consultations_response; --",
    '=HYPERLINK("http://evil.example","x")',
    "\x00",
    "\ud800",
    "%ff%fe",
    "A" * 5000,
]
KEYS = ["region", "country", "by", "q", "page", "region[]", "country%00"]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(["europe", "africa", "FRA", "KEN", "fr", "age", "sex", "age-sex", "", "ZZZ", "world"]),
    st.text(max_size=60),
)
QUERY = st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=8)
PATHS = ["/{lang}/results/fuzzed/", "/{lang}/api/v1/results/fuzzed/", "/{lang}/results/fuzzed/download.{fmt}"]


def _encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in pairs)


class ResultsFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.consultation = make_consultation(slug="fuzzed")
        add_responses(cls.consultation, 120, seed=11, countries=("FR", "KE", "BR", "JP"))
        publish_release(cls.consultation)

    @fuzz_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        pairs=QUERY,
        path=st.sampled_from(PATHS),
        lang=st.sampled_from(["ar", "zh-hans", "en", "fr", "ru", "es"]),
        fmt=st.sampled_from(["csv", "xlsx", "json", "pdf", "..%2f..%2fetc"]),
    )
    def test_any_query_gets_an_answer_never_an_error(self, pairs, path, lang, fmt) -> None:
        url = path.format(lang=lang, fmt=fmt) + "?" + _encode(pairs)
        response = Client(raise_request_exception=False).get(url)
        assert response.status_code < 500, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response["Content-Type"].startswith("text/html"):
            html = body.decode()
            assert "<script>alert(1)</script>" not in html
            assert "<img src=x" not in html and '" onmouseover="x' not in html
        if "api/v1" in url:
            assert response.status_code in (200, 400)
            data = json.loads(body)
            if response.status_code == 200:
                for question in data["questions"]:
                    for row in question["rows"]:
                        assert all(c["count"] is None or c["count"] == 0 or c["count"] >= 5 for c in row["cells"])
            else:
                assert data["errors"]
