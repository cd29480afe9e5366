"""Tallies are recounted by Celery while a consultation is open, and a final time after."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.tests.factories import make_consultation
from reports.models import ScopeTally, TallyRun
from reports.statistics.tallies import consultations_needing_refresh
from reports.statistics.tasks import refresh_tallies
from reports.tests.helpers import add_responses

pytestmark = pytest.mark.django_db


def test_beat_task_recounts_open_consultations_and_closed_ones_once_more(client) -> None:
    open_one = make_consultation(slug="open-one")
    closed = make_consultation(slug="closed-one", opens_in=timedelta(days=-10), closes_in=timedelta(days=-1))
    upcoming = make_consultation(slug="later", opens_in=timedelta(days=3))
    add_responses(open_one, 30, seed=1)
    add_responses(closed, 30, seed=2)

    assert refresh_tallies.delay() is not None
    assert TallyRun.objects.get(consultation=open_one).is_final is False
    assert TallyRun.objects.get(consultation=closed).is_final is True
    assert not TallyRun.objects.filter(consultation=upcoming).exists()

    # A closed consultation's final count is not redone; an open one's is replaced.
    first_final = TallyRun.objects.get(consultation=closed).pk
    first_open = TallyRun.objects.get(consultation=open_one).pk
    add_responses(open_one, 10, seed=3)
    refresh_tallies.delay()
    assert TallyRun.objects.get(consultation=closed).pk == first_final
    latest = TallyRun.objects.get(consultation=open_one)
    assert latest.pk != first_open and latest.respondents == 40
    assert not ScopeTally.objects.filter(run_id=first_open).exists()
    assert client.get("/en/api/v1/results/open-one/").json()["columns"][0]["respondents"] == 40


def test_a_closed_consultation_without_final_count_still_needs_one() -> None:
    closed = make_consultation(opens_in=timedelta(days=-10), closes_in=timedelta(days=-1))
    assert closed in consultations_needing_refresh(timezone.now())


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_refreshes_the_tallies(settings) -> None:
    from celery.contrib.testing.worker import start_worker

    from cop_site.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    consultation = make_consultation(slug="worker-counted")
    add_responses(consultation, 25, seed=4)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            # beat's task fans out one refresh per consultation, both through Redis.
            refresh_tallies.delay()
            deadline = time.monotonic() + 60
            while not TallyRun.objects.filter(consultation=consultation).exists() and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    run = TallyRun.objects.get(consultation=consultation)
    assert run.respondents == 25
    assert ScopeTally.objects.filter(run=run, scope="world").exists()


def test_counts_from_different_moments_are_never_published(monkeypatch) -> None:
    from reports.statistics import tallies

    consultation = make_consultation()
    add_responses(consultation, 12, seed=5)
    first = tallies.tally_refresh(consultation=consultation)
    real_gather = tallies._gather

    def answers_seen_after_respondents(found):
        counts = real_gather(found)
        counts.respondents = {key: n - 1 for key, n in counts.respondents.items()}
        return counts

    monkeypatch.setattr(tallies, "_gather", answers_seen_after_respondents)
    with pytest.raises(tallies.InconsistentCounts):
        tallies.tally_refresh(consultation=consultation)
    assert list(TallyRun.objects.filter(consultation=consultation)) == [first]
