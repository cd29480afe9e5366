"""A record-level export built by a real Celery worker on Redis, as in production."""

from __future__ import annotations

import os
import time

import pytest

from accounts.tests.factories import make_secretariat
from consultations.tests.factories import make_consultation
from reports.models import RecordExport
from reports.statistics.exports import record_export_path, record_export_request
from reports.tests.export_helpers import KNOWN_ROWS, csv_rows, known_responses


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_requested_export(settings, tmp_path):
    from celery.contrib.testing.worker import start_worker

    from cop_site.celery import app

    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    consultation = make_consultation()
    known_responses(consultation)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            # No transaction is open, so the task is queued at once, as after a request commits.
            export = record_export_request(consultation=consultation, format="csv", user=make_secretariat())
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                export.refresh_from_db()
                if export.status not in ("queued", "running"):
                    break
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert export.status == RecordExport.Status.READY
    assert csv_rows(record_export_path(export).read_bytes()) == KNOWN_ROWS
