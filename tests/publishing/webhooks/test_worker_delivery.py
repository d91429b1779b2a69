"""Deliveries through a real ``celery worker``, real Redis, PostgreSQL, real HTTP.

The worker runs with a 1-second retry schedule and a 2 s timeout (conftest).
"""

from __future__ import annotations

import json
import socket
import time

import pytest
from django.db import transaction
from standardwebhooks import Webhook

from publishing import events
from publishing.webhooks.models import Attempt, Delivery, Endpoint
from tests.factories import ArticlePageFactory, publish
from tests.support.receiver import Receiver, wait_for

# serialized_rollback: the flush after each test would otherwise drop the default
# Site and root page that later tests (ours and other suites) rely on.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def emit(event_type: str = events.ARTICLE_PUBLISHED, **data) -> str:
    with transaction.atomic():
        event = events.record_event(event_type, {"id": 1, **data})
    return str(event.uuid)


def test_publish_reaches_the_receiver_signed_within_2_seconds(
    webhooks_worker, receiver, make_endpoint, section
):
    endpoint = make_endpoint(receiver.url("/hook"), events=["article.published"])
    page = ArticlePageFactory(parent=section, title="Magnesium and sleep")
    publish(page)
    started = time.time()  # the publish has committed

    request = wait_for(lambda: receiver.received("/hook"), timeout=2)[0]

    assert request.at - started < 2
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    page.refresh_from_db()
    assert payload["type"] == "article.published"
    assert set(payload) == {"type", "timestamp", "data"}
    assert payload["data"]["id"] == page.id
    assert payload["data"]["title"] == "Magnesium and sleep"
    assert payload["data"]["url"] == page.url
    assert payload["data"]["revision_id"] == page.live_revision_id
    assert request.headers["webhook-id"].startswith("msg_")
    assert request.headers["webhook-signature"].startswith("v1,")
    assert abs(int(request.headers["webhook-timestamp"]) - started) < 5
    assert request.headers["content-type"] == "application/json"


def test_server_errors_are_retried_with_the_same_id_then_delivered(
    webhooks_worker, receiver, make_endpoint
):
    receiver.script("/hook", (500, {}, 0), (502, {}, 0), (200, {}, 0))
    make_endpoint(receiver.url("/hook"))
    emit()

    wait_for(lambda: Delivery.objects.filter(status="delivered").exists(), timeout=15)

    ids = {r.headers["webhook-id"] for r in receiver.received()}
    assert len(receiver.received()) == 3
    assert len(ids) == 1
    assert [a.status_code for a in Attempt.objects.order_by("at")] == [500, 502, 200]


def test_a_timeout_is_retried_then_delivered(webhooks_worker, receiver, make_endpoint):
    receiver.script("/hook", (200, {}, 5.0), (200, {}, 0))
    make_endpoint(receiver.url("/hook"))
    emit()

    wait_for(lambda: Delivery.objects.filter(status="delivered").exists(), timeout=15)

    first, second = Attempt.objects.order_by("at")
    assert first.status_code is None and "timed out" in first.error
    assert second.status_code == 200
    assert len({r.headers["webhook-id"] for r in receiver.received()}) == 1


def test_a_refused_connection_is_retried_then_delivered(webhooks_worker, make_endpoint):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    make_endpoint(f"http://127.0.0.1:{port}/hook")
    emit()

    wait_for(lambda: Attempt.objects.exists(), timeout=10)
    late = Receiver(port=port).start()
    try:
        wait_for(
            lambda: Delivery.objects.filter(status="delivered").exists(), timeout=15
        )
    finally:
        late.stop()

    first = Attempt.objects.order_by("at").first()
    assert first.status_code is None and "connection failed" in first.error
    delivery = Delivery.objects.get()
    assert [r.headers["webhook-id"] for r in late.received()] == [delivery.webhook_id]


def test_a_delivery_failing_every_attempt_ends_failed(
    webhooks_worker, receiver, make_endpoint
):
    receiver.script("/hook", (500, {}, 0))
    endpoint = make_endpoint(receiver.url("/hook"))
    emit()

    wait_for(lambda: Delivery.objects.filter(status="failed").exists(), timeout=30)

    delivery = Delivery.objects.get()
    assert delivery.attempts.count() == 10
    assert len(receiver.received()) == 10
    assert delivery.next_attempt_at is None
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None
    assert endpoint.active  # disabled only after 5 days of failures


def test_a_410_disables_the_endpoint_at_once(webhooks_worker, receiver, make_endpoint):
    receiver.script("/hook", (410, {}, 0))
    endpoint = make_endpoint(receiver.url("/hook"))
    emit()

    wait_for(lambda: not Endpoint.objects.get(id=endpoint.id).active, timeout=5)

    endpoint.refresh_from_db()
    assert "410" in endpoint.disabled_reason
    assert Delivery.objects.get().status == "failed"
    assert len(receiver.received()) == 1


def test_retry_after_is_honoured(webhooks_worker, receiver, make_endpoint):
    receiver.script("/hook", (503, {"Retry-After": "3"}, 0), (200, {}, 0))
    make_endpoint(receiver.url("/hook"))
    emit()

    wait_for(lambda: len(receiver.received()) == 2, timeout=10)

    first, second = receiver.received()
    # The schedule alone would retry after about 1 s.
    assert second.at - first.at >= 2.9


def test_a_slow_receiver_does_not_delay_another_or_the_next_publish(
    webhooks_worker, receiver, make_endpoint, section
):
    # The slow receiver sleeps 30 s; the worker gives up on it after 2 s and
    # keeps retrying it, all while the other receiver hears of each publish at once.
    receiver.script("/slow", (200, {}, 30.0))
    make_endpoint(receiver.url("/slow"), events=["article.published"])
    make_endpoint(receiver.url("/fast"), events=["article.published"])
    first, second = (ArticlePageFactory(parent=section) for _ in range(2))

    publish(first)
    committed = time.time()
    wait_for(lambda: receiver.received("/fast"), timeout=2)
    wait_for(lambda: receiver.received("/slow"), timeout=2)
    again = time.time()
    publish(second)
    published = time.time()
    wait_for(lambda: len(receiver.received("/fast")) == 2, timeout=2)

    fast = receiver.received("/fast")
    assert fast[0].at - committed < 2
    # The publish never waits on webhooks (inline, it would take 30 s).
    assert published - again < 5
    assert fast[1].at - published < 2
    assert json.loads(fast[1].body)["data"]["id"] == second.id


def test_1000_events_to_3_receivers_arrive_once_each(webhooks_worker, make_endpoint):
    # Events are recorded straight into the outbox (50 per transaction) rather than
    # by 1,000 page publishes, to keep the suite's time bounded; the path from the
    # outbox onwards is the one a publish takes.
    receivers = [Receiver().start() for _ in range(3)]
    try:
        for r in receivers:
            make_endpoint(r.url("/hook"))
        for batch in range(20):
            with transaction.atomic():
                for i in range(50):
                    events.record_event(
                        events.ARTICLE_PUBLISHED, {"id": batch * 50 + i}
                    )

        wait_for(
            lambda: sum(len(r.received()) for r in receivers) >= 3000,
            timeout=240,
            interval=0.5,
        )
        time.sleep(1)  # anything duplicated would arrive now

        for r in receivers:
            ids = [req.headers["webhook-id"] for req in r.received()]
            assert len(ids) == 1000
            assert len(set(ids)) == 1000
            bodies = {json.loads(req.body)["data"]["id"] for req in r.received()}
            assert bodies == set(range(1000))
        assert Delivery.objects.filter(status="delivered").count() == 3000
    finally:
        for r in receivers:
            r.stop()


def test_the_sweep_hands_a_lost_delivery_to_the_worker(
    webhooks_worker, receiver, make_endpoint
):
    from publishing.webhooks.tasks import sweep_due_deliveries_task
    from tests.publishing.webhooks.test_delivery import make_delivery

    # Due, with no message on the broker (as after a Redis restart).
    d = make_delivery(make_endpoint(receiver.url("/hook")), queued_until=None)

    sweep_due_deliveries_task.delay()

    wait_for(lambda: Delivery.objects.get(id=d.id).status == "delivered", timeout=5)
    assert [r.headers["webhook-id"] for r in receiver.received()] == [d.webhook_id]
