"""The django-tasks backend that hands Wagtail's background work to Celery."""

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks import task

from cms.tasks_backend import (
    INDEXING_QUEUE,
    one_message,
    run_django_task,
    run_django_tasks,
)

CELERY_TASKS = {"default": {"BACKEND": "cms.tasks_backend.CeleryBackend"}}
CALLS: list = []


@task()
def probe_task(value, *, label=""):
    CALLS.append((value, label))
    return value


@pytest.fixture(autouse=True)
def registered_probe(monkeypatch):
    """This module's probe task is registered, as a real task module would be."""
    from cms import tasks_backend

    monkeypatch.setattr(
        tasks_backend,
        "TASK_MODULES",
        (*tasks_backend.TASK_MODULES, "tests.publishing.test_tasks_backend"),
    )
    tasks_backend.registered_tasks.cache_clear()
    yield
    tasks_backend.registered_tasks.cache_clear()


@pytest.fixture
def messages(monkeypatch):
    """Each Celery message the backend sends, as (task name, its apply_async kw)."""
    out = []
    for celery_task in (run_django_task, run_django_tasks):
        monkeypatch.setattr(
            celery_task,
            "apply_async",
            lambda _name=celery_task.name, **kw: out.append((_name, kw)),
        )
    return out


def unpacked(messages) -> list[dict]:
    """Every django-task in the messages, as a one-task message's kw would be."""
    out = []
    for name, kw in messages:
        if name == run_django_tasks.name:
            (calls,) = kw["args"]
            out.extend({**kw, "args": tuple(call)} for call in calls)
        else:
            out.append(kw)
    return out


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_enqueue_sends_the_task_by_module_path_after_commit(
    messages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        probe_task.enqueue(7, label="x")
        assert messages == []
    sent = unpacked(messages)
    assert len(sent) == 1
    assert sent[0]["args"] == (
        "tests.publishing.test_tasks_backend.probe_task",
        [7],
        {"label": "x"},
    )
    assert sent[0]["queue"] == INDEXING_QUEUE


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_rolled_back_save_enqueues_nothing(
    messages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                probe_task.enqueue(1)
                raise RuntimeError
        except RuntimeError:
            pass
    assert messages == []


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_wagtail_publish_does_no_indexing_inline(
    messages, section, django_capture_on_commit_callbacks
):
    from tests.factories import ArticlePageFactory, publish

    with django_capture_on_commit_callbacks(execute=True):
        publish(ArticlePageFactory(parent=section))
    paths = [call["args"][0] for call in unpacked(messages)]
    assert "search.tasks.index_articles_task" in paths
    # One message per transaction, each task once: a publish is a few messages,
    # not one per task (each is a Redis round trip in the editor's request).
    assert len(messages) < len(paths)
    assert all(call["queue"] == INDEXING_QUEUE for _, call in messages)


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_one_transaction_sends_its_tasks_in_one_message_once_each(
    messages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            probe_task.enqueue(1)
            probe_task.enqueue(2, label="b")
            probe_task.enqueue(1)
    assert [name for name, _ in messages] == [run_django_tasks.name]
    assert [call["args"][1:] for call in unpacked(messages)] == [
        ([1], {}),
        ([2], {"label": "b"}),
    ]


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db
def test_a_savepoint_rolled_back_drops_only_its_own_tasks(
    messages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            probe_task.enqueue(1)
            try:
                with transaction.atomic():
                    probe_task.enqueue(2)
                    raise RuntimeError
            except RuntimeError:
                pass
            with transaction.atomic():
                probe_task.enqueue(3)
            probe_task.enqueue(4)
    assert sorted(call["args"][1][0] for call in unpacked(messages)) == [1, 3, 4]


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_message_gathers_every_commit_and_callback_of_the_block(messages):
    with one_message():
        with transaction.atomic():
            probe_task.enqueue(1)
            with transaction.atomic():
                probe_task.enqueue(2)
            transaction.on_commit(lambda: probe_task.enqueue(3))
        probe_task.enqueue(4)  # outside any transaction
        probe_task.enqueue(1)
        assert messages == []
    assert [name for name, _ in messages] == [run_django_tasks.name]
    assert [call["args"][1][0] for call in unpacked(messages)] == [1, 2, 3, 4]


@override_settings(TASKS=CELERY_TASKS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_message_still_drops_what_a_rollback_drops(messages):
    with pytest.raises(RuntimeError), one_message():
        probe_task.enqueue(1)
        with transaction.atomic():
            probe_task.enqueue(2)
            try:
                with transaction.atomic():
                    probe_task.enqueue(3)
                    raise ValueError
            except ValueError:
                pass
        with transaction.atomic():
            probe_task.enqueue(4)
            raise RuntimeError
    assert [call["args"][1][0] for call in unpacked(messages)] == [1, 2]


def test_worker_side_runs_a_batch_in_order_and_reports_a_failure_after_the_rest():
    CALLS.clear()
    with pytest.raises(TypeError):
        run_django_tasks.run(
            [
                ["tests.publishing.test_tasks_backend.probe_task", [1], {}],
                ["os.getcwd", [], {}],
                ["tests.publishing.test_tasks_backend.probe_task", [2], {}],
            ]
        )
    assert CALLS == [(1, ""), (2, "")]


def test_worker_side_runs_the_task_by_path():
    CALLS.clear()
    run_django_task.run(
        "tests.publishing.test_tasks_backend.probe_task", [3], {"label": "y"}
    )
    assert CALLS == [(3, "y")]


def test_worker_side_refuses_a_path_that_is_not_a_task():
    with pytest.raises(TypeError):
        run_django_task.run("os.getcwd", [], {})


@pytest.mark.parametrize(
    "path",
    [
        "os.system",
        "subprocess.run",
        "antigravity.fly",
        "tests.publishing.test_tasks_backend.CALLS",
        "modelsearch.tasks.nonexistent",
        "",
    ],
)
def test_worker_side_runs_only_registered_task_paths(path):
    """A message in Redis names a module path; the worker imports nothing it names,
    and runs only a django-task of the modules registered in TASK_MODULES."""
    import sys

    sys.modules.pop("antigravity", None)
    with pytest.raises(TypeError, match="not a registered django-task"):
        run_django_task.run(path, ["id"], {})
    assert "antigravity" not in sys.modules


def test_wagtails_own_tasks_are_registered():
    from cms.tasks_backend import registered_tasks

    names = set(registered_tasks())
    assert "wagtail.tasks.update_reference_index_task" in names
    assert "modelsearch.tasks.insert_or_update_object_task" in names
    assert any(name.startswith("search.tasks.") for name in names)
    assert any(name.startswith("delivery.tasks.") for name in names)
