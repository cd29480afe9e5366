"""Who may reach the secretariat's pages: signed in, in the Secretariat group, with MFA."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.roles import is_secretariat


def secretariat_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous: to the login page. Other roles: 403. Secretariat without MFA: MFA set-up."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(user):
            return render(request, "403.html", status=403)
        if not is_mfa_enabled(user):
            return redirect("accounts:mfa_required")
        return view(request, *args, **kwargs)

    return wrapper
