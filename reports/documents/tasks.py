"""Documents' Celery tasks. Each takes ids, calls one service, and can run twice safely.

Names are pinned (`name=`), so a queued message or the beat schedule survives a module
move. A task imports the service it calls inside its body; services import tasks at the
top of their modules.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reports.document_tasks.extract_document_text", ignore_result=True)
def extract_document_text(document_file_id: int) -> None:
    """Fill DocumentFile.text for search. Idempotent: extracting twice writes the same text."""
    from reports.documents.extraction import document_file_extract

    document_file_extract(document_file_id=document_file_id)


@shared_task(name="reports.subscription_tasks.notify_subscribers", ignore_result=True)
def notify_subscribers(document_id: int) -> int:
    """Email every confirmed subscriber of a newly published document, once each."""
    from reports.documents.subscriptions import subscribers_notify

    return subscribers_notify(document_id=document_id)


def documents_requeue_unfinished() -> int:
    """Queue again text extraction and subscriber emails that a broker outage may have dropped.

    Called by the beat task reports.statistics.tasks.requeue_unfinished_work (pinned name
    "reports.tasks.requeue_unfinished_work"); every task it queues is idempotent.
    """
    from datetime import timedelta

    from django.utils import timezone

    from reports.models import Document, DocumentFile

    now = timezone.now()
    settled = now - timedelta(minutes=2)
    queued = 0
    for file_id in DocumentFile.objects.filter(text_extracted_at__isnull=True, uploaded_at__lt=settled).values_list(
        "pk", flat=True
    ):
        extract_document_text.delay(file_id)
        queued += 1
    for document_id in (
        Document.objects.public()
        .exclude(status=Document.Status.WITHDRAWN)
        .filter(published_at__gt=now - timedelta(days=7), published_at__lt=settled)
        .values_list("pk", flat=True)
    ):
        notify_subscribers.delay(document_id)
        queued += 1
    return queued
