"""Thin task doors onto search.indexing.

``index_articles_task`` is a django-tasks task, so it goes wherever Wagtail's own
index updates go (``TASKS``: the Celery workers' ``indexing`` queue in production,
inline in the unit tests); :func:`enqueue_indexing` sends it.
``sweep_pending_index_task`` is a Celery beat job that re-enqueues changes whose task
never reached the broker.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from cms.celery_app import app
from search import indexing
from search.models import PendingIndexUpdate

# A change this old without its index update lost its task (broker down at commit).
SWEEP_AFTER = timedelta(seconds=30)
SWEEP_LIMIT = 2000
# Articles per indexing task: one upsert statement, well under a second.
TASK_BATCH = 200


@task()
def index_articles_task(page_ids: list[int]) -> int:
    return indexing.index_articles(page_ids)


@app.task(name="search.tasks.sweep_pending_index_task", ignore_result=True)
def sweep_pending_index_task() -> int:
    due = list(
        PendingIndexUpdate.objects.filter(changed_at__lt=timezone.now() - SWEEP_AFTER)
        .order_by("changed_at")
        .values_list("page_id", flat=True)[:SWEEP_LIMIT]
    )
    ids = sorted(set(due))
    enqueue_indexing(ids)
    return len(ids)


def enqueue_indexing(page_ids: list[int]) -> None:
    for start in range(0, len(page_ids), TASK_BATCH):
        index_articles_task.enqueue(page_ids[start : start + TASK_BATCH])
