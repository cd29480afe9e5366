"""Fault drills: the production processes on loopback, and what happens when a part fails.

The pieces (a Redis of our own, a cuttable TCP proxy in front of PostgreSQL, gunicorn,
Celery worker and beat as subprocesses, respondents) are shared with tests/test_faults.py,
which runs short versions of the same drills. This module runs longer ones, under load:

    bench/run_faults.sh                  # all three, against a fresh database cop_faults
    python -m bench.faults redis worker postgres --json bench/results/faults.json

- redis:    Redis (cache and broker) killed while respondents answer, started again;
            every answer is stored and thanked, the tallies catch up.
- worker:   the Celery worker killed (SIGKILL) in the middle of a task, then started
            again; the task is run again and its effect happens once.
- postgres: PostgreSQL restarted for real (pg_ctlcluster) while respondents answer;
            503 "please try again" pages in their language, never a 5xx or a half-stored
            response, and the forms sent again are stored once.

Never touches the machine's own Redis on 6379: each drill starts a redis-server of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bench.answer_load import THANKS, answers_for, percentile

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check: Callable[[], T], *, timeout: float, what: str, interval: float = 0.1) -> T:
    """Poll `check` until it returns something true; its value, or TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        time.sleep(interval)


# --- Processes ---------------------------------------------------------------------------


@dataclass
class Service:
    """A subprocess in its own process group, so that a kill takes its children too."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Service:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group: with SIGKILL, as if the machine or container died."""
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, sig)
            assert self.process is not None
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if not self.running():
            return
        try:
            self.kill(signal.SIGTERM)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGKILL)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ({self.log}) ---\n" + "\n".join(text.splitlines()[-lines:])


class RedisServer:
    """A redis-server of our own on a free port, persistent like the production broker's."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.service = Service(
            "redis",
            # Append-only, as docker-compose.yml runs the broker: queued work survives a restart.
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes"]
            + ["--dir", str(directory), "--daemonize", "no"],
            dict(os.environ),
            directory / "redis.log",
        )

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        self.service.start()
        wait_until(self.answers, timeout=10, what="redis-server to answer PING")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        self.service.kill(signal.SIGKILL)

    def stop(self) -> None:
        self.service.stop()


class TcpProxy:
    """A TCP relay to PostgreSQL that can be cut: every connection reset, new ones refused.

    What the app sees is what it sees when the database restarts or fails over.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            self._forget(end)

    def _forget(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        _reset(sock)

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            cut, self.sockets = set(self.sockets), set()
        for sock in cut:
            _reset(sock)

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.listener.close()
        self.cut()


def _reset(sock: socket.socket) -> None:
    # shutdown() ends the connection even while a pump thread is blocked reading it (close()
    # alone would wait for that read); SO_LINGER 0 then makes the close a reset.
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


def app_environment(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The production settings, on loopback: DEBUG off, PostgreSQL, Redis."""
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        {
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "faults-only-secret",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": "cop-faults",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            # One load generator is one address; the limit itself is tested elsewhere.
            "SUBMISSIONS_PER_HOUR_PER_ADDRESS": "100000000",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def start_gunicorn(env: dict[str, str], logs: Path, *, workers: int = 1, threads: int = 4) -> tuple[Service, str]:
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "cop_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--threads", str(threads), "--worker-class", "gthread", "--timeout", "60", "--no-control-socket"]
    # The access log leaves out the client's address, as in production (bin/stack).
    command += ["--access-logfile", "-", "--access-logformat", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms']
    service = Service("gunicorn", command, env, logs / "gunicorn.log").start()
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if not service.running():
            raise RuntimeError(service.log_tail())
        try:
            return fetch(base, "GET", "/ping").status == 200
        except OSError:
            return False

    wait_until(up, timeout=30, what="gunicorn to answer /ping", interval=0.2)
    return service, base


def start_worker(env: dict[str, str], logs: Path, *, name: str = "worker") -> Service:
    log = logs / f"{name}.log"
    offset = log.stat().st_size if log.exists() else 0
    command = [PYTHON, "-m", "celery", "-A", "cop_site", "worker", "--pool", "prefork", "--concurrency", "1"]
    command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "--hostname", f"{name}-{os.getpid()}@%h"]
    service = Service(name, command, env, log).start()

    def ready() -> bool:
        if not service.running():
            raise RuntimeError(service.log_tail())
        return b" ready." in log.read_bytes()[offset:]

    wait_until(ready, timeout=60, what="the Celery worker to be ready", interval=0.2)
    return service


def start_beat(env: dict[str, str], logs: Path) -> Service:
    command = [PYTHON, "-m", "celery", "-A", "cop_site", "beat", "--loglevel", "INFO"]
    command += ["--schedule", str(logs / "celerybeat-schedule")]
    return Service("beat", command, env, logs / "beat.log").start()


# --- Respondents -------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def thanked(self) -> bool:
        return self.status == 200 and THANKS in self.body


def fetch(base: str, method: str, path: str, data: dict[str, list[str]] | None = None, timeout: float = 30) -> Reply:
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=timeout)
    try:
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode())
    finally:
        conn.close()


def answer_path(slug: str, language: str = "en") -> str:
    return f"/{language}/consultations/{slug}/answer/"


def open_form(base: str, path: str) -> dict[str, list[str]]:
    """A complete set of answers to the form a respondent has just opened, with its token."""
    page = fetch(base, "GET", path)
    if page.status != 200:
        raise RuntimeError(f"GET {path}: {page.status}")
    return answers_for(page.body)


@dataclass
class Load:
    """Respondents answering in a loop, in several languages, until stopped."""

    base: str
    slug: str
    concurrency: int
    languages: tuple[str, ...] = ("en", "fr", "ar")
    started: float = field(default_factory=time.monotonic)
    events: list[tuple[float, str, int, float]] = field(default_factory=list)  # (t, step, status, seconds)
    thanked: int = 0
    unsent: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)  # forms to send again
    not_in_language: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> Load:
        self.started = time.monotonic()
        for n in range(self.concurrency):
            thread = threading.Thread(target=self._respondent, args=(n,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _note(self, step: str, status: int, began: float) -> None:
        now = time.monotonic()
        with self.lock:
            self.events.append((began - self.started, step, status, now - began))

    def _respondent(self, n: int) -> None:
        chance = random.Random(n)
        while not self.stopping.is_set():
            language = chance.choice(self.languages)
            path = answer_path(self.slug, language)
            began = time.monotonic()
            try:
                page = fetch(self.base, "GET", path)
            except OSError:
                self._note("GET", 0, began)
                time.sleep(0.2)
                continue
            self._note("GET", page.status, began)
            if page.status != 200:
                time.sleep(0.2)  # as a person would, before trying again
                continue
            data = answers_for(page.body)
            began = time.monotonic()
            try:
                reply = fetch(self.base, "POST", path, data)
            except OSError:
                self._note("POST", 0, began)
                with self.lock:
                    self.unsent.append((path, data))
                continue
            self._note("POST", reply.status, began)
            if reply.thanked:
                with self.lock:
                    self.thanked += 1
            else:
                with self.lock:
                    self.unsent.append((path, data))
                    if f'lang="{language}"' not in reply.body:
                        self.not_in_language += 1
                time.sleep(0.2)

    def send_again(self) -> Counter[str]:
        """Each form that was not thanked, sent again as its respondent would; the outcomes."""
        outcomes: Counter[str] = Counter()
        for path, data in self.unsent:
            reply = fetch(self.base, "POST", path, data)
            outcomes[str(reply.status)] += 1
            if reply.thanked:
                self.thanked += 1
        self.unsent = []
        return outcomes

    def statuses(self, start: float = 0, end: float = float("inf")) -> dict[str, int]:
        counts = Counter(f"{step} {status}" for t, step, status, _s in self.events if start <= t < end)
        return dict(sorted(counts.items()))

    def post_latency_ms(self, start: float = 0, end: float = float("inf")) -> dict[str, float]:
        values = [s for t, step, status, s in self.events if step == "POST" and start <= t < end]
        return {f"p{p}": round(percentile(values, p) * 1000, 1) for p in (50, 95, 99)} if values else {}

    def server_errors(self) -> int:
        return sum(1 for _t, _step, status, _s in self.events if status >= 500 and status != 503)


# --- The database, seen from the drill ---------------------------------------------------


def responses_are_whole(consultation_id: int) -> bool:
    """Every stored response has as many answer rows as every other: none is half-stored."""
    from django.db.models import Count

    from consultations.models import Response

    shapes = (
        Response.objects.filter(consultation_id=consultation_id)
        .annotate(n=Count("answers"))
        .values_list("n", flat=True)
        .distinct()
    )
    return len(set(shapes)) <= 1


def database_url(settings_dict: dict[str, Any], *, port: int | None = None) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{port or settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


def waiting_on_a_lock() -> bool:
    """Some other session of this database is blocked on a lock (our drills hold them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "select count(*) from pg_stat_activity "
            "where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@contextlib.contextmanager
def table_locked(settings_dict: dict[str, Any], table: str) -> Iterator[None]:
    """Hold an exclusive lock on `table` from a connection of our own; a task that reaches it waits there."""
    import psycopg

    with psycopg.connect(database_url(settings_dict), autocommit=False) as conn:
        conn.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
        try:
            yield
        finally:
            conn.rollback()


def emails_to(directory: Path) -> Counter[str]:
    """Messages written by Django's file-based email backend, counted by recipient."""
    counts: Counter[str] = Counter()
    for path in directory.glob("*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                counts[line[4:].strip()] += 1
    return counts


# --- Drills (bench only; the tests run shorter ones) ---------------------------------------


def _stack_env(redis: RedisServer, **extra: str) -> dict[str, str]:
    from django.db import connection

    return app_environment(database_url=database_url(connection.settings_dict), redis_url=redis.url(), **extra)


def _fresh_consultation(slug: str) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Consultation

    # Open again, with no responses and no release: a drill may have closed it before.
    consultation = Consultation.objects.get(slug=slug)
    consultation.responses.all().delete()
    consultation.tally_runs.all().delete()
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() + timedelta(days=30))
    consultation.refresh_from_db()
    return consultation


def drill_redis(work: Path, *, slug: str, concurrency: int, before: float, outage: float, after: float) -> dict:
    from django.utils import timezone

    from reports.models import TallyRun

    consultation = _fresh_consultation(slug)
    redis = RedisServer(work).start()
    env = _stack_env(redis, REPORTS_FINAL_RELEASE_SECONDS="2")
    gunicorn, base = start_gunicorn(env, work, workers=2, threads=4)
    worker, beat = start_worker(env, work), start_beat(env, work)
    try:
        load = Load(base, slug, concurrency).start()
        time.sleep(before)
        redis.kill()
        killed = time.monotonic() - load.started
        time.sleep(outage)
        redis.start()
        back = time.monotonic() - load.started
        time.sleep(after)
        load.stop()
        # Figures are published only in releases: close it, and beat makes the final one.
        type(consultation).objects.filter(pk=consultation.pk).update(closes_at=timezone.now())
        stored = consultation.responses.count()

        def counted() -> bool:
            run = TallyRun.objects.latest_for(consultation)
            return run is not None and run.respondents == stored

        restarted = time.monotonic()
        wait_until(counted, timeout=120, what="the final release to count every stored response", interval=0.5)
        catch_up = time.monotonic() - restarted + after
        return {
            "concurrency": concurrency,
            "redis_killed_at_s": round(killed, 1),
            "redis_back_at_s": round(back, 1),
            "before": {"statuses": load.statuses(0, killed), "post_ms": load.post_latency_ms(0, killed)},
            "outage": {"statuses": load.statuses(killed, back), "post_ms": load.post_latency_ms(killed, back)},
            "after": {"statuses": load.statuses(back), "post_ms": load.post_latency_ms(back)},
            "server_errors": load.server_errors(),
            "thanked": load.thanked,
            "stored": stored,
            "whole": responses_are_whole(consultation.pk),
            "tallies_counted_everything_within_s_of_redis_return": round(catch_up, 1),
            "ok": load.server_errors() == 0 and load.thanked == stored and not load.unsent,
        }
    finally:
        for service in (beat, worker, gunicorn):
            service.stop()
        redis.stop()


def drill_worker(work: Path, *, slug: str) -> dict:
    """Kill the whole worker, then only its pool process, half-way through a notification;
    then the whole worker half-way through an export."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from consultations.models import Consultation
    from reports.models import RecordExport

    redis = RedisServer(work).start()
    mail = work / "mail"
    mail.mkdir()
    visibility = 5
    env = _stack_env(
        redis,
        CELERY_VISIBILITY_TIMEOUT=str(visibility),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
        MEDIA_ROOT=str(work / "media"),
    )
    from cop_site.celery import app

    results: dict[str, Any] = {"visibility_timeout_s": visibility}
    authors = [
        get_user_model().objects.get_or_create(username=f"author{n}@example.org", email=f"author{n}@example.org")[0]
        for n in range(3)
    ]
    expected = Counter({author.email: 1 for author in authors})
    with app.connection_for_write(redis.url()) as broker:
        for kill in ("whole worker", "pool process only"):
            # A consultation that has just opened: its authors are due one "opened" email each.
            # Every other consultation counts as announced, so that only this one is due.
            Consultation.objects.update(opening_notified_at=timezone.now(), closing_notified_at=timezone.now())
            consultation = Consultation.objects.get(slug=slug)
            Consultation.objects.filter(pk=consultation.pk).update(opening_notified_at=None)
            consultation.authors.set(authors)
            for path in mail.glob("*"):
                path.unlink()
            worker = start_worker(env, work)
            began = time.monotonic()
            try:
                with table_locked(connection.settings_dict, "accounts_invitation"):
                    app.send_task("consultations.tasks.notify_consultation_changes", connection=broker)
                    # Claimed in its transaction, and stopped at the lock: the middle of the task.
                    wait_until(waiting_on_a_lock, timeout=30, what="the task to be half-way")
                    if kill == "whole worker":
                        worker.kill(signal.SIGKILL)
                    else:
                        for child in worker.children():
                            os.kill(child, signal.SIGKILL)
                if kill == "whole worker":
                    time.sleep(visibility + 1)  # the message is handed out again after this long
                    worker = start_worker(env, work)
                wait_until(lambda: emails_to(mail) == expected, timeout=60, what="one email per author")
                done = time.monotonic() - began
                time.sleep(3)  # nothing more arrives
                consultation.refresh_from_db()
                results[f"notify, {kill} killed"] = {
                    "emails": dict(emails_to(mail)),
                    "exactly_once": emails_to(mail) == expected and consultation.opening_notified_at is not None,
                    "done_within_s": round(done, 1),
                }
            finally:
                worker.stop()

        # The export claims with a committed UPDATE before it starts writing.
        consultation = Consultation.objects.get(slug=slug)
        export = RecordExport.objects.create(consultation=consultation, format="csv")
        worker = start_worker(env, work)
        try:
            with table_locked(connection.settings_dict, "consultations_response"):
                app.send_task("reports.tasks.build_record_export", args=[export.pk], connection=broker)
                wait_until(waiting_on_a_lock, timeout=30, what="the export to be half-way")
                worker.kill(signal.SIGKILL)
            time.sleep(visibility + 1)
            worker = start_worker(env, work)
            time.sleep(10)
            export.refresh_from_db()
            results["export, whole worker killed"] = {
                "status_after_restart": export.status,
                "recovered": export.status == RecordExport.Status.READY,
            }
        finally:
            worker.stop()
    redis.stop()
    results["ok"] = all(v["exactly_once"] for k, v in results.items() if k.startswith("notify"))
    return results


def drill_postgres(work: Path, *, slug: str, concurrency: int, before: float, after: float) -> dict:
    from django.db import connection

    consultation = _fresh_consultation(slug)
    redis = RedisServer(work).start()
    env = _stack_env(redis)
    gunicorn, base = start_gunicorn(env, work, workers=2, threads=4)
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".") if p.isdigit()])
    restart = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]
    try:
        load = Load(base, slug, concurrency).start()
        time.sleep(before)
        began = time.monotonic() - load.started
        subprocess.run(restart, check=True, capture_output=True)
        ended = time.monotonic() - load.started
        time.sleep(after)
        load.stop()
        connection.close()  # ours died with the restart too
        unsent = len(load.unsent)
        not_in_language = load.not_in_language
        again = load.send_again()
        stored = consultation.responses.count()
        return {
            "concurrency": concurrency,
            "command": " ".join(restart),
            "restart_s": [round(began, 1), round(ended, 1)],
            "statuses": load.statuses(),
            "around_restart": load.statuses(began - 1, ended + 1),
            "server_errors": load.server_errors(),
            "try_again_pages_not_in_the_respondents_language": not_in_language,
            "forms_sent_again": unsent,
            "sent_again": dict(again),
            "thanked": load.thanked,
            "stored": stored,
            "whole": responses_are_whole(consultation.pk),
            "ok": load.server_errors() == 0 and load.thanked == stored and not not_in_language,
        }
    finally:
        gunicorn.stop()
        redis.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("drills", nargs="*", default=["redis", "worker", "postgres"])
    parser.add_argument("--slug", default="cyberbullying")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--json", help="write the findings to this file as JSON")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        parser.error("redis-server is needed (apt-get install redis-server)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_site.settings")
    import django

    django.setup()
    findings: dict[str, Any] = {}
    for drill in args.drills:
        with tempfile.TemporaryDirectory(prefix=f"cop-faults-{drill}-") as work:
            print(f"== {drill}", flush=True)
            if drill == "redis":
                found = drill_redis(
                    Path(work), slug=args.slug, concurrency=args.concurrency, before=5, outage=10, after=5
                )
            elif drill == "worker":
                found = drill_worker(Path(work), slug=args.slug)
            elif drill == "postgres":
                found = drill_postgres(Path(work), slug=args.slug, concurrency=args.concurrency, before=4, after=6)
            else:
                parser.error(f"unknown drill {drill!r}")
            found["at"] = time.strftime("%Y-%m-%d %H:%M:%S")
            findings[drill] = found
            print(json.dumps(found, indent=2), flush=True)
    if args.json:
        # Merged into what earlier runs found, so that one drill can be run again on its own.
        path = Path(args.json)
        earlier = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps({**earlier, **findings}, indent=2))
    failed = [name for name, found in findings.items() if not found["ok"]]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
