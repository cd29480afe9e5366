"""docker-compose.yml is valid and describes the full stack (no Docker engine runs here)."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings


def _empty_env_file() -> str:
    # An empty env file, so that a developer's own .env does not change the result.
    import tempfile

    handle = tempfile.NamedTemporaryFile("w", suffix=".env", delete=False)
    handle.close()
    return handle.name


def _compose_config() -> dict:
    env = {"SECRET_KEY": "x", "POSTGRES_PASSWORD": "y", "PATH": "/usr/bin:/bin:/usr/local/bin"}
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        command = ["docker", "compose", "config", "--format", "json"]
    elif shutil.which("docker-compose"):
        command = ["docker-compose", "--env-file", _empty_env_file(), "config"]
    else:
        pytest.fail("neither `docker compose` nor `docker-compose` is installed (.ci/run installs docker-compose)")
    result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if command[-1] == "json":
        return json.loads(result.stdout)
    # docker-compose v1 prints YAML; Debian's python3-yaml comes with it.
    as_json = subprocess.run(
        ["/usr/bin/python3", "-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"],
        input=result.stdout,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(as_json.stdout)


def test_the_compose_file_is_valid_and_runs_web_worker_beat_postgres_and_redis():
    config = _compose_config()
    services = config["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis", "cache"}
    # The cache (salted address hashes) keeps nothing on disk; the broker keeps its queue.
    assert "--appendonly no" in str(services["cache"]["command"]) and '--save ""' in str(services["cache"]["command"])
    assert "--appendonly yes" in str(services["redis"]["command"])
    assert services["web"]["environment"]["CACHE_REDIS_URL"].startswith("redis://cache:")
    assert {services[name]["image"] for name in ("web", "worker", "beat")} == {"cop-consult:latest"}
    assert "gunicorn" in str(services["web"]["command"])
    assert "worker" in str(services["worker"]["command"]) and "beat" in str(services["beat"]["command"])
    assert "pg_isready" in str(services["db"]["healthcheck"]["test"])
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_compose_file_refuses_to_start_without_secrets():
    if not shutil.which("docker-compose"):
        pytest.skip("checked with docker-compose v1 here")
    result = subprocess.run(
        ["docker-compose", "--env-file", _empty_env_file(), "config", "-q"],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
    )
    assert result.returncode != 0
