from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from publishing.webhooks.models import Endpoint
from publishing.webhooks.signing import generate_secret
from tests.publishing.webhooks.receiver import Receiver

ROOT = Path(__file__).resolve().parents[3]

# The worker's environment for the real-process tests: a 10-attempt schedule of
# 1-second steps (about 9 s from first to last), and a 2 s request timeout so that
# "timeout" and "slow receiver" cases are quick.
WORKER_ENV = {
    "WEBHOOK_RETRY_SCHEDULE": "0,1,1,1,1,1,1,1,1,1",
    "WEBHOOK_TIMEOUT": "2",
}


# Deliveries are I/O-bound: a thread pool avoids prefork's per-task IPC, which on a
# 2-core CI machine is most of the cost of the 3,000-delivery test.
WORKER_POOL = os.environ.get("WEBHOOKS_TEST_POOL", "threads")
WORKER_CONCURRENCY = os.environ.get("WEBHOOKS_TEST_CONCURRENCY", "8")


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def make_endpoint(db):
    def make(url: str, **kwargs) -> Endpoint:
        kwargs.setdefault("secret", generate_secret())
        return Endpoint.objects.create(url=url, **kwargs)

    return make


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def _purge_webhooks_queue() -> None:
    from cms.celery_app import app

    with app.connection_for_write() as conn:
        try:
            conn.default_channel.queue_purge("webhooks")
        except Exception:  # the queue may not exist yet
            pass


@pytest.fixture(scope="module")
def webhooks_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` on the webhooks queue, against the test database.

    Module-scoped: it stops when the module's tests end, so it never takes
    webhooks-queue messages meant for another suite's worker.
    """
    with django_db_blocker.unblock():
        database_url = _database_url()
    _purge_webhooks_queue()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "cms-test"),
        **WORKER_ENV,
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--queues",
                "webhooks",
                "--concurrency",
                WORKER_CONCURRENCY,
                "--pool",
                WORKER_POOL,
                "--loglevel",
                "INFO",
                "--hostname",
                f"webhooks-test-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "worker did not start:\n" + log.read_text(errors="replace")
                )
            time.sleep(0.1)
        yield process
    finally:
        # Our own worker only: its process group (started in a new session).
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
