from celery import shared_task

from consultations.services import form_tokens_purge


@shared_task(ignore_result=True)
def purge_expired_form_tokens() -> int:
    # Idempotent: deleting what has expired twice deletes nothing the second time.
    return form_tokens_purge()
