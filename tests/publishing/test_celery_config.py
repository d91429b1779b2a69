"""R8: the Celery settings that make "publish at T, exactly once" hold."""

import ast
import importlib
from pathlib import Path

from django.conf import settings

from cms.celery_app import app

# `cms.celery_app` the attribute is the app (cms/__init__.py); we want the module.
celery_app = importlib.import_module("cms.celery_app")

ROOT = Path(__file__).resolve().parents[2]


def test_acks_late_with_rejection_on_worker_loss():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_redeliveries_are_capped_at_five():
    assert celery_app.MAX_REDELIVERIES == 5
    assert issubclass(app.Task, celery_app.CmsTask)


def test_prefetch_is_one():
    assert app.conf.worker_prefetch_multiplier == 1


def test_time_limit_and_visibility_timeout():
    assert app.conf.task_time_limit <= 300
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility >= 2 * app.conf.task_time_limit
    assert visibility == 3600
    assert app.conf.result_backend_transport_options["visibility_timeout"] == 3600


def test_soft_shutdown_window_is_at_least_ten_seconds():
    assert app.conf.worker_soft_shutdown_timeout >= 10


def test_json_is_the_only_serializer():
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"
    assert list(app.conf.accept_content) == ["json"]


def test_three_queues_are_declared():
    assert {q.name for q in app.conf.task_queues} == {
        "publishing",
        "indexing",
        "webhooks",
    }


def test_each_queue_has_its_own_routing_key():
    # Otherwise a message routed to one queue is copied into all of them.
    keys = [(q.exchange.name, q.routing_key) for q in app.conf.task_queues]
    assert len(set(keys)) == len(keys) == 3


def test_beat_sweeps_every_few_seconds_with_short_expiry():
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-schedules"]
    assert sweep["schedule"] <= 2
    assert sweep["options"]["expires"] <= 10
    assert "sweep-outbox" in settings.CELERY_BEAT_SCHEDULE


def _literal_delays(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("countdown", "eta"):
            if isinstance(node.value, ast.Constant) and isinstance(
                node.value.value, int | float
            ):
                yield node.value.value


def test_no_literal_countdown_exceeds_300_seconds():
    offenders = []
    for path in list((ROOT / "publishing").rglob("*.py")) + list(
        (ROOT / "cms").rglob("*.py")
    ):
        tree = ast.parse(path.read_text())
        offenders += [(path, d) for d in _literal_delays(tree) if d > 300]
    assert offenders == []
    assert celery_app.MAX_COUNTDOWN <= 300


@app.task(name="tests.publishing.dead_letter_probe")
def dead_letter_probe():
    return "ran"


def test_a_message_redelivered_more_than_five_times_is_dead_lettered(db):
    from publishing import monitoring

    dead_letter_probe.push_request(id="looping-message", is_eager=False)
    try:
        results = [dead_letter_probe() for _ in range(7)]
    finally:
        dead_letter_probe.pop_request()
    assert results == ["ran"] * 6 + [None]
    assert monitoring.dead_letters() == 1
