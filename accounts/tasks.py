from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    name="accounts.tasks.send_email", ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_email(
    *, subject: str, body: str, html: str | None, from_email: str, to: list[str], headers: dict[str, str] | None = None
) -> None:
    # The message is rendered in the recipient's language before it is queued; the task
    # only delivers it, and retries when the mail server is unreachable.
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
