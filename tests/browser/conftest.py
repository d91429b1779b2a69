"""A real Chromium (Debian's, never a download) driving the admin on a live server.

The server is pytest-django's ``live_server`` (a thread of this process, on the test
database); a real ``celery worker`` and ``celery beat`` run as subprocesses on the
same database and Redis (tests/support/processes.py), killed by PID in teardown.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.browser import chromium, new_page
from tests.support.processes import Pipeline
from tests.support.suite import database_url, suite_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    with new_page(browser, timeout_ms=15_000) as page:
        yield page


@pytest.fixture
def pipeline():
    """A celery worker and beat on the test database (tests/support), killed by PID
    afterwards; Wagtail's own background work goes through Celery, as in production."""
    tmp = Path(tempfile.mkdtemp(prefix="cms-browser-"))
    runner = Pipeline(
        database_url(),
        settings.REDIS_URL,
        tmp,
        **suite_env(
            TASKS_BACKEND="cms.tasks_backend.CeleryBackend", DB_CONN_MAX_AGE="0"
        ),
    )
    try:
        runner.worker("browser", concurrency=2, queues="publishing,indexing,webhooks")
        runner.beat()
        yield tmp
    finally:
        runner.stop_all()
        if not os.environ.get("CMS_BROWSER_KEEP_LOGS"):
            shutil.rmtree(tmp, ignore_errors=True)
