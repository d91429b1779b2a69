"""A django-tasks backend that hands Wagtail's background work to Celery.

Wagtail 8 enqueues its background work (modelsearch index updates, reference-index
updates, file deletions, front-end cache purges) through django-tasks. The stock
backend runs it immediately, inside the editor's request. This backend sends each
django-tasks ``Task`` to the Celery workers' ``indexing`` queue instead, by module
path and JSON arguments, once the surrounding transaction commits (a rolled-back
save enqueues nothing, and the worker never reads rows that are not committed yet).

The tasks one transaction enqueues (at one savepoint level) go in one Celery
message, once each: a publish from the admin enqueues several (search index,
reference index of the page and of each related link, stored documents, a
front-end cache purge), some of them twice, and each message is a Redis round trip
in the editor's request. Tasks with a delay or a priority are sent on their own. Inside
``one_message()`` (the admin's publish), the batches of every transaction that
commits, and what their after-commit callbacks enqueue, leave together at its end.

(The PyPI package ``django-tasks-celery`` needs Python ≥ 3.12, so it is not used.)
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json

from cms.celery_app import MAX_COUNTDOWN, app

logger = logging.getLogger(__name__)

INDEXING_QUEUE = "indexing"
# The modules whose django-tasks the workers run. A message names its task by
# module path; the worker imports none of what it names and runs only a Task found
# in these modules, so that write access to the broker is not "import and call
# anything" (Wagtail's own, modelsearch's and ours; a new task module goes here).
TASK_MODULES = (
    "wagtail.tasks",
    "wagtail.images.tasks",
    "wagtail.contrib.frontend_cache.tasks",
    "modelsearch.tasks",
    "delivery.tasks",
    "search.tasks",
)


@functools.cache
def registered_tasks() -> dict[str, Task]:
    """Every django-task of :data:`TASK_MODULES`, by its module path."""
    found: dict[str, Task] = {}
    for module_name in TASK_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, Task):
                found[value.module_path] = value
    return found


class CeleryBackend(BaseTaskBackend):
    """Enqueue django-tasks on Celery, after commit; results are not tracked."""

    supports_defer = True
    supports_async_task = False
    supports_get_result = False
    supports_priority = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        if task.module_path not in registered_tasks():
            # Loud at the sender: the worker would refuse it (TASK_MODULES).
            raise TypeError(f"{task.module_path} is not a registered django-task")
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

        if "countdown" in options or "priority" in options:

            def send() -> None:
                run_django_task.apply_async(
                    args=(task.module_path, args, kwargs), **options
                )

            transaction.on_commit(send, using=None, robust=True)
        else:
            _batch_for_this_transaction().add(task.module_path, args, kwargs)
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


class _Batch:
    """The undelayed tasks of one transaction (one savepoint level), sent as one
    message after it commits; a task enqueued twice is sent once."""

    def __init__(self) -> None:
        self.calls: dict[str, tuple[str, list, dict]] = {}

    def add(self, module_path: str, args: list, kwargs: dict) -> None:
        key = json.dumps([module_path, args, kwargs], sort_keys=True)
        self.calls.setdefault(key, (module_path, args, kwargs))

    def __call__(self) -> None:
        gathering = getattr(_gathering, "batch", None)
        if gathering is not None and gathering is not self:
            for key, call in self.calls.items():  # committed: wait for one_message()
                gathering.calls.setdefault(key, call)
            return
        calls = list(self.calls.values())
        if len(calls) == 1:
            run_django_task.apply_async(args=calls[0], queue=INDEXING_QUEUE)
        else:
            run_django_tasks.apply_async(args=(calls,), queue=INDEXING_QUEUE)


_gathering = threading.local()


@contextmanager
def one_message() -> Iterator[None]:
    """Send the undelayed tasks this block enqueues as one message, when it ends.

    Each transaction (each savepoint level) still hands its tasks over only once it
    commits, and a rollback still drops its own; here they wait, with those that
    after-commit callbacks enqueue outside any transaction, until the block exits.
    The admin's publish commits a savepoint per save, then its callbacks (search,
    cache purge, documents) enqueue more: one Redis round trip instead of six.
    Nested blocks join the outermost.
    """
    if getattr(_gathering, "batch", None) is not None:
        yield
        return
    batch = _Batch()
    _gathering.batch = batch
    try:
        yield
    finally:
        _gathering.batch = None
        if batch.calls:
            try:
                batch()
            except Exception:  # as on_commit(robust=True): what committed stands
                logger.exception("could not send %d tasks to Celery", len(batch.calls))


def _batch_for_this_transaction() -> _Batch:
    """This transaction's batch, registered with ``on_commit`` when first needed.

    A batch is joined only at the savepoint level it was registered at, so that a
    rollback to a savepoint drops exactly the tasks enqueued after it (Django drops
    the callbacks registered under that savepoint). Outside a transaction each task
    is sent at once, as ``on_commit`` would.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _SentAtOnce()
    level = set(connection.savepoint_ids)
    for savepoints, callback, _robust in reversed(connection.run_on_commit):
        if isinstance(callback, _Batch) and savepoints == level:
            return callback
    batch = _Batch()
    transaction.on_commit(batch, robust=True)
    return batch


class _SentAtOnce(_Batch):
    def add(self, module_path: str, args: list, kwargs: dict) -> None:
        gathering = getattr(_gathering, "batch", None)
        if gathering is not None:
            gathering.add(module_path, args, kwargs)
            return
        super().add(module_path, args, kwargs)
        try:
            self()
        except Exception:  # as on_commit(robust=True): the save stands
            logger.exception("could not send %s to Celery", module_path)


@app.task(name="cms.tasks_backend.run_django_tasks", ignore_result=True)
def run_django_tasks(calls: list) -> None:
    """Run a transaction's batch of django-tasks in order; each one's failure is
    logged and the others still run (they are independent), then the first is
    raised so that the message counts as failed."""
    failures = []
    for module_path, args, kwargs in calls:
        try:
            run_django_task.run(module_path, args, kwargs)
        except Exception as exc:
            logger.exception("django-task %s failed", module_path)
            failures.append(exc)
    if failures:
        raise failures[0]


@app.task(name="cms.tasks_backend.run_django_task", ignore_result=True)
def run_django_task(module_path: str, args: list, kwargs: dict) -> None:
    """Run a django-tasks Task by its module path (the worker side of the backend).

    Wagtail's tasks are idempotent (reindex an object, delete a file, purge a URL),
    so the global acks_late applies: a worker lost mid-task means a rerun, not a loss.
    """
    task = registered_tasks().get(module_path)
    if task is None:
        raise TypeError(f"{module_path!r} is not a registered django-task")
    try:
        task.call(*args, **kwargs)
    except ObjectDoesNotExist:
        # Deleted after the task was queued (a related post replaced while the demo
        # loads, a page deleted just after its save): whatever the task would have
        # updated went with it, and the deletion queued its own clean-up.
        logger.debug("%s: its object no longer exists; nothing to do", module_path)
