"""Render the most visited results pages into the cache right after a recount.

Pages are cached per tally run, so every recount turns them cold; rendering the world and
each region, in every breakdown and language, in the worker (not in a visitor's request)
keeps the first view of those pages as fast as the next. Countries and side-by-side
comparisons are rendered on first view and cached from then on. The worker calls the same
selector as the view (reports.statistics.pages.results_page), so it stores the very page a
visitor's request would.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from consultations.models import Consultation
from reports.statistics import pages, selectors


def results_pages_prerender(*, consultation: Consultation, languages: list[str] | None = None) -> int:
    """Build and cache the world's and each region's pages; returns how many there are."""
    run = selectors.latest_run(consultation)
    if run is None:
        return 0
    selectors.releases_of(consultation)  # the list every page's frame shows, cached too
    # Questions and choices loaded once for every page, not once per page.
    consultation = Consultation.objects.with_content().get(pk=consultation.pk)
    places = [[]] + [[code] for code in run.layout["regions"] if code != "-"]
    rendered = 0
    for language in languages or settings.LANGUAGE_CODES:
        with translation.override(language):
            for regions in places:
                for breakdown in selectors.BREAKDOWNS:
                    filters = selectors.Filters(regions=list(regions), breakdown=breakdown)
                    pages.results_page(consultation=consultation, run=run, filters=filters, language=language)
                    rendered += 1
    return rendered
