"""Work dropped by a broker outage after its commit is queued again by beat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.tests.factories import make_consultation
from reports.models import RecordExport
from reports.statistics.tasks import requeue_unfinished_work
from reports.tests.helpers import add_responses

pytestmark = pytest.mark.django_db


def test_an_export_whose_task_never_reached_the_broker_is_built_later(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation()
    add_responses(consultation, 5, seed=1)
    dropped = RecordExport.objects.create(consultation=consultation, format="csv")
    RecordExport.objects.filter(pk=dropped.pk).update(requested_at=timezone.now() - timedelta(minutes=10))
    just_asked = RecordExport.objects.create(consultation=consultation, format="xlsx")

    assert requeue_unfinished_work() == 1
    dropped.refresh_from_db()
    just_asked.refresh_from_db()
    assert dropped.status == "ready" and dropped.rows_done == 5
    assert just_asked.status == "queued"  # its own task may still be on its way


def test_a_request_is_stored_and_answered_even_when_the_broker_is_down(
    client, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    from accounts.tests.factories import make_secretariat, signed_in
    from reports.statistics.tasks import build_record_export

    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation(slug="broker-down")

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(build_record_export, "delay", broker_down)
    signed_in(client, make_secretariat())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/en/secretariat/consultations/{consultation.slug}/exports/", {"format": "csv"})
    assert callbacks  # the queuing was attempted, failed, and did not become an error page
    assert response.status_code == 302
    assert RecordExport.objects.get(consultation=consultation).status == "queued"
