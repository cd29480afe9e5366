"""The secretariat's releases page: every release of a consultation, and an interim one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import AuthenticatedHttpRequest, secretariat_required
from consultations.models import Consultation
from cop_site.languages import current_language
from reports.models import TallyRun
from reports.statistics.releases import ReleaseRefused, release_publish


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_releases(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, slug=slug)
    if request.method == "POST":
        try:
            run = release_publish(consultation=consultation, final=False, user=request.user)
        except ReleaseRefused as refusal:
            messages.error(
                request,
                _("The interim release was not published: %(reasons)s.") % {"reasons": "; ".join(refusal.reasons)},
            )
        else:
            messages.success(
                request,
                _("Release %(number)s is published, with %(respondents)s respondents.")
                % {"number": run.number, "respondents": run.respondents},
            )
        return redirect("releases:consultation", consultation.slug)
    now = timezone.now()
    return render(
        request,
        "reports/secretariat/releases.html",
        {
            "consultation": consultation,
            "title": consultation.title_for_viewer(current_language()),
            "releases": TallyRun.objects.filter(consultation=consultation).order_by("-number"),
            "can_publish_interim": consultation.is_open(now),
            "live_count": consultation.responses.count(),
        },
    )
