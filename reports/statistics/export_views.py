"""The Secretariat's record-level exports: request a file, watch it being built, download it."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import AuthenticatedHttpRequest, secretariat_required
from consultations.models import Consultation
from cop_site.forms import ErrorSummaryMixin
from cop_site.languages import current_language
from reports.models import RecordExport
from reports.statistics import exports

logger = logging.getLogger(__name__)


class RecordExportForm(ErrorSummaryMixin, forms.Form):
    format = forms.ChoiceField(
        label=_("Which kind of file?"),
        choices=[
            (RecordExport.Format.CSV, _("CSV, for statistics software and any spreadsheet")),
            (RecordExport.Format.XLSX, _("XLSX, for Microsoft Excel")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose CSV or XLSX.")},
    )


@secretariat_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_exports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, slug=slug)
    form = RecordExportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        export = exports.record_export_request(
            consultation=consultation, format=form.cleaned_data["format"], user=request.user
        )
        messages.success(
            request,
            _("The %(format)s file is being prepared. This page shows how far it has got.")
            % {"format": export.get_format_display()},
        )
        return redirect("exports:consultation", consultation.slug)
    records = list(RecordExport.objects.filter(consultation=consultation).order_by("-requested_at", "-id"))
    return render(
        request,
        "reports/secretariat/exports.html",
        {
            "consultation": consultation,
            "title": consultation.title_for_viewer(current_language()),
            "exports": records,
            "in_progress": any(e.status in RecordExport.IN_PROGRESS and not e.is_stalled() for e in records),
            "form": form,
        },
    )


@secretariat_required
@never_cache
@require_safe
def download(request: HttpRequest, export_id: int) -> FileResponse:
    export = get_object_or_404(
        RecordExport.objects.select_related("consultation"), pk=export_id, status=RecordExport.Status.READY
    )
    try:
        handle = exports.record_export_path(export).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Record-level data leaving the site: who took which file is worth a line in the log.
    logger.info("Record-level export %s downloaded by user %s", export.pk, request.user.pk)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=exports.record_export_download_name(export),
        content_type=exports.CONTENT_TYPES[export.format],
    )
