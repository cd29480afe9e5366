"""Faults: the database, Redis or the Celery worker failing while young people answer.

The first tests break the database inside Django and run on any stack. The `fullstack`
ones start the production processes (gunicorn, Celery worker and beat) as subprocesses
against the test database and a redis-server of their own, then break one part for real.
The machine's shared Redis and PostgreSQL are never stopped: PostgreSQL is cut through a
TCP proxy (bench/run_faults.sh restarts it for real).
"""

from __future__ import annotations

import html
import os
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from accounts.tests.factories import make_user
from bench.faults import (
    RedisServer,
    Reply,
    Service,
    TcpProxy,
    answer_path,
    app_environment,
    database_url,
    emails_to,
    fetch,
    open_form,
    responses_are_whole,
    start_beat,
    start_gunicorn,
    start_worker,
    table_locked,
    wait_until,
    waiting_on_a_lock,
)
from consultations.models import Consultation, Response, UsedFormToken
from consultations.tests.factories import answer_data, form_token, make_consultation
from reports.models import TallyRun

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _sent_again(page: str) -> dict[str, list[str]]:
    """What the "send my answers" button of the try-again page sends."""
    data: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(page):
        data.setdefault(html.unescape(name), []).append(html.unescape(value))
    return data


# --- The try-again page --------------------------------------------------------------------


@pytest.mark.django_db
def test_answers_sent_while_the_database_drops_out_get_a_503_try_again_page_in_french(client):
    consultation = make_consultation()
    token = form_token(client, consultation, "fr")
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch("consultations.views.response_submit", side_effect=lost):
        page = client.post(answer_path(consultation.slug, "fr"), answer_data(consultation, token))

    assert page.status_code == 503
    assert page["Retry-After"] == "5" and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert '<html lang="fr" dir="ltr">' in text
    assert "Réessaie, s’il te plaît" in text and "Envoyer mes réponses" in text
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_the_try_again_button_sends_the_same_answers_once(client):
    consultation = make_consultation()
    token = form_token(client, consultation, "ar")
    sent = answer_data(consultation, token, **{f"q{consultation.ordered_questions()[3].pk}": 'قال "مرحبا" <b>'})
    with mock.patch("consultations.views.response_submit", side_effect=InterfaceError("connection already closed")):
        page = client.post(answer_path(consultation.slug, "ar"), sent)
    again = _sent_again(page.content.decode())
    assert again["token"] == [token] and 'قال "مرحبا" <b>' in again[f"q{consultation.ordered_questions()[3].pk}"]

    for _ in range(2):  # pressed, and pressed again
        thanks = client.post(answer_path(consultation.slug, "ar"), again)
        assert thanks.status_code == 200 and b'<html lang="ar" dir="rtl">' in thanks.content
    # One row per answer: single choice, two ticked boxes, a rating, the text.
    assert Response.objects.count() == 1 and Response.objects.get().answers.count() == 5


@pytest.mark.django_db
def test_a_page_that_only_reads_gets_the_try_again_page_without_a_form(client):
    with mock.patch("consultations.views.selectors.consultations_open_in", side_effect=OperationalError("gone")):
        page = client.get("/es/")
    assert page.status_code == 503
    text = page.content.decode()
    assert '<html lang="es" dir="ltr">' in text and "Inténtalo de nuevo" in text
    assert 'method="post"' not in text


@pytest.mark.django_db
def test_other_errors_are_not_dressed_up_as_try_again(client):
    client.raise_request_exception = False
    with mock.patch("consultations.views.selectors.consultations_open_in", side_effect=ValueError("a bug")):
        page = client.get("/en/")
    assert page.status_code == 500


# --- The full stack, broken for real -------------------------------------------------------


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def services(transactional_db: None) -> Iterator[list[Service]]:
    """Processes to stop after the test, before its data are flushed; their logs if it failed."""
    started: list[Service] = []
    yield started
    for service in reversed(started):
        service.stop()
        print(service.log_tail())  # shown by pytest only when the test failed


def _environment(redis: RedisServer, *, port: int | None = None, **extra: str) -> dict[str, str]:
    url = database_url(connection.settings_dict, port=port)
    # Pre-rendering the results pages after each recount would only slow the worker down here.
    return app_environment(database_url=url, redis_url=redis.url(), REPORTS_PRERENDER="false", **extra)


def _send(base: str, path: str, timeout: float = 30) -> Reply:
    return fetch(base, "POST", path, open_form(base, path), timeout=timeout)


def _counted(consultation: Consultation) -> int | None:
    run = TallyRun.objects.latest_for(consultation)
    return None if run is None else run.respondents


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_answers_are_stored_and_thanked_while_redis_is_down_and_the_final_release_counts_them(
    redis, services, tmp_path
):
    consultation = make_consultation()
    env = _environment(redis, REPORTS_FINAL_RELEASE_SECONDS="1")
    gunicorn, base = start_gunicorn(env, tmp_path)
    services += [gunicorn, start_worker(env, tmp_path), start_beat(env, tmp_path)]
    for _ in range(2):
        assert _send(base, answer_path(consultation.slug)).thanked

    redis.kill()  # the cache (rate limit) and the broker (beat, worker) with it
    for language in ("fr", "ar", "zh-hans"):
        # A cache that is down must not hold a respondent up: its client gives up after 1 s
        # (settings.CACHES), so a request still waiting after 10 s fails the test.
        reply = _send(base, answer_path(consultation.slug, language), timeout=10)
        assert reply.thanked and f'lang="{language}"' in reply.body
    assert Response.objects.filter(consultation=consultation).count() == 5
    # It closes during the outage: beat cannot queue its final release meanwhile.
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now())
    time.sleep(2)
    assert _counted(consultation) is None

    redis.start()
    wait_until(lambda: _counted(consultation) == 5, timeout=60, what="the final release", interval=0.5)
    assert TallyRun.objects.get(consultation=consultation).is_final
    assert responses_are_whole(consultation.pk)


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("killed", ["the whole worker", "only its pool process"])
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_worker_killed_in_the_middle_of_a_task_runs_it_again_with_one_effect(redis, services, tmp_path, killed):
    from cop_site.celery import app

    # Just opened: each author is due one "opened" email (consultations.authoring.notifications).
    consultation = make_consultation(opens_in=timedelta(minutes=-1))
    authors = [make_user() for _ in range(3)]
    consultation.authors.set(authors)
    mail = tmp_path / "mail"
    mail.mkdir()
    visibility = 2
    env = _environment(
        redis,
        CELERY_VISIBILITY_TIMEOUT=str(visibility),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
    )
    worker = start_worker(env, tmp_path)
    services.append(worker)

    with app.connection_for_write(redis.url()) as broker:
        # The task claims the opening in a transaction, then waits at this lock: half-way.
        with table_locked(connection.settings_dict, "accounts_invitation"):
            # To the queue the worker process listens on (under pytest-xdist, conftest.py gives
            # this process's own tasks a queue per xdist worker).
            app.send_task("consultations.tasks.notify_consultation_changes", connection=broker, queue="celery")
            wait_until(waiting_on_a_lock, timeout=30, what="the task to be half-way")
            if killed == "the whole worker":
                worker.kill(signal.SIGKILL)
            else:  # as the OOM killer would
                for child in worker.children():
                    os.kill(child, signal.SIGKILL)
    if killed == "the whole worker":
        # Its claim died with its transaction; the message is handed out again after the
        # visibility timeout, to the worker started in its place.
        consultation.refresh_from_db()
        assert consultation.opening_notified_at is None and not emails_to(mail)
        time.sleep(visibility + 0.5)
        services.append(start_worker(env, tmp_path))

    once_each = Counter({author.email: 1 for author in authors})
    wait_until(lambda: emails_to(mail) == once_each, timeout=45, what="one email per author", interval=0.2)
    time.sleep(2)
    assert emails_to(mail) == once_each
    consultation.refresh_from_db()
    assert consultation.opening_notified_at is not None


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_a_database_cut_mid_answer_gets_503_in_the_respondents_language_and_stores_nothing_half(
    redis, services, tmp_path
):
    consultation = make_consultation()
    settings_dict = connection.settings_dict
    proxy = TcpProxy((settings_dict.get("HOST") or "127.0.0.1", int(settings_dict.get("PORT") or 5432)))
    env = _environment(redis, port=proxy.port)
    gunicorn, base = start_gunicorn(env, tmp_path)
    services.append(gunicorn)
    path = answer_path(consultation.slug, "fr")
    first, in_flight, later = open_form(base, path), open_form(base, path), open_form(base, path)
    assert fetch(base, "POST", path, first).thanked

    try:
        # The answers are being written, inside the response's transaction, when the
        # database goes away.
        replies: list[Reply] = []
        with table_locked(settings_dict, "consultations_answer"):
            sending = threading.Thread(target=lambda: replies.append(fetch(base, "POST", path, in_flight)))
            sending.start()
            wait_until(waiting_on_a_lock, timeout=30, what="the answers to be half-written")
            proxy.cut()
            sending.join(timeout=30)
        during = fetch(base, "POST", path, later)
        for reply in (*replies, during):
            assert reply.status == 503 and reply.headers["retry-after"] == "5"
            assert '<html lang="fr" dir="ltr">' in reply.body and "Réessaie, s’il te plaît" in reply.body
        assert len(replies) == 1
        assert Response.objects.count() == 1 and UsedFormToken.objects.count() == 1
    finally:
        proxy.restore()

    # Each respondent presses "send my answers" on the try-again page, one of them twice.
    for reply in (replies[0], during, during):
        assert fetch(base, "POST", path, _sent_again(reply.body)).thanked
    assert Response.objects.count() == 3 and UsedFormToken.objects.count() == 3
    assert responses_are_whole(consultation.pk)
    proxy.close()
