"""Delivery logic in-process, against a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from standardwebhooks import Webhook

from publishing import events
from publishing.models import Event
from publishing.webhooks import delivery, failing_endpoint_ids, health
from publishing.webhooks.models import Attempt, Delivery, Endpoint
from publishing.webhooks.retries import delay_before_attempt, parse_retry_after
from publishing.webhooks.signing import rotate_secret, signed_headers, signing_secrets

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(
        delivery, "enqueue_attempts", lambda ids, countdown=None: sent.extend(ids)
    )
    return sent


def make_event(event_type="article.published", **data) -> Event:
    return Event.objects.create(type=event_type, data={"id": 7, **data})


def make_delivery(endpoint: Endpoint, **kwargs) -> Delivery:
    event = make_event()
    kwargs.setdefault("next_attempt_at", timezone.now())
    return Delivery.objects.create(
        endpoint=endpoint,
        event_uuid=event.uuid,
        event_type=event.type,
        payload=delivery.event_body(event.type, event.created_at, event.data),
        webhook_id=delivery.webhook_id_for(event.uuid, endpoint.id),
        **kwargs,
    )


def test_an_event_makes_one_delivery_per_subscribed_active_endpoint(
    make_endpoint, enqueued, django_capture_on_commit_callbacks
):
    a = make_endpoint("http://127.0.0.1:9/a")
    b = make_endpoint("http://127.0.0.1:9/b", events=["article.published"])
    make_endpoint("http://127.0.0.1:9/c", events=["release.failed"])
    make_endpoint("http://127.0.0.1:9/d", active=False)
    event = make_event()

    with django_capture_on_commit_callbacks(execute=True):
        delivery.handle_event(event)

    rows = Delivery.objects.order_by("endpoint_id")
    assert [d.endpoint_id for d in rows] == [a.id, b.id]
    assert {d.webhook_id for d in rows} == {
        f"msg_{event.uuid.hex}_{a.id}",
        f"msg_{event.uuid.hex}_{b.id}",
    }
    assert sorted(enqueued) == sorted(d.id for d in rows)


def test_attempts_are_enqueued_only_after_commit(
    make_endpoint, enqueued, django_capture_on_commit_callbacks
):
    make_endpoint("http://127.0.0.1:9/a")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delivery.handle_event(make_event())
    assert enqueued == []
    for callback in callbacks:
        callback()
    assert len(enqueued) == 1


def test_the_body_is_the_contract_shape(make_endpoint, enqueued):
    make_endpoint("http://127.0.0.1:9/a")
    event = make_event(slug="s", title="T")
    delivery.handle_event(event)
    import json

    body = json.loads(Delivery.objects.get().payload)
    assert body == {
        "type": "article.published",
        "timestamp": event.created_at.astimezone(UTC).isoformat(),
        "data": {"id": 7, "slug": "s", "title": "T"},
    }


def test_a_delivered_attempt_is_logged(receiver, make_endpoint):
    d = make_delivery(make_endpoint(receiver.url("/hook")))

    assert delivery.attempt_delivery(d.id) == "delivered"

    d.refresh_from_db()
    attempt = d.attempts.get()
    assert d.status == "delivered" and d.next_attempt_at is None
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok"
    assert attempt.duration_ms >= 0


def test_a_failed_attempt_schedules_the_next_from_the_setting(
    receiver, make_endpoint, settings
):
    settings.WEBHOOK_RETRY_SCHEDULE = [0, 100, 100]
    receiver.script("/hook", (500, {}, 0))
    d = make_delivery(make_endpoint(receiver.url("/hook")))
    before = timezone.now()

    assert delivery.attempt_delivery(d.id) == "retry"

    d.refresh_from_db()
    assert d.status == "pending" and d.attempt_count == 1
    assert before + timedelta(seconds=79) < d.next_attempt_at
    assert d.next_attempt_at < timezone.now() + timedelta(seconds=121)
    # A long wait is the sweep's job, not a countdown's.
    assert d.queued_until is None


def test_only_the_first_4kb_of_a_response_is_kept(make_endpoint):
    from tests.support.receiver import Receiver

    big = Receiver()
    handler = big.server.RequestHandlerClass

    def do_post(self):
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(200)
        self.send_header("Content-Length", str(1_000_000))
        self.end_headers()
        self.wfile.write(b"x" * 1_000_000)

    handler.do_POST = do_post
    big.start()
    try:
        d = make_delivery(make_endpoint(big.url("/hook")))
        delivery.attempt_delivery(d.id)
    finally:
        big.stop()
    assert len(Attempt.objects.get().response_excerpt) == 4096


def test_a_binary_response_is_logged(make_endpoint):
    from tests.support.receiver import Receiver

    binary = Receiver()

    def do_post(self):
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(500)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"\x00\xff\x00a")

    binary.server.RequestHandlerClass.do_POST = do_post
    binary.start()
    try:
        d = make_delivery(make_endpoint(binary.url("/hook")))
        assert delivery.attempt_delivery(d.id) == "retry"
    finally:
        binary.stop()
    attempt = Attempt.objects.get()
    assert attempt.status_code == 500 and attempt.response_excerpt.endswith("a")


def test_a_duplicate_task_does_not_send_twice(receiver, make_endpoint):
    d = make_delivery(make_endpoint(receiver.url("/hook")))
    assert delivery.attempt_delivery(d.id) == "delivered"
    assert delivery.attempt_delivery(d.id) is None
    assert len(receiver.received()) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_tasks_for_one_attempt_send_once(receiver, make_endpoint):
    receiver.script("/hook", (200, {}, 0.3))
    d = make_delivery(make_endpoint(receiver.url("/hook")))
    barrier = threading.Barrier(4)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(delivery.attempt_delivery(d.id))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert outcomes.count("delivered") == 1 and outcomes.count(None) == 3
    assert len(receiver.received()) == 1


def test_jitter_stays_within_20_percent(settings):
    settings.WEBHOOK_RETRY_SCHEDULE = [0, 5, 300]
    rng = random.Random(1)
    delays = [delay_before_attempt(3, rng=rng) for _ in range(500)]
    assert 240 <= min(delays) < 250 and 350 < max(delays) <= 360
    assert delay_before_attempt(4) is None


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Wed, 25 Nov 2026 10:01:00 GMT", now) == 60
    assert parse_retry_after("soon", now) is None
    # A receiver's header with a non-ASCII digit is not a number, nor a crash.
    assert parse_retry_after("\u19da", now) is None


def test_the_default_schedule_is_ten_attempts_over_about_three_days(settings):
    from cms.settings.base import WEBHOOK_RETRY_SCHEDULE

    assert len(WEBHOOK_RETRY_SCHEDULE) == 10
    assert 2.5 * 86400 < sum(WEBHOOK_RETRY_SCHEDULE) < 3.5 * 86400


def test_an_endpoint_failing_for_5_days_is_disabled_by_the_sweep(
    receiver, make_endpoint, enqueued
):
    receiver.script("/hook", (500, {}, 0))
    endpoint = make_endpoint(receiver.url("/hook"))
    d = make_delivery(endpoint)
    delivery.attempt_delivery(d.id)
    endpoint.refresh_from_db()
    since = endpoint.failing_since
    assert since is not None

    delivery.sweep_due_deliveries(now=since + timedelta(days=4, hours=23))
    assert Endpoint.objects.get(id=endpoint.id).active

    delivery.sweep_due_deliveries(now=since + timedelta(days=5))
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason == health.FAILING_REASON
    assert Delivery.objects.get(id=d.id).status == "failed"
    assert endpoint.id in failing_endpoint_ids()


def test_a_success_resets_the_failure_clock(receiver, make_endpoint):
    receiver.script("/hook", (500, {}, 0), (200, {}, 0))
    endpoint = make_endpoint(receiver.url("/hook"))
    delivery.attempt_delivery(make_delivery(endpoint).id)
    assert Endpoint.objects.get(id=endpoint.id).failing_since is not None
    assert endpoint.id in failing_endpoint_ids()

    delivery.attempt_delivery(make_delivery(endpoint).id)

    assert Endpoint.objects.get(id=endpoint.id).failing_since is None
    assert failing_endpoint_ids() == []


def test_the_sweep_enqueues_a_due_delivery_once_until_presumed_lost(
    make_endpoint, enqueued, django_capture_on_commit_callbacks
):
    d = make_delivery(make_endpoint("http://127.0.0.1:9/a"))
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.sweep_due_deliveries(now=now) == 1
        assert delivery.sweep_due_deliveries(now=now + timedelta(seconds=1)) == 0
        later = now + delivery.REQUEUE_AFTER + timedelta(seconds=1)
        assert delivery.sweep_due_deliveries(now=later) == 1
    assert enqueued == [d.id, d.id]


def test_the_sweep_leaves_future_retries_alone(make_endpoint, enqueued):
    make_delivery(
        make_endpoint("http://127.0.0.1:9/a"),
        next_attempt_at=timezone.now() + timedelta(hours=2),
    )
    assert delivery.sweep_due_deliveries() == 0


def test_redelivery_sends_the_same_webhook_id_again(receiver, make_endpoint, enqueued):
    d = make_delivery(make_endpoint(receiver.url("/hook")))
    delivery.attempt_delivery(d.id)

    delivery.redeliver(d.id)
    assert Delivery.objects.get(id=d.id).status == "pending"
    delivery.attempt_delivery(d.id)

    ids = [r.headers["webhook-id"] for r in receiver.received()]
    assert ids == [d.webhook_id, d.webhook_id]
    assert Delivery.objects.get(id=d.id).status == "delivered"


def test_a_rotated_secret_signs_twice_for_a_day(make_endpoint):
    endpoint = make_endpoint("http://127.0.0.1:9/a")
    old = endpoint.secret
    rotate_secret(endpoint)
    now = timezone.now()
    body = '{"type":"article.published"}'

    headers = signed_headers("msg_1", body, signing_secrets(endpoint, now), now)

    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)
    Webhook(endpoint.secret).verify(body, headers)
    after = signing_secrets(endpoint, now + timedelta(hours=24, seconds=1))
    assert after == [endpoint.secret]


def test_a_signature_fails_on_a_changed_byte_or_old_timestamp(make_endpoint):
    from standardwebhooks.webhooks import WebhookVerificationError

    endpoint = make_endpoint("http://127.0.0.1:9/a")
    body = '{"a":1}'
    now = timezone.now()
    headers = signed_headers("msg_1", body, [endpoint.secret], now)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify('{"a":2}', headers)
    stale = signed_headers(
        "msg_1", body, [endpoint.secret], now - timedelta(seconds=301)
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body, stale)


def test_secrets_are_32_random_bytes_in_standard_form(make_endpoint):
    import base64

    from publishing.webhooks.signing import generate_secret

    a, b = generate_secret(), generate_secret()
    assert a.startswith("whsec_") and a != b
    assert len(base64.b64decode(a.removeprefix("whsec_"))) == 32


def test_old_log_rows_are_pruned(make_endpoint, settings):
    settings.WEBHOOK_LOG_RETENTION_DAYS = 30
    endpoint = make_endpoint("http://127.0.0.1:9/a")
    old = make_delivery(endpoint, status="delivered")
    Delivery.objects.filter(id=old.id).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    Attempt.objects.create(
        delivery=old, at=timezone.now() - timedelta(days=31), status_code=200
    )
    recent = make_delivery(endpoint, status="delivered")
    Attempt.objects.create(delivery=recent, status_code=200)

    delivery.prune_log()

    assert list(Delivery.objects.values_list("id", flat=True)) == [recent.id]
    assert Attempt.objects.count() == 1


def test_the_outbox_subscriber_is_this_app(make_endpoint, enqueued):
    make_endpoint("http://127.0.0.1:9/a")
    with transaction.atomic():
        event = events.record_event(events.ARTICLE_PUBLISHED, {"id": 1})
    assert events.deliver_event(event.id, "webhooks") is True
    assert events.deliver_event(event.id, "webhooks") is False
    assert Delivery.objects.filter(event_uuid=event.uuid).count() == 1
