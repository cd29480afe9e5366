from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Delegate, Invitation, Role
from accounts.roles import MEMBER_STATE, SECRETARIAT
from cop_site.emails import email_queue, site_reverse

SESSION_KEY = "accounts.invitation"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, email: str, role: str, country: str, language: str, invited_by: User | None
) -> tuple[Invitation, str]:
    """Record an invitation and email its link (once the transaction commits).

    Returns the invitation and its link, in the invitation's language on SITE_URL; the
    link is never stored, only its digest.
    """
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.strip().lower(),
            role=role,
            country=country if role == Role.MEMBER_STATE else "",
            language=language,
            digest=_digest(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        link = site_reverse(language, "accounts:invitation", token)
        email_queue(
            "accounts/email/invitation",
            to=[invitation.email],
            language=language,
            context={"invitation": invitation, "link": link, "days": settings.INVITATION_VALID_DAYS},
        )
    return invitation, link


def invitation_for_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.filter(digest=_digest(token)).first()
    return invitation if invitation and invitation.is_usable() else None


def invitation_start(*, request: HttpRequest, invitation: Invitation) -> None:
    """Remember the invitation for this browser's sign-up; its email counts as verified."""
    from allauth.account.adapter import get_adapter

    request.session[SESSION_KEY] = invitation.pk
    get_adapter(request).stash_verified_email(request, invitation.email)


def invitation_from_session(request: HttpRequest) -> Invitation | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    invitation = Invitation.objects.filter(pk=pk).first()
    return invitation if invitation and invitation.is_usable() else None


def invitation_accept(*, invitation: Invitation, user: User) -> None:
    """Give the new account its role; an invitation is used once."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable():
            raise ValueError("invitation already used or expired")
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        if locked.role == Role.SECRETARIAT:
            user.groups.add(Group.objects.get(name=SECRETARIAT))
        else:
            user.groups.add(Group.objects.get(name=MEMBER_STATE))
            Delegate.objects.create(user=user, country=locked.country)
