import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import UsedFormToken
from consultations.tasks import purge_expired_form_tokens


@pytest.mark.django_db
def test_expired_form_tokens_are_purged_and_purging_twice_is_harmless():
    today = timezone.now().date()
    UsedFormToken.objects.create(digest="a" * 64, expires_on=today - timedelta(days=1))
    UsedFormToken.objects.create(digest="b" * 64, expires_on=today + timedelta(days=1))
    assert purge_expired_form_tokens() == 1
    assert purge_expired_form_tokens() == 0
    assert list(UsedFormToken.objects.values_list("digest", flat=True)) == ["b" * 64]


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_purge(settings):
    from celery.contrib.testing.worker import start_worker

    from cop_site.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    yesterday = timezone.now().date() - timedelta(days=1)
    UsedFormToken.objects.create(digest="c" * 64, expires_on=yesterday)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            # Watch the database rather than a stored result: any eager task run earlier in
            # the session has already fixed this thread's result backend to "disabled".
            purge_expired_form_tokens.delay()
            deadline = time.monotonic() + 30
            while UsedFormToken.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert not UsedFormToken.objects.exists()
