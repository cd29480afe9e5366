from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts import services
from accounts.decorators import AuthenticatedHttpRequest, secretariat_required
from accounts.forms import InvitationForm
from accounts.models import Invitation
from accounts.roles import is_secretariat
from cop_site.languages import current_language


@require_safe
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.invitation_for_token(token)
    if found is None:
        return render(request, "accounts/invitation_unusable.html", status=410)
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", status=409)
    services.invitation_start(request=request, invitation=found)
    return redirect("account_signup")


@secretariat_required
@require_http_methods(["GET", "POST"])
def invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, initial={"language": current_language()})
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            country=form.cleaned_data["country"],
            language=form.cleaned_data["language"],
            invited_by=request.user,
        )
        return redirect("accounts:invitations")
    return render(
        request,
        "accounts/invitations.html",
        {
            "form": form,
            "invitations": Invitation.objects.select_related("invited_by")[:100],
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: the account's role and what it can do."""
    from allauth.mfa.utils import is_mfa_enabled

    from accounts.roles import is_member_state

    delegate = getattr(request.user, "delegate", None) if is_member_state(request.user) else None
    return render(
        request,
        "accounts/dashboard.html",
        {
            "is_secretariat": is_secretariat(request.user),
            "delegate": delegate,
            "mfa_enabled": is_mfa_enabled(request.user),
        },
    )


@login_required
@require_safe
def mfa_required(request: HttpRequest) -> HttpResponse:
    """Where a Secretariat member without a second factor is stopped."""
    return render(request, "accounts/mfa_required.html", {"is_secretariat": is_secretariat(request.user)})
