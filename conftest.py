from __future__ import annotations

import os

# The suite runs with DEBUG off, as production does; it needs a key of its own.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")
# Tests touch only their own cache keys, even on a Redis that something else also uses.
os.environ["CACHE_KEY_PREFIX"] = "cop-test"

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _static_manifest(django_db_blocker: object) -> None:
    # Pages are rendered with the same manifest storage as in production.
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.core.cache import cache

    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):
        cache.clear()  # local memory: this process's own
    else:
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter("cop-test:*"):
            client.delete(key)
