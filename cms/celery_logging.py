"""Celery's routine chatter at DEBUG, so that an idle stack prints nothing.

Beat sends two sweeps every second, and Celery logs each send ("Scheduler: Sending
due task …"), each receipt ("Task … received") and each success ("Task …
succeeded in …") at INFO: about six lines a second from a stack doing nothing. The
same goes for Wagtail's background work (search and reference index updates, run
through ``cms.tasks_backend``): hundreds of lines after an import. Those records are
kept only when the log level is DEBUG (``LOG_LEVEL=DEBUG``); failures, retries and
everything else keep their level, and a routine task that does something worth
knowing logs it itself (``publishing.golive`` logs each publish).
"""

from __future__ import annotations

import logging

from celery.signals import after_setup_logger
from django.conf import settings

# Besides the beat schedule's tasks, the plumbing behind each change: Wagtail's
# background tasks (cms/tasks_backend.py) and the outbox's hand-over of each event to
# its subscribers (publishing/events.py), which keep their own records.
BACKGROUND_TASKS = frozenset(
    {
        "cms.tasks_backend.run_django_task",
        "cms.tasks_backend.run_django_tasks",
        "publishing.tasks.deliver_event_task",
        "publishing.tasks.deliver_events_task",
    }
)


def routine_tasks() -> frozenset[str]:
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    return frozenset(beat) | BACKGROUND_TASKS


class RoutineTaskFilter(logging.Filter):
    """Drops INFO records that only say a routine task was sent, received or
    succeeded, unless the root logger is at DEBUG. The beat's very first send
    still shows, once: a sign that the beat runs."""

    def __init__(self, tasks: frozenset[str] | None = None) -> None:
        super().__init__()
        self.tasks = routine_tasks() if tasks is None else tasks
        self.announced = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        args = record.args
        if isinstance(args, dict):
            names = [args.get("name")]
        elif isinstance(args, tuple):
            names = list(args)
        else:
            return True
        routine = [n for n in names if isinstance(n, str) and n in self.tasks]
        if not routine:
            return True
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            return True
        if str(record.msg).startswith("Scheduler: Sending due task"):
            first, self.announced = not self.announced, True
            return first
        return False


@after_setup_logger.connect
def quiet_routine_tasks(logger: logging.Logger, **kwargs) -> None:
    """Filter on each handler of the root logger (where Celery's records end)."""
    routine = RoutineTaskFilter()
    for handler in logger.handlers:
        if not any(isinstance(f, RoutineTaskFilter) for f in handler.filters):
            handler.addFilter(routine)
