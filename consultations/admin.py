from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from consultations.forms import HelplineImportForm
from consultations.models import Helpline, Meeting
from consultations.services import helplines_import


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["__str__", "starts_on", "ends_on"]


# Consultations, questions and choices are written on the secretariat's own pages
# (consultations.authoring.views), which never show a raw id or a foreign-key widget.


@admin.register(Helpline)
class HelplineAdmin(admin.ModelAdmin[Helpline]):
    list_display = ["name", "country", "phone", "website", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "phone"]
    change_list_template = "admin/consultations/helpline/change_list.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="consultations_helpline_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return HttpResponse(status=403)
        form = HelplineImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            result = helplines_import(csv_text=form.cleaned_data["file"])
            if not result.errors:
                messages.success(
                    request,
                    _("%(created)d helplines added and %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("admin:consultations_helpline_changelist")
            errors = result.errors
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import child helplines from CSV"),
            "form": form,
            "import_errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/consultations/helpline/import.html", context)
