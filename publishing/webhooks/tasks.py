"""Thin Celery tasks on the ``webhooks`` queue: ids in, delivery.py does the work.

Each is idempotent: an attempt is claimed by a conditional UPDATE, so a duplicated
or redelivered message finds nothing due and does nothing.
"""

from __future__ import annotations

from celery import shared_task

from publishing.webhooks import delivery


@shared_task(
    name="publishing.webhooks.tasks.attempt_delivery_task",
    queue="webhooks",
    ignore_result=True,
)
def attempt_delivery_task(delivery_id: int) -> str | None:
    return delivery.attempt_delivery(delivery_id)


@shared_task(
    name="publishing.webhooks.tasks.sweep_due_deliveries_task",
    queue="webhooks",
    ignore_result=True,
)
def sweep_due_deliveries_task() -> int:
    return delivery.sweep_due_deliveries()


@shared_task(
    name="publishing.webhooks.tasks.prune_webhook_log_task",
    queue="webhooks",
    ignore_result=True,
)
def prune_webhook_log_task() -> int:
    return delivery.prune_log()
