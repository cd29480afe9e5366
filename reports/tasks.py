from celery import shared_task
from django.conf import settings
from django.utils import timezone

from consultations.models import Consultation
from reports import exports
from reports.prerender import results_pages_prerender
from reports.tallies import consultations_needing_refresh, tally_refresh

# Large exports outlast the default limits; past the soft limit the build is marked failed.
_SOFT_LIMIT = int(exports.BUILD_TIME_LIMIT.total_seconds())


@shared_task(bind=True, ignore_result=True, soft_time_limit=_SOFT_LIMIT, time_limit=_SOFT_LIMIT + 60)
def build_record_export(self, export_id: int) -> None:  # noqa: ANN001
    # Idempotent: the build claims a queued export with a conditional UPDATE, so a second or
    # overlapping run finds nothing to do; a redelivery after its worker died starts it again.
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    exports.record_export_build(export_id=export_id, resume=redelivered)


@shared_task(ignore_result=True)
def refresh_tallies() -> int:
    """Under beat: recount every open consultation, and each closed one a final time."""
    found = consultations_needing_refresh(timezone.now())
    for consultation in found:
        refresh_tally.delay(consultation.pk)
    return len(found)


@shared_task(ignore_result=True)
def refresh_tally(consultation_id: int) -> None:
    # Idempotent: a recount replaces the previous one in a single transaction, so a
    # duplicate or overlapping run publishes the same figures again, never half of them.
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is not None:
        tally_refresh(consultation=consultation)
        if settings.REPORTS_PRERENDER:
            prerender_results.delay(consultation.pk)


@shared_task(ignore_result=True)
def prerender_results(consultation_id: int) -> int:
    # Idempotent: rendering a page again stores the same bytes under the same key.
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    return 0 if consultation is None else results_pages_prerender(consultation=consultation)


@shared_task(ignore_result=True)
def requeue_unfinished_work() -> int:
    """Under beat: queue again what a broker outage may have dropped after its commit.

    Exports still queued, uploads whose text was never extracted, and documents published
    in the last week (subscribers are told once each, whatever runs twice). Every task
    queued here is idempotent, so queuing one that is already waiting costs nothing.
    """
    from datetime import timedelta

    from reports.document_tasks import extract_document_text
    from reports.models import Document, DocumentFile, RecordExport
    from reports.subscription_tasks import notify_subscribers

    now = timezone.now()
    settled = now - timedelta(minutes=2)
    queued = 0
    for export_id in RecordExport.objects.filter(
        status=RecordExport.Status.QUEUED, requested_at__lt=settled, requested_at__gt=now - exports.STALLED_AFTER
    ).values_list("pk", flat=True):
        build_record_export.delay(export_id)
        queued += 1
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


# Registered with Celery through this module, which autodiscover_tasks() imports.
from reports.document_tasks import extract_document_text  # noqa: E402
from reports.subscription_tasks import notify_subscribers  # noqa: E402

__all__ = [
    "build_record_export",
    "extract_document_text",
    "notify_subscribers",
    "prerender_results",
    "refresh_tallies",
    "refresh_tally",
    "requeue_unfinished_work",
]
