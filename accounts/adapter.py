from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.html import strip_tags

from accounts import services
from accounts.tasks import send_email

SESSION_KEY = "accounts.invitation"


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: only someone holding a usable invitation may create an account."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return services.invitation_from_session(request) is not None

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        invitation = services.invitation_from_session(request)
        if commit and invitation is not None:
            services.invitation_accept(invitation=invitation, user=user)
            request.session.pop(SESSION_KEY, None)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Rendered now, in the visitor's language; delivered by a Celery worker.
        message = self.render_mail(template_prefix, email, context)
        alternatives = getattr(message, "alternatives", [])
        html = next((content for content, kind in alternatives if kind == "text/html"), None)
        body = message.body
        if message.content_subtype == "html":  # an HTML-only template
            html, body = message.body, strip_tags(message.body)
        # Celery's Django fix-up makes every task a DjangoTask, which celery-types cannot know.
        send_email.delay_on_commit(  # type: ignore[attr-defined]
            subject=message.subject, body=body, html=html, from_email=message.from_email, to=list(message.to)
        )
