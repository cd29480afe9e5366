"""Settings come from the environment and fail loudly on a bad or missing value."""

import os
import subprocess
import sys

from django.conf import settings

PROJECT = settings.BASE_DIR
PRINT_CHOICES = (
    "import cop_site.settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER)"
)


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "CACHE_REDIS_URL", "BEHIND_TLS_PROXY"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "-c", PRINT_CHOICES],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_there_is_no_secret_key_default_when_debug_is_off():
    result = _settings_with({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_nothing_set_means_embedded_sqlite_local_memory_and_eager_celery():
    result = _settings_with({"DEBUG": "true"})
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
    ]


def test_database_and_redis_urls_switch_on_the_full_stack():
    result = _settings_with(
        {"SECRET_KEY": "x", "DATABASE_URL": "postgres://u@db:5432/cop", "REDIS_URL": "redis://cache:6379/0"}
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "False",
    ]


def test_a_malformed_boolean_is_an_error_not_a_silent_default():
    result = _settings_with({"SECRET_KEY": "x", "DEBUG": "maybe"})
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_behind_a_tls_proxy_the_number_of_trusted_proxies_must_be_set():
    result = _settings_with({"SECRET_KEY": "x", "BEHIND_TLS_PROXY": "true"})
    assert result.returncode != 0 and "TRUSTED_PROXY_COUNT" in result.stderr
    assert _settings_with({"SECRET_KEY": "x", "BEHIND_TLS_PROXY": "true", "TRUSTED_PROXY_COUNT": "1"}).returncode == 0
