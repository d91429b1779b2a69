"""A calm console: Celery's routine chatter at DEBUG, and no traceback for a task
whose object went away; the development settings' front-end allowances."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_tasks import task

from cms.celery_logging import RoutineTaskFilter, routine_tasks
from cms.content.models.pages import RelatedArticle
from cms.tasks_backend import run_django_task

ROOT = Path(__file__).resolve().parents[2]


def record(message: str, args) -> logging.LogRecord:
    """A record as Celery logs it: a dict of values, or positional ones."""
    packed = (args,) if isinstance(args, dict) else args
    return logging.LogRecord(
        "celery.app.trace", logging.INFO, "", 0, message, packed, None
    )


@pytest.fixture
def root_at(request):
    root = logging.getLogger()
    level = root.level
    root.setLevel(request.param)
    yield
    root.setLevel(level)


@pytest.mark.parametrize("root_at", [logging.INFO], indirect=True)
def test_routine_sends_receipts_and_successes_are_dropped(root_at):
    quiet = RoutineTaskFilter()
    sweep = "publishing.tasks.sweep_schedules_task"
    assert sweep in routine_tasks()
    sent = record("Scheduler: Sending due task %s (%s)", ("sweep-schedules", sweep))
    received = record("Task %(name)s[%(id)s] received", {"name": sweep, "id": "1"})
    done = record(
        "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
        {"name": sweep, "id": "1", "runtime": 0.01, "return_value": 0},
    )
    assert quiet.filter(sent)  # the beat's first send, once: it runs
    again = record(
        "Scheduler: Sending due task %s (%s)",
        ("webhooks-sweep", "publishing.webhooks.tasks.sweep_due_deliveries_task"),
    )
    assert not any(quiet.filter(r) for r in (again, received, done))


@pytest.mark.parametrize("root_at", [logging.INFO], indirect=True)
def test_other_tasks_and_failures_keep_their_lines(root_at):
    quiet = RoutineTaskFilter()
    publish = record(
        "Task %(name)s[%(id)s] received",
        {"name": "publishing.tasks.publish_revisions_task", "id": "1"},
    )
    failed = record(
        "Task %(name)s[%(id)s] raised",
        {"name": "publishing.tasks.sweep_schedules_task", "id": "1"},
    )
    failed.levelno = logging.ERROR
    assert quiet.filter(publish) and quiet.filter(failed)


@pytest.mark.parametrize("root_at", [logging.DEBUG], indirect=True)
def test_at_debug_everything_shows(root_at):
    sweep = "publishing.tasks.sweep_schedules_task"
    assert RoutineTaskFilter().filter(
        record("Task %(name)s[%(id)s] received", {"name": sweep, "id": "1"})
    )


@task()
def update_a_related_post(pk):
    RelatedArticle.objects.get(pk=pk)


def test_a_task_for_an_object_that_is_gone_is_a_quiet_no_op(db, caplog, monkeypatch):
    # This module's task is registered, as a real task module would be (the
    # bridge runs only the tasks of TASK_MODULES).
    from cms import tasks_backend

    monkeypatch.setattr(
        tasks_backend, "TASK_MODULES", (*tasks_backend.TASK_MODULES, __name__)
    )
    tasks_backend.registered_tasks.cache_clear()
    caplog.set_level(logging.DEBUG, logger="cms.tasks_backend")
    try:
        run_django_task.run(f"{__name__}.update_a_related_post", [987654], {})
    finally:
        tasks_backend.registered_tasks.cache_clear()
    (line,) = [r for r in caplog.records if r.name == "cms.tasks_backend"]
    assert line.levelno == logging.DEBUG
    assert "no longer exists" in line.getMessage()


def dev_settings(**environ) -> dict:
    """Some development settings, as `make run` would see them."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        **environ,
    }
    code = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "[s.CORS_ALLOWED_ORIGINS, s.WEBHOOK_ALLOW_PRIVATE_TARGETS]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    origins, private = json.loads(out.stdout.strip().splitlines()[-1])
    return {"origins": origins, "private": private}


def test_development_allows_the_local_front_end(tmp_path):
    found = dev_settings(
        VAR_DIR=str(tmp_path), FRONTEND_BASE_URL="http://localhost:3000/"
    )
    assert found["origins"] == ["http://localhost:3000"]
    assert found["private"] is True
