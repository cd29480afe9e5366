"""Every email the site sends: rendered in the recipient's language, queued after commit.

A message is three templates, `<name>_subject.txt`, `<name>_message.txt` and
`<name>_message.html`; `email_render` renders them in one language and `email_queue`
hands them to `accounts.tasks.send_email` once the transaction that decided to send them
has committed. Every link in an email is absolute, built by `site_url` from SITE_URL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.tasks import send_email


def site_url(path: str) -> str:
    """An absolute address on this site, for emails and command output."""
    return settings.SITE_URL.rstrip("/") + path


def site_reverse(language: str, viewname: str, *args: Any, **kwargs: Any) -> str:
    """The absolute address of a page in a given language (its /xx/ prefix included)."""
    with translation.override(language):
        return site_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


def email_render(name: str, *, language: str, context: dict[str, Any]) -> dict[str, str]:
    """The subject (one line), plain-text body and HTML body of `name`, in `language`."""
    with translation.override(language):
        return {
            "subject": " ".join(render_to_string(f"{name}_subject.txt", context).split()),
            "body": render_to_string(f"{name}_message.txt", context),
            "html": render_to_string(f"{name}_message.html", context),
        }


def email_queue(
    name: str, *, to: list[str], language: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """Render `name` in `language` and send it to `to` once the current transaction commits."""
    message = email_render(name, language=language, context=context)
    # Celery's Django fix-up makes every task a DjangoTask, which celery-types cannot know.
    send_email.delay_on_commit(  # type: ignore[attr-defined]
        from_email=settings.DEFAULT_FROM_EMAIL, to=to, headers=headers, **message
    )
