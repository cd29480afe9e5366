from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@shared_task(ignore_result=True)
def notify_subscribers(document_id: int) -> int:
    """Email every confirmed subscriber of a newly published document, once each."""
    from reports.subscriptions import subscribers_notify

    return subscribers_notify(document_id=document_id)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_subscription_email(*, subject: str, body: str, html: str | None, to: list[str], unsubscribe_url: str) -> None:
    # accounts.tasks.send_email cannot add headers. These two let a mail client offer its own
    # "unsubscribe" button, which POSTs to the link without opening it (RFC 2369, RFC 8058).
    message = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        to,
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
