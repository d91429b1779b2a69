"""Thin task doors onto delivery.read_model (the stored delivery documents).

The django-tasks tasks go where Wagtail's own background work goes (``TASKS``: the
Celery workers' ``indexing`` queue in production, inline in the unit tests), after
the transaction that enqueued them commits: :func:`enqueue_render` and
:func:`enqueue_sweep` are how the rest of the package asks for them.
``sweep_documents_task`` is the beat's door: it renders what is missing or retired,
so a lost message delays a document (the API renders from the pages meanwhile),
never loses it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django_tasks import task

from cms.celery_app import app
from delivery import read_model


@task()
def render_documents_task(page_ids: list[int]) -> int:
    return read_model.render_documents(page_ids)


@task()
def render_stale_documents_task() -> int:
    rendered = read_model.render_stale_documents()
    if rendered >= read_model.SWEEP_LIMIT:
        enqueue_sweep()  # more to do: another task, not a longer one
    return rendered


@app.task(name="delivery.tasks.sweep_documents_task", ignore_result=True)
def sweep_documents_task() -> int:
    return read_model.render_stale_documents()


def enqueue_render(page_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in page_ids})
    for start in range(0, len(ids), read_model.RENDER_BATCH):
        render_documents_task.enqueue(ids[start : start + read_model.RENDER_BATCH])


def enqueue_sweep() -> None:
    render_stale_documents_task.enqueue()
