"""After a recount, the world's and regions' results pages are already in the cache.

The worker task (pinned name reports.tasks.prerender_results) is queued after each count;
here it is run right after one, as the worker would.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.tests.factories import make_consultation
from reports.statistics.tasks import prerender_results
from reports.tests.helpers import add_responses, publish_release

pytestmark = pytest.mark.django_db


def test_a_recount_renders_the_common_pages_before_anyone_asks(client) -> None:
    consultation = make_consultation(slug="prerendered")
    add_responses(consultation, 60, seed=9, countries=("FR", "KE"))
    publish_release(consultation)
    # The world, Europe and Africa, in four breakdowns and six languages.
    assert prerender_results.delay(consultation.pk).get() == 3 * 4 * 6

    for path in ("/ar/results/prerendered/", "/fr/results/prerendered/?region=africa&by=age-sex"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path)
        assert page.status_code == 200
        # The consultation's key and nothing else: the run and the page come from the cache.
        assert len(queries.captured_queries) == 1, path
    html = client.get("/ar/results/prerendered/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
