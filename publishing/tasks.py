"""Thin Celery tasks: ids in, the plain functions of the publishing modules called.

Each task is named after the function it runs. Every task is idempotent (it
re-checks state under a row lock), which is what makes the global ``acks_late`` +
``task_reject_on_worker_lost`` safe. The modules send these tasks by name
(``sweep.REMINDER_TASKS``, ``events.DELIVER_EVENT_TASK``): they are imported here,
never the reverse.
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown

from publishing import changes, events, golive, monitoring, releases, sweep


@shared_task(name="publishing.tasks.sweep_schedules_task", ignore_result=True)
def sweep_schedules_task() -> int:
    result = sweep.sweep_unless_just_swept()
    return len(result.sent) if result else 0


@shared_task(name="publishing.tasks.publish_revision_task", ignore_result=True)
def publish_revision_task(revision_id: int) -> bool:
    return golive.publish_revision_if_due(revision_id)


@shared_task(name="publishing.tasks.publish_revisions_task", ignore_result=True)
def publish_revisions_task(revision_ids: list[int]) -> int:
    """A batch due at the same time (the sweep's chunks): see publishing/bulk.py."""
    return len(golive.publish_revisions_if_due(revision_ids))


@shared_task(name="publishing.tasks.unpublish_page_task", ignore_result=True)
def unpublish_page_task(page_id: int) -> bool:
    return golive.unpublish_page_if_expired(page_id)


@shared_task(name="publishing.tasks.publish_release_task", ignore_result=True)
def publish_release_task(release_id: int) -> bool:
    return releases.publish_release_if_due(release_id)


@shared_task(name="publishing.tasks.deliver_event_task", ignore_result=True)
def deliver_event_task(event_id: int, subscriber: str) -> bool:
    return events.deliver_event(event_id, subscriber)


@shared_task(name="publishing.tasks.deliver_events_task", ignore_result=True)
def deliver_events_task(event_ids: list[int], subscriber: str) -> int:
    return sum(events.deliver_event(event_id, subscriber) for event_id in event_ids)


@shared_task(name="publishing.tasks.dispatch_events_task", ignore_result=True)
def dispatch_events_task(event_ids: list[int]) -> None:
    events.dispatch_pending(event_ids)


@shared_task(name="publishing.tasks.prune_article_changes_task", ignore_result=True)
def prune_article_changes_task() -> int:
    return changes.prune_changes()


@shared_task(name="publishing.tasks.sweep_outbox_task", ignore_result=True)
def sweep_outbox_task() -> int:
    return events.sweep_outbox()


@worker_ready.connect
def _start_heartbeat(sender=None, **kwargs) -> None:
    monitoring.start_heartbeat(sender.hostname)


@worker_shutdown.connect
def _stop_heartbeat(sender=None, **kwargs) -> None:
    monitoring.stop_heartbeat()
