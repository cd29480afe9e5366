"""Authors get one email when their consultation opens and one when it closes."""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import formats, timezone, translation

from accounts.models import Invitation
from accounts.roles import SECRETARIAT
from accounts.tests.factories import make_secretariat
from consultations.authoring.notifications import consultation_notify_change
from consultations.models import Consultation
from consultations.tasks import notify_consultation_changes
from consultations.tests.factories import make_consultation


@pytest.fixture
def eager_celery():
    # The embedded default already runs tasks in-process; on the full stack only the
    # worker test below talks to Redis, the others deliver in-process too.
    from cop_site.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def run(eager_celery, django_capture_on_commit_callbacks):
    def run_task():
        with django_capture_on_commit_callbacks(execute=True):
            return notify_consultation_changes()

    return run_task


def _with_authors(consultation, *authors):
    consultation.authors.add(*authors)
    return consultation


def _invited_in(user, language):
    now = timezone.now()
    Invitation.objects.create(
        email=user.email,
        role="secretariat",
        language=language,
        digest=f"{user.pk:064d}",
        expires_at=now,
        accepted_at=now,
    )


@pytest.mark.django_db
def test_authors_are_told_once_when_a_consultation_opens(run):
    alice, bruno = make_secretariat(email="alice@example.org"), make_secretariat(email="bruno@example.org")
    _invited_in(bruno, "fr")
    consultation = _with_authors(make_consultation(opens_in=timedelta(minutes=-1)), alice, bruno)

    assert run() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bruno@example.org"]
    english = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    french = next(m for m in mail.outbox if m.to == ["bruno@example.org"])
    assert english.subject == "[CWG-COP] Consultation open: Topic [en]"
    assert f"/en/secretariat/consultations/{consultation.slug}/monitor/" in english.body
    # In the language of bruno's invitation: French title, link and date format.
    assert "Topic [fr]" in french.subject
    with translation.override("fr"):
        assert formats.date_format(consultation.closes_at, "DATETIME_FORMAT") in french.body
    assert f"/fr/secretariat/consultations/{consultation.slug}/monitor/" in french.alternatives[0][0]

    consultation.refresh_from_db()
    assert consultation.opening_notified_at is not None and consultation.closing_notified_at is None
    assert run() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_authors_are_told_once_when_it_closes_with_its_response_count(run):
    author = make_secretariat()
    consultation = make_consultation(opens_in=timedelta(days=-10), closes_in=timedelta(days=-1))
    Consultation.objects.filter(pk=consultation.pk).update(opening_notified_at=consultation.opens_at)
    _with_authors(consultation, author)

    assert run() == 1
    [message] = mail.outbox
    assert message.to == [author.email]
    assert message.subject == "[CWG-COP] Consultation closed: Topic [en]"
    assert "with 0 responses" in message.body
    assert run() == 0 and run() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_consultation_that_opened_and_closed_since_the_last_run_gets_both_opened_first(run):
    author = make_secretariat()
    consultation = _with_authors(make_consultation(opens_in=timedelta(hours=-3), closes_in=timedelta(hours=-1)), author)

    assert run() == 2
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "[CWG-COP] Consultation open",
        "[CWG-COP] Consultation closed",
    ]
    consultation.refresh_from_db()
    assert consultation.opening_notified_at and consultation.closing_notified_at
    assert run() == 0 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_consultation_without_authors_sends_nothing_but_is_marked(run):
    consultation = make_consultation(opens_in=timedelta(hours=-3), closes_in=timedelta(hours=-1))
    assert run() == 2
    assert mail.outbox == []
    consultation.refresh_from_db()
    assert consultation.opening_notified_at and consultation.closing_notified_at


@pytest.mark.django_db
def test_nothing_happens_before_a_consultation_opens(run):
    consultation = _with_authors(make_consultation(opens_in=timedelta(minutes=5)), make_secretariat())
    assert run() == 0
    assert mail.outbox == []
    consultation.refresh_from_db()
    assert consultation.opening_notified_at is None


@pytest.mark.django_db
def test_authors_without_an_address_or_no_longer_active_are_skipped(run):
    active, inactive, no_address = make_secretariat(), make_secretariat(), make_secretariat()
    inactive.is_active = False
    inactive.save()
    no_address.email = ""
    no_address.save()
    _with_authors(make_consultation(), active, inactive, no_address)
    assert run() == 1
    assert [m.to for m in mail.outbox] == [[active.email]]


@pytest.mark.django_db
def test_of_two_overlapping_claims_only_the_first_sends(eager_celery, django_capture_on_commit_callbacks):
    consultation = _with_authors(make_consultation(), make_secretariat())
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = consultation_notify_change(consultation_id=consultation.pk, change="opened", now=now)
        second = consultation_notify_change(consultation_id=consultation.pk, change="opened", now=now)
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_closing_is_never_announced_before_its_opening(eager_celery, django_capture_on_commit_callbacks):
    consultation = _with_authors(
        make_consultation(opens_in=timedelta(hours=-3), closes_in=timedelta(hours=-1)), make_secretariat()
    )
    with django_capture_on_commit_callbacks(execute=True):
        claimed = consultation_notify_change(consultation_id=consultation.pk, change="closed", now=timezone.now())
    assert claimed is False and mail.outbox == []


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_delivers_the_open_and_close_emails(settings):
    from celery.contrib.testing.worker import start_worker

    from cop_site.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    # A transactional test starts from an empty database: an earlier one flushed the roles.
    Group.objects.get_or_create(name=SECRETARIAT)
    # An address of its own: messages left in Redis by an interrupted run must not count.
    author = make_secretariat(email=f"author-{uuid.uuid4().hex}@example.org")
    consultation = _with_authors(make_consultation(opens_in=timedelta(hours=-3), closes_in=timedelta(hours=-1)), author)
    mine = []
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            # Through the broker, as beat fires it; its send_email tasks are queued on commit
            # and delivered by the same worker, whose thread shares this process's outbox.
            # Results are not stored (ignore_result), so the test watches the outbox.
            notify_consultation_changes.delay()
            deadline = time.monotonic() + 30
            while len(mine) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
                mine = [m for m in mail.outbox if m.to == [author.email]]
    finally:
        app.conf.task_always_eager = previous
    assert [m.subject for m in mine] == [
        "[CWG-COP] Consultation open: Topic [en]",
        "[CWG-COP] Consultation closed: Topic [en]",
    ]
    consultation.refresh_from_db()
    assert consultation.opening_notified_at and consultation.closing_notified_at


@pytest.mark.django_db
def test_moving_the_closing_date_into_the_future_means_the_authors_are_told_again():
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tests.factories import make_secretariat
    from consultations.authoring.services import consultation_update
    from consultations.models import Consultation
    from consultations.tests.factories import make_consultation

    consultation = make_consultation(opens_in=timedelta(days=-3), closes_in=timedelta(days=-1))
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(opening_notified_at=now, closing_notified_at=now)
    consultation.refresh_from_db()
    consultation_update(
        consultation=consultation,
        author=make_secretariat(),
        slug=consultation.slug,
        meeting=None,
        opens_at=consultation.opens_at,
        closes_at=now + timedelta(days=5),
        title=consultation.title,
        introduction=consultation.introduction,
    )
    consultation.refresh_from_db()
    assert consultation.opening_notified_at is not None  # it had opened, and still has
    assert consultation.closing_notified_at is None
