from __future__ import annotations

from typing import Any, cast

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Invitation, Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    country = forms.ChoiceField(label=_("Country (Member State accounts only)"), required=False)
    language = forms.ChoiceField(label=_("Language of the invitation email"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Names in the secretariat member's own language (iterated per request, not at import).
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—"), *countries]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("role") == Role.MEMBER_STATE and not data.get("country"):
            self.add_error("country", _("Choose the country this Member State account speaks for."))
        email = (data.get("email") or "").lower()
        from django.contrib.auth import get_user_model

        if email and get_user_model().objects.filter(email__iexact=email).exists():
            self.add_error("email", _("Someone already has an account with this email address."))
        if email and Invitation.objects.usable().filter(email=email).exists():
            self.add_error("email", _("This person already has an invitation waiting."))
        return data


class InvitedSignupForm(SignupForm):
    """Allauth's sign-up form, for the invited email address only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from allauth.core import context

        from accounts.services import invitation_from_session

        request = getattr(context, "request", None)
        self.invitation = invitation_from_session(request) if request is not None else None
        if self.invitation is not None:
            self.fields["email"].initial = self.invitation.email
            self.fields["email"].widget.attrs["readonly"] = True

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if self.invitation is None or email.lower() != self.invitation.email:
            raise forms.ValidationError(_("Use the email address the invitation was sent to."))
        return email
