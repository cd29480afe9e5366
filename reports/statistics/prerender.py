"""Render the most visited results pages into the cache right after a recount.

Pages are cached per tally run, so every recount turns them cold; rendering the world and
each region, in every breakdown and language, in the worker (not in a visitor's request)
keeps the first view of those pages as fast as the next. Countries and side-by-side
comparisons are rendered on first view and cached from then on.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

from consultations.models import Consultation
from reports.statistics import selectors


def results_pages_prerender(*, consultation: Consultation, languages: list[str] | None = None) -> int:
    from reports.statistics.views import results

    run = selectors.latest_run(consultation)
    if run is None:
        return 0
    factory = RequestFactory()
    places = [[]] + [[("region", code)] for code in run.layout["regions"] if code != "-"]
    rendered = 0
    for language in languages or settings.LANGUAGE_CODES:
        with translation.override(language):
            for place in places:
                for breakdown in selectors.BREAKDOWNS:
                    query = urlencode(place + ([("by", breakdown)] if breakdown else []))
                    request = factory.get(f"/{language}/results/{consultation.slug}/?{query}")
                    request.user = AnonymousUser()
                    request.LANGUAGE_CODE = language
                    if results(request, consultation.slug).status_code == 200:
                        rendered += 1
    return rendered
