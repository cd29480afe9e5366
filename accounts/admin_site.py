from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class MfaAdminSite(admin.AdminSite):
    """The admin signs in through allauth (rate limits, MFA) and needs a second factor."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_mfa_enabled(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not is_mfa_enabled(user):
            return redirect("accounts:mfa_required")
        response: HttpResponse = secure_admin_login(super().login)(request, extra_context)
        return response
