"""SITE_URL, the base of every link in an email or printed by a command, has no default
outside development; in development it is where `make run` serves."""

import os
import subprocess
import sys

from django.conf import settings

UNSET = {"SECRET_KEY", "DEBUG", "SITE_URL", "HOST", "PORT", "DATABASE_URL", "REDIS_URL", "CACHE_REDIS_URL"}


def _site_url_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, "-c", "import cop_site.settings as s; print(s.SITE_URL)"],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_there_is_no_site_url_default_when_debug_is_off():
    result = _site_url_with({"SECRET_KEY": "x"})
    assert result.returncode != 0 and "SITE_URL must be set when DEBUG is off" in result.stderr
    assert _site_url_with({"SECRET_KEY": "x", "SITE_URL": "https://consult.example.org"}).stdout.strip() == (
        "https://consult.example.org"
    )


def test_in_development_it_is_the_address_make_run_serves():
    assert _site_url_with({"DEBUG": "true"}).stdout.strip() == "http://127.0.0.1:8000"
    assert _site_url_with({"DEBUG": "true", "HOST": "0.0.0.0", "PORT": "8080"}).stdout.strip() == (
        "http://127.0.0.1:8080"
    )
    assert _site_url_with({"DEBUG": "true", "HOST": "::1"}).stdout.strip() == "http://[::1]:8000"
