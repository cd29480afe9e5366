"""The health endpoint, the Content-Security-Policy, and Django's deployment checks."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_health_reports_database_cache_and_broker(client):
    page = client.get("/health")
    assert page.status_code == 200
    assert page.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_health_says_503_and_which_part_is_down(client):
    with mock.patch("cop_site.health.cache.get", side_effect=ConnectionError("down")):
        page = client.get("/health")
    assert page.status_code == 503
    assert page.json()["cache"] == "unavailable" and page.json()["database"] == "ok"


@pytest.mark.parametrize("path", ["/en/", "/ar/accounts/login/", "/ping"])
def test_every_page_forbids_inline_code_and_other_sites(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_the_production_settings_pass_check_deploy_without_a_warning():
    # Only the production variables: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak in.
    unset = {"DEBUG", "DATABASE_URL", "REDIS_URL", "CACHE_REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        {
            "SECRET_KEY": "x7!Lq9#vT2@pR8$wZ4^mN6&bY1*cK3(hJ5)gF0-dS+aQ=eW_uI~oP`lXrVtBn",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "consult.example.org",
            "SECURE_COOKIES": "true",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_HSTS_PRELOAD": "true",
            "BEHIND_TLS_PROXY": "true",
            "TRUSTED_PROXY_COUNT": "1",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
