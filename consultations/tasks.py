from celery import shared_task
from django.utils import timezone

from consultations.authoring.notifications import consultations_notify_changes
from consultations.services import form_tokens_purge


@shared_task(name="consultations.tasks.purge_expired_form_tokens", ignore_result=True)
def purge_expired_form_tokens() -> int:
    # Idempotent: deleting what has expired twice deletes nothing the second time.
    return form_tokens_purge()


@shared_task(name="consultations.tasks.notify_consultation_changes", ignore_result=True)
def notify_consultation_changes() -> int:
    # Idempotent: each opening and closing is claimed once by a conditional UPDATE, so a
    # second or overlapping run finds nothing left to send. Runs every minute under beat.
    return len(consultations_notify_changes(now=timezone.now()))
