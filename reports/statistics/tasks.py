"""Statistics' Celery tasks. Each takes ids, calls one service, and can run twice safely.

Names are pinned (`name=`): the beat schedule and any message already queued keep working
whatever module the task lives in. Imports: a service imports the tasks it fires at the
top of its module; a task imports the service it calls inside its body, so no module-level
import ever runs from a task module back into a service.
"""

from celery import shared_task
from django.conf import settings

from reports.models import RecordExport

# Large exports outlast the default limits; past the soft limit the build is marked failed.
_SOFT_LIMIT = int(RecordExport.BUILD_TIME_LIMIT.total_seconds())


@shared_task(
    name="reports.tasks.build_record_export",
    bind=True,
    ignore_result=True,
    soft_time_limit=_SOFT_LIMIT,
    time_limit=_SOFT_LIMIT + 60,
)
def build_record_export(self, export_id: int) -> None:
    from reports.statistics.exports import record_export_build

    # Idempotent: the build claims a queued export with a conditional UPDATE, so a second or
    # overlapping run finds nothing to do; a redelivery after its worker died starts it again.
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    record_export_build(export_id=export_id, resume=redelivered)


@shared_task(name="reports.tasks.refresh_tallies", ignore_result=True)
def refresh_tallies() -> int:
    """Under beat: recount every open consultation, and each closed one a final time."""
    from django.utils import timezone

    from reports.statistics.tallies import consultations_needing_refresh

    found = consultations_needing_refresh(timezone.now())
    for consultation in found:
        refresh_tally.delay(consultation.pk)
    return len(found)


@shared_task(name="reports.tasks.refresh_tally", ignore_result=True)
def refresh_tally(consultation_id: int) -> None:
    from consultations.models import Consultation
    from reports.statistics.tallies import tally_refresh

    # Idempotent: a recount replaces the previous one in a single transaction, so a
    # duplicate or overlapping run publishes the same figures again, never half of them.
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is not None:
        tally_refresh(consultation=consultation)
        if settings.REPORTS_PRERENDER:
            prerender_results.delay(consultation.pk)


@shared_task(name="reports.tasks.prerender_results", ignore_result=True)
def prerender_results(consultation_id: int) -> int:
    from consultations.models import Consultation
    from reports.statistics.prerender import results_pages_prerender

    # Idempotent: rendering a page again stores the same bytes under the same key.
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    return 0 if consultation is None else results_pages_prerender(consultation=consultation)


@shared_task(name="reports.tasks.requeue_unfinished_work", ignore_result=True)
def requeue_unfinished_work() -> int:
    """Under beat: queue again what a broker outage may have dropped after its commit.

    Exports still queued, and (through the documents' own sweep) uploads whose text was
    never extracted and documents published in the last week whose subscribers may not
    have been told. Every task queued here is idempotent, so queuing one that is already
    waiting costs nothing.
    """
    from reports.documents.tasks import documents_requeue_unfinished
    from reports.statistics.exports import record_exports_requeue

    return record_exports_requeue() + documents_requeue_unfinished()
