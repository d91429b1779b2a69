from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings

from publishing.webhooks.models import Endpoint
from publishing.webhooks.signing import generate_secret
from tests.support import suite
from tests.support.processes import Pipeline
from tests.support.receiver import Receiver

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


def _purge_webhooks_queue() -> None:
    from cms.celery_app import app

    with app.connection_for_write() as conn:
        try:
            conn.default_channel.queue_purge("webhooks")
        except Exception:  # the queue may not exist yet
            pass


@pytest.fixture(scope="module")
def webhooks_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` on the webhooks queue, against the test database
    (tests/support/processes.py).

    Module-scoped: it stops when the module's tests end, so it never takes
    webhooks-queue messages meant for another suite's worker.
    """
    with django_db_blocker.unblock():
        database_url = suite.database_url()
    _purge_webhooks_queue()
    runner = Pipeline(
        database_url,
        settings.REDIS_URL,
        tmp_path_factory.mktemp("worker"),
        **suite.suite_env(**WORKER_ENV),
    )
    try:
        yield runner.webhook_worker(
            f"webhooks-test-{uuid.uuid4().hex[:8]}",
            pool=WORKER_POOL,
            concurrency=int(WORKER_CONCURRENCY),
        )
    finally:
        # Our own worker only: its process group (started in a new session).
        runner.stop_all()
