from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER_STATE = "member_state", _("Member State")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self, now: datetime | None = None) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An invitation to create an account: there is no public sign-up.

    Only a digest of the link's token is kept, so a copy of the database cannot be used
    to accept someone else's invitation.
    """

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    country = CountryField(_("country"), blank=True, help_text=_("The country a Member State account speaks for."))
    language = models.CharField(_("language of the email"), max_length=7, choices=settings.LANGUAGES)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="member_state") | ~Q(country=""), name="member_state_invitation_has_country"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.accepted_at is None and self.expires_at > (now or timezone.now())


class Delegate(models.Model):
    """A Member State account: a delegate or focal point speaking for one country."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegate")
    country = CountryField(_("country"))

    class Meta:
        verbose_name = _("Member State delegate")
        verbose_name_plural = _("Member State delegates")

    def __str__(self) -> str:
        return f"{self.user} ({self.country.code})"
