"""docker-compose.yml describes the production-shaped stack."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_file_has_the_production_services_with_health_checks():
    spec = yaml.safe_load(COMPOSE.read_text())
    services = spec["services"]
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert name in services, name
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A cms worker" in services["worker"]["command"]
    assert "celery -A cms beat" in services["beat"]["command"]
    assert {"pgdata", "redisdata"} <= set(spec["volumes"])
    assert "noeviction" in services["redis"]["command"]


def test_every_long_running_service_is_restarted_when_it_ends():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    for name in ("web", "worker", "webhook-worker", "beat", "redis", "postgres"):
        assert services[name].get("restart") == "unless-stopped", name
    assert services["migrate"]["restart"] == "no"


def test_redis_requires_a_password_and_every_process_sends_it():
    spec = yaml.safe_load(COMPOSE.read_text())
    assert "--requirepass ${REDIS_PASSWORD}" in spec["services"]["redis"]["command"]
    redis_url = spec["x-app"]["environment"]["REDIS_URL"]
    assert redis_url.startswith("redis://:${REDIS_PASSWORD")
    assert "REDISCLI_AUTH" in spec["services"]["redis"]["environment"]


def test_docker_compose_accepts_the_file():
    command = compose_command()
    if command is None:
        pytest.skip("no docker compose client on this machine")
    result = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={
            "SECRET_KEY": "x" * 40,
            "REDIS_PASSWORD": "pw",
            "PATH": "/usr/bin:/bin:/usr/local/bin",
        },
    )
    assert result.returncode == 0, result.stderr
