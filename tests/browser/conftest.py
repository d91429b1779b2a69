"""A real Chromium (Debian's, never a download) driving the admin on a live server.

The server is pytest-django's ``live_server`` (a thread of this process, on the test
database); a real ``celery worker`` and ``celery beat`` run as subprocesses on the
same database and Redis, and are killed by PID in teardown.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CELERY = str(Path(sys.executable).with_name("celery"))


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # `make test` installs both; a missing browser is a failure, never a silent skip.
    from playwright import sync_api as playwright_api

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed (make tools installs it)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def pipeline(settings):
    """A celery worker and beat on the test database; killed by PID afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="cms-browser-"))
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL,
        DB_CONN_MAX_AGE="0",
        PYTHONUNBUFFERED="1",
        # Wagtail's own background work goes through Celery, as in production.
        TASKS_BACKEND="cms.tasks_backend.CeleryBackend",
    )
    procs = []
    commands = {
        "worker": [
            CELERY, "-A", "cms", "worker", "-n", "browser@%h", "--concurrency", "2",
            "-Q", "publishing,indexing,webhooks", "--without-mingle",
            "--without-gossip", "-l", "info",
        ],
        "beat": [
            CELERY, "-A", "cms", "beat", "-l", "info",
            "-s", str(tmp / "beat-schedule"), "--pidfile", "",
        ],
    }  # fmt: skip
    for name, command in commands.items():
        log = open(tmp / f"{name}.log", "ab")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 60
    while b"ready." not in (tmp / "worker.log").read_bytes():
        assert time.monotonic() < deadline, (tmp / "worker.log").read_text()[-3000:]
        time.sleep(0.2)
    try:
        yield tmp
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        if not os.environ.get("CMS_BROWSER_KEEP_LOGS"):
            shutil.rmtree(tmp, ignore_errors=True)
