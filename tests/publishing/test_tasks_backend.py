"""The django-tasks backend that hands Wagtail's background work to Celery."""

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks import task

from cms.tasks_backend import INDEXING_QUEUE, run_django_task

CELERY_TASKS = {"default": {"BACKEND": "cms.tasks_backend.CeleryBackend"}}
CALLS: list = []


@task()
def probe_task(value, *, label=""):
    CALLS.append((value, label))
    return value


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(run_django_task, "apply_async", lambda **kw: calls.append(kw))
    return calls


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_enqueue_sends_the_task_by_module_path_after_commit(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        probe_task.enqueue(7, label="x")
        assert sent == []
    assert len(sent) == 1
    assert sent[0]["args"] == (
        "tests.publishing.test_tasks_backend.probe_task",
        [7],
        {"label": "x"},
    )
    assert sent[0]["queue"] == INDEXING_QUEUE


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_rolled_back_save_enqueues_nothing(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                probe_task.enqueue(1)
                raise RuntimeError
        except RuntimeError:
            pass
    assert sent == []


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_wagtail_publish_does_no_indexing_inline(
    sent, section, django_capture_on_commit_callbacks
):
    from tests.factories import ArticlePageFactory, publish

    with django_capture_on_commit_callbacks(execute=True):
        publish(ArticlePageFactory(parent=section))
    paths = {call["args"][0] for call in sent}
    assert "modelsearch.tasks.insert_or_update_object_task" in paths


def test_worker_side_runs_the_task_by_path():
    CALLS.clear()
    run_django_task.run(
        "tests.publishing.test_tasks_backend.probe_task", [3], {"label": "y"}
    )
    assert CALLS == [(3, "y")]


def test_worker_side_refuses_a_path_that_is_not_a_task():
    with pytest.raises(TypeError):
        run_django_task.run("os.getcwd", [], {})
