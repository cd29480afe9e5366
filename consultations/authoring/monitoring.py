"""The secretariat's monitoring page: live counts of one consultation's responses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.decorators import secretariat_required
from consultations import selectors
from consultations.models import Consultation
from cop_site.languages import current_language


@secretariat_required
@never_cache
@require_safe
def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    # The same page serves the first load, a reload without JavaScript and monitor.js's
    # refresh every 30 seconds, so the figures can never differ between the three.
    found = get_object_or_404(Consultation, slug=slug)
    return render(
        request,
        "secretariat/monitor.html",
        {
            "consultation": found,
            "title": found.title_in(current_language()) or str(found),
            "figures": selectors.consultation_monitoring(found),
            "updated_at": timezone.localtime(),
        },
    )
