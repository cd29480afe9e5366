"""After a recount, the world's and regions' results pages are already in the cache."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.tests.factories import make_consultation
from reports.statistics.tasks import refresh_tally
from reports.tests.helpers import add_responses

pytestmark = pytest.mark.django_db


def test_a_recount_renders_the_common_pages_before_anyone_asks(client, settings) -> None:
    settings.REPORTS_PRERENDER = True
    consultation = make_consultation(slug="prerendered")
    add_responses(consultation, 60, seed=9, countries=("FR", "KE"))
    refresh_tally.delay(consultation.pk)

    for path in ("/ar/results/prerendered/", "/fr/results/prerendered/?region=africa&by=age-sex"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path)
        assert page.status_code == 200
        # The consultation's key and nothing else: the run and the page come from the cache.
        assert len(queries.captured_queries) == 1, path
    html = client.get("/ar/results/prerendered/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
