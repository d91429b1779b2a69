"""Fixtures of the pipeline's fault tests: real processes from tests/support.

Every process is started by the test as production starts it (tests/support/
processes.py), on the test database (committed data, so the tests use
``django_db(transaction=True)``), and killed by PID in teardown.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.processes import Pipeline, RedisServer
from tests.support.suite import database_url, purge_queues


@pytest.fixture
def redis_url() -> str:
    return settings.REDIS_URL


@contextmanager
def _pipeline(redis_url: str):
    tmp = Path(tempfile.mkdtemp(prefix="cms-faults-"))
    runner = Pipeline(database_url(), redis_url, tmp)
    try:
        yield runner
    finally:
        runner.stop_all()
        if not os.environ.get("CMS_FAULTS_KEEP_LOGS"):
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def pipeline(redis_url, settings):
    """The app's processes on the test database and the suite's Redis."""
    # Whatever earlier tests left in the broker is not ours to run.
    purge_queues()
    with _pipeline(redis_url) as runner:
        yield runner


@pytest.fixture
def own_redis():
    """A Redis server of the test's own, on a free port, with no persistence."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_pipeline(own_redis, settings):
    """The app's processes on the test database and a Redis the test may kill
    (stopped before that Redis is)."""
    with _pipeline(own_redis.url) as runner:
        yield runner
