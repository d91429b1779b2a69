"""The project's only Celery app.

Connection settings (broker URL, result backend, beat schedule) come from Django
settings (``CELERY_*``, read from the environment in ``cms/settings/base.py``). The
reliability settings below are code, not configuration: each is chosen for "content
goes live at T, exactly once, whatever fails" (see ``docs/operations.md`` and
``docs/requirements.md``) and pinned by ``tests/publishing/test_celery_config.py``.
"""

from __future__ import annotations

import logging
import os

from celery import Celery, Task
from kombu import Exchange, Queue

from cms.broker import patch_kombu_redis_transport

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

logger = logging.getLogger(__name__)

# The longest any task may run before its worker child is killed. A publish takes
# well under a second; a reindex batch a few seconds. Kept ≤ 300 s so that the
# broker's visibility timeout below is always at least twice as long.
TASK_TIME_LIMIT = 120
# Redis redelivers a message not acknowledged within this many seconds. Celery's
# default (1 h) is kept: it only matters for messages lost with a worker, and our
# countdowns never exceed MAX_COUNTDOWN, far below it (Redis "Caveats" in the docs).
VISIBILITY_TIMEOUT = 3600
# No countdown, ETA or retry delay anywhere may exceed this (R1): long waits live in
# the database, and the beat sweep hands out only what is due within a minute.
MAX_COUNTDOWN = 300
# A message redelivered after a worker was lost more often than this is dead-lettered
# (logged at CRITICAL and listed by the status endpoint) instead of looping forever.
MAX_REDELIVERIES = 5

QUEUES = ("publishing", "indexing", "webhooks")
DEAD_LETTER_KEY = "celery:dead-letter"


class CmsTask(Task):
    """Every task's base: counts deliveries of a message and dead-letters a loop.

    ``task_reject_on_worker_lost`` requeues the message of a worker killed mid-task;
    a task that kills its worker every time would loop forever. The count lives in
    the cache (Redis): if Redis loses it the worst case is a few more attempts, and a
    dead-lettered publish is still picked up again by the database sweep.
    """

    def __call__(self, *args, **kwargs):
        task_id = self.request.id
        if task_id and not self.request.is_eager:
            deliveries = _count_delivery(task_id)
            if deliveries > MAX_REDELIVERIES + 1:
                logger.critical(
                    "dead-lettered %s[%s] after %d deliveries",
                    self.name,
                    task_id,
                    deliveries,
                )
                _dead_letter(self.name, task_id, args, kwargs)
                return None
        return super().__call__(*args, **kwargs)


def _count_delivery(task_id: str) -> int:
    from django.core.cache import cache

    key = f"celery:deliveries:{task_id}"
    try:
        cache.add(key, 0, timeout=2 * VISIBILITY_TIMEOUT)
        return cache.incr(key)
    except Exception:  # the cache being down must not stop work
        return 1


def _dead_letter(name: str, task_id: str, args, kwargs) -> None:
    import json

    from django.core.cache import cache

    try:
        client = cache._cache.get_client(write=True)
        entry = json.dumps({"task": name, "id": task_id, "args": args}, default=str)
        client.lpush(cache.make_key(DEAD_LETTER_KEY), entry)
        client.ltrim(cache.make_key(DEAD_LETTER_KEY), 0, 999)
    except Exception:
        logger.exception("could not record dead letter %s", task_id)


# A lost broker connection must never end a worker (RELIABILITY R25): see cms/broker.py.
patch_kombu_redis_transport()

app = Celery("cms", task_cls=CmsTask)
app.config_from_object("django.conf:settings", namespace="CELERY")

app.conf.update(
    # One queue per kind of work, so that a reindex storm never delays a publish and a
    # slow webhook receiver never delays either. Workers may serve all three
    # (`--queues publishing,indexing,webhooks`) or be split by machine.
    # Each queue has its own direct exchange and routing key: a bare Queue(name)
    # would bind all three to the default exchange/key and copy every message to
    # every queue.
    task_queues=[Queue(name, Exchange(name), routing_key=name) for name in QUEUES],
    task_default_exchange="publishing",
    task_default_routing_key="publishing",
    task_default_queue="publishing",
    # The worker side of the django-tasks backend lives outside any app's tasks.py.
    imports=("cms.tasks_backend",),
    task_routes={
        "publishing.tasks.deliver_event_task": {"queue": "webhooks"},
        "publishing.tasks.deliver_events_task": {"queue": "webhooks"},
        "publishing.tasks.dispatch_events_task": {"queue": "webhooks"},
        "publishing.webhooks.tasks.*": {"queue": "webhooks"},
        "cms.tasks_backend.run_django_task": {"queue": "indexing"},
        "delivery.tasks.sweep_documents_task": {"queue": "indexing"},
        "cms.tasks_backend.run_django_tasks": {"queue": "indexing"},
    },
    # JSON only: a pickled message from a compromised broker would be code execution,
    # and JSON forces tasks to take ids rather than model instances.
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    event_serializer="json",
    # Acknowledge after the task returns, not before: a worker that dies mid-task
    # leaves the message to be redelivered instead of losing it. Safe only because
    # every task here is idempotent (they take ids and re-check state under a row
    # lock); a task that is not must set acks_late=False on itself.
    task_acks_late=True,
    # With acks_late a child killed by SIGKILL/OOM is still acked on purpose; this
    # requeues its message instead. It "can cause message loops", so CmsTask caps
    # redeliveries at MAX_REDELIVERIES and dead-letters beyond that.
    task_reject_on_worker_lost=True,
    # Each worker process reserves one message at a time: publishes are short and
    # uneven, and a reserved message is stuck behind its process if that process
    # hangs. (ETA messages from the sweep are held in memory regardless of prefetch.)
    worker_prefetch_multiplier=1,
    # A hung task is killed (hard) at TASK_TIME_LIMIT, warned (soft) 10 s before.
    task_time_limit=TASK_TIME_LIMIT,
    task_soft_time_limit=TASK_TIME_LIMIT - 10,
    # Must be set on both the broker and the result backend, ≥ 2× the time limit.
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    result_backend_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    visibility_timeout=VISIBILITY_TIMEOUT,
    # On SIGTERM, keep running for this long before a cold shutdown so unacked and
    # ETA messages are requeued rather than waiting out the visibility timeout.
    worker_soft_shutdown_timeout=15.0,
    worker_enable_soft_shutdown_on_idle=True,
    # Keep retrying the broker at start-up and after a Redis restart, forever:
    # the database holds the truth, so the worker just needs to come back.
    broker_connection_retry_on_startup=True,
    broker_connection_max_retries=None,
    # Our consumer (cms/broker.py) retries every second rather than backing off to
    # 30 s, and never lets the clean-up of a lost connection end the worker.
    worker_consumer="cms.broker:Consumer",
    # Results are only for tests and debugging: don't keep them long.
    result_expires=3600,
    task_track_started=False,
    # Times in UTC everywhere; schedules keep their own IANA zone for display.
    enable_utc=True,
    timezone="UTC",
    # Workers send events so that `celery events`/Flower can show them.
    worker_send_task_events=True,
    task_send_sent_event=False,
)

# Each consumer of the publishing queue holds a lease while it is connected, so that
# the sweep sends its reminders again when it dies or reconnects
# (publishing/reminders.py).
app.steps["consumer"].add("publishing.reminders:ReminderLease")

app.autodiscover_tasks()

# Routine sends, receipts and successes at DEBUG: an idle stack prints nothing.
import cms.celery_logging  # noqa: E402, F401
