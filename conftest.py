# pytest-django reads the settings before this file is imported, so `make test` sets
# SECRET_KEY (the suite runs with DEBUG off, as production does) and CACHE_KEY_PREFIX
# (the suite touches only its own keys, even on a Redis something else also uses).

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _static_manifest(django_db_blocker: object) -> None:
    # Pages are rendered with the same manifest storage as in production.
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


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
