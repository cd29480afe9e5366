"""Statistics' Celery tasks. Each takes ids, calls one service, and can run twice safely.

Names are pinned (`name=`): the beat schedule and any message already queued keep working
whatever module the task lives in. Imports: a service imports the tasks it fires at the
top of its module; a task imports the service it calls inside its body, so no module-level
import ever runs from a task module back into a service.
"""

from celery import Task, shared_task
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
def build_record_export(self: Task[[int], None], export_id: int) -> None:
    from reports.statistics.exports import record_export_build

    # Idempotent: the build claims a queued export with a conditional UPDATE, so a second or
    # overlapping run finds nothing to do; a redelivery after its worker died starts it again.
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    record_export_build(export_id=export_id, resume=redelivered)


@shared_task(name="reports.tasks.publish_final_releases", ignore_result=True)
def publish_final_releases() -> int:
    """Under beat: make the final release of every consultation that has closed without one."""
    from reports.statistics.releases import consultations_awaiting_final_release

    found = consultations_awaiting_final_release()
    for consultation in found:
        publish_final_release.delay(consultation.pk)
    return len(found)


@shared_task(name="reports.tasks.publish_final_release", ignore_result=True)
def publish_final_release(consultation_id: int) -> None:
    from consultations.models import Consultation
    from reports.statistics.releases import ReleaseRefused, release_publish

    # Idempotent: a consultation has one final release (a unique constraint), so a second
    # or overlapping run is refused and publishes nothing twice.
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return
    try:
        release_publish(consultation=consultation, final=True)
    except ReleaseRefused:
        return
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
