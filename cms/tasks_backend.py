"""A django-tasks backend that hands Wagtail's background work to Celery.

Wagtail 8 enqueues its background work (modelsearch index updates, reference-index
updates, file deletions, front-end cache purges) through django-tasks. The stock
backend runs it immediately, inside the editor's request. This backend sends each
django-tasks ``Task`` to the Celery workers' ``indexing`` queue instead, by module
path and JSON arguments, once the surrounding transaction commits (a rolled-back
save enqueues nothing, and the worker never reads rows that are not committed yet).

(The PyPI package ``django-tasks-celery`` needs Python ≥ 3.12, so it is not used.)
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json

from cms.celery_app import MAX_COUNTDOWN, app

logger = logging.getLogger(__name__)

INDEXING_QUEUE = "indexing"


class CeleryBackend(BaseTaskBackend):
    """Enqueue django-tasks on Celery, after commit; results are not tracked."""

    supports_defer = True
    supports_async_task = False
    supports_get_result = False
    supports_priority = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result_id = get_random_id()
        args = normalize_json(list(args))
        kwargs = normalize_json(dict(kwargs))
        options: dict[str, Any] = {"queue": INDEXING_QUEUE, "task_id": result_id}
        if task.run_after is not None:
            delay = (task.run_after - timezone.now()).total_seconds()
            # Long waits belong in the database, never in the broker (R1).
            options["countdown"] = max(0.0, min(delay, MAX_COUNTDOWN))
        if task.priority:
            # django-tasks: -100..100; Redis via kombu: 0 (highest) .. 9.
            options["priority"] = max(0, min(9, round(4.5 - task.priority / 22.3)))

        def send() -> None:
            run_django_task.apply_async(
                args=(task.module_path, args, kwargs), **options
            )

        transaction.on_commit(send, using=None, robust=True)
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


@app.task(name="cms.tasks_backend.run_django_task", ignore_result=True)
def run_django_task(module_path: str, args: list, kwargs: dict) -> None:
    """Run a django-tasks Task by its module path (the worker side of the backend).

    Wagtail's tasks are idempotent (reindex an object, delete a file, purge a URL),
    so the global acks_late applies: a worker lost mid-task means a rerun, not a loss.
    """
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise TypeError(f"{module_path} is not a django-tasks Task")
    task.call(*args, **kwargs)
