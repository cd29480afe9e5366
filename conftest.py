# pytest-django reads the settings before this file is imported, so `make test` sets
# SECRET_KEY (the suite runs with DEBUG off, as production does) and CACHE_KEY_PREFIX
# (the suite touches only its own keys, even on a Redis something else also uses).

#
# Under pytest-xdist (`make test` runs two workers) each worker has its own test database
# (pytest-django suffixes its name with the worker id), its own tmp_path and live-server
# port, and, set up below, its own cache key prefix and Celery queue; static files are
# collected once, by the controlling process, before the workers start.

from __future__ import annotations

import os

import pytest

# "gw0", "gw1"... in a pytest-xdist worker (set before pytest loads anything), else "".
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _per_worker_cache_and_queue() -> None:
    """Keep two workers on one Redis out of each other's way.

    `_fresh_cache` deletes every key under the prefix before each test, and a test's worker
    thread takes whatever task is on its queue: with one prefix and one queue, each xdist
    worker would wipe the other's cache and run the other's tasks against the wrong database.
    """
    from django.conf import settings
    from django.core.cache import caches

    from cop_site.celery import app

    cache = settings.CACHES["default"]
    if "KEY_PREFIX" in cache:
        cache["KEY_PREFIX"] = f"{cache['KEY_PREFIX']}-{XDIST_WORKER}"
        assert not hasattr(caches._connections, "default"), "the cache was opened before this could run"
    app.conf.task_default_queue = f"celery-{XDIST_WORKER}"


if XDIST_WORKER:
    _per_worker_cache_and_queue()


def _collect_static() -> None:
    # Pages are rendered with the same manifest storage as in production.
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    # The xdist controller runs no test: it collects the static files once, before it starts
    # the workers, so that no two processes ever write STATIC_ROOT at the same time.
    config = session.config
    if getattr(config.option, "dist", "no") != "no" and not hasattr(config, "workerinput"):
        _collect_static()


@pytest.fixture(scope="session", autouse=True)
def _static_manifest(django_db_blocker: object) -> None:
    if not XDIST_WORKER:  # a worker's controller has already collected them
        _collect_static()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.conf import settings
    from django.core.cache import cache

    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):
        cache.clear()  # local memory: this process's own
        return
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix.startswith("cop-test"), "run the suite with CACHE_KEY_PREFIX=cop-test (make test does)"
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def _celery_in_process_unless_fullstack(request: pytest.FixtureRequest):
    """Tasks run in-process, as on the embedded defaults, except in tests of the real worker.

    With REDIS_URL set the app would queue them on Redis, where no worker listens during
    ordinary tests; tests marked `fullstack` start a real worker and keep the real setting.
    """
    from cop_site.celery import app

    if request.node.get_closest_marker("fullstack"):
        yield
        return
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _default_language():
    # Each test starts in the default language, whatever the previous one activated
    # (a test client request leaves its language active in the thread).
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_prerendering(settings):
    # Rendering 192 results pages after every recount is the worker's job in production;
    # reports/tests/test_prerender.py turns it on where it is the subject.
    settings.REPORTS_PRERENDER = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # .ci/run runs the suite twice, to catch what differs between SQLite and PostgreSQL.
    # Tests of pure computation (the disclosure attackers) find nothing new the second time.
    import os

    if not os.environ.get("DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="backend-independent: runs in the embedded pass")
    for item in items:
        if item.get_closest_marker("backend_independent"):
            item.add_marker(skip)
