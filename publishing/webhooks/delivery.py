"""Fan-out of events to endpoints, one HTTP attempt at a time, and the due sweep.

- :func:`handle_event` (the outbox subscriber) writes one :class:`Delivery` per
  matching active endpoint, in the outbox's transaction, and enqueues the first
  attempts after commit. No HTTP happens there.
- :func:`attempt_delivery` claims a due delivery with a conditional UPDATE (so a
  duplicated task never sends twice), sends it, logs the :class:`Attempt`, and
  either settles the delivery or sets ``next_attempt_at`` for the retry.
- :func:`sweep_due_deliveries` (beat, every second) enqueues what is due and has
  no task believed queued: long retry delays live in the database, not in Redis.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cms.celery_app import app
from publishing.webhooks import health
from publishing.webhooks.deadline import AttemptDeadline
from publishing.webhooks.egress import GuardedAdapter
from publishing.webhooks.models import Attempt, Delivery, Endpoint
from publishing.webhooks.retries import (
    delay_before_attempt,
    max_attempts,
    parse_retry_after,
)
from publishing.webhooks.signing import signed_headers, signing_secrets

logger = logging.getLogger(__name__)

EXCERPT_BYTES = 4096
# A claimed attempt holds its delivery for the attempt's deadline (WEBHOOK_TIMEOUT,
# wall clock, connect to last byte) plus this margin for DNS, signing and logging;
# if its worker dies, the sweep finds the delivery due again afterwards. The
# deadline ends every attempt before its lease, so a delivery never overlaps itself.
LEASE_MARGIN = timedelta(seconds=30)
# A task enqueued for a delivery is presumed lost (broker restart, flushed Redis)
# after this long; the sweep then enqueues it again. Duplicates are harmless.
REQUEUE_AFTER = timedelta(seconds=120)
# Retries due within this many seconds ride on a countdown (well under Celery's
# 300 s cap); longer waits are handed out by the sweep when due.
COUNTDOWN_LIMIT = 60.0
SWEEP_BATCH = 500
SUCCESS_TOUCH_INTERVAL = timedelta(seconds=60)
USER_AGENT = "wellbeing-cms-webhooks/1"
# The attempt task, sent by name (publishing/webhooks/tasks.py imports this module).
ATTEMPT_TASK = "publishing.webhooks.tasks.attempt_delivery_task"


def webhook_id_for(event_uuid: uuid.UUID, endpoint_id: int) -> str:
    """The ``webhook-id``: unique per (event, endpoint), the same on every attempt."""
    return f"msg_{event_uuid.hex}_{endpoint_id}"


def event_body(event_type: str, created_at: datetime, data: dict) -> str:
    """The contract's body: ``{"type", "timestamp", "data"}``, as compact JSON."""
    body = {
        "type": event_type,
        "timestamp": created_at.astimezone(UTC).isoformat(),
        "data": data,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def handle_event(event) -> list[int]:
    """Write the deliveries of one outbox event; enqueue their first attempt on commit.

    Runs inside the outbox's transaction, under its receipt lock, so it runs once
    per event; the (event, endpoint) unique constraint backs that up.
    """
    endpoints = [
        e for e in Endpoint.objects.filter(active=True) if e.subscribes_to(event.type)
    ]
    if not endpoints:
        return []
    existing = set(
        Delivery.objects.filter(event_uuid=event.uuid).values_list(
            "endpoint_id", flat=True
        )
    )
    now = timezone.now()
    body = event_body(event.type, event.created_at, event.data)
    created = Delivery.objects.bulk_create(
        [
            Delivery(
                endpoint=endpoint,
                event_uuid=event.uuid,
                event_type=event.type,
                payload=body,
                webhook_id=webhook_id_for(event.uuid, endpoint.id),
                next_attempt_at=now,
                queued_until=now + REQUEUE_AFTER,
                created_at=now,
            )
            for endpoint in endpoints
            if endpoint.id not in existing
        ]
    )
    ids = [d.id for d in created]
    transaction.on_commit(lambda: enqueue_attempts(ids), robust=True)
    return ids


def enqueue_attempts(delivery_ids: list[int], countdown: float | None = None) -> None:
    for delivery_id in delivery_ids:
        app.send_task(ATTEMPT_TASK, args=(delivery_id,), countdown=countdown)


@dataclass
class Response:
    """What one HTTP attempt came to."""

    status_code: int | None
    duration_ms: int
    error: str = ""
    excerpt: str = ""
    retry_after: str | None = None
    timed_out: bool = False

    @property
    def succeeded(self) -> bool:
        return (
            not self.timed_out
            and self.status_code is not None
            and 200 <= self.status_code < 300
        )


def guarded_session() -> requests.Session:
    session = requests.Session()
    # No proxies from the environment: a proxy would connect where we did not check.
    session.trust_env = False
    adapter = GuardedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def send(url: str, headers: dict[str, str], body: str, timeout: float) -> Response:
    """POST once: no redirects followed, at most 4 KB of the response read, and
    ``timeout`` seconds of wall clock from connect to the last byte, however the
    receiver dribbles (publishing/webhooks/deadline.py). An answer not complete by
    then is a timeout, whatever its status line said."""
    started = time.monotonic()
    status_code = None
    excerpt = b""
    retry_after = None
    error = ""
    finished = False
    session = guarded_session()
    with AttemptDeadline(timeout) as attempt:
        try:
            response = session.post(
                url,
                data=body.encode("utf-8"),
                headers=headers,
                timeout=(min(timeout, 5.0), timeout),
                allow_redirects=False,
                stream=True,
            )
            try:
                status_code = response.status_code
                retry_after = response.headers.get("Retry-After")
                for chunk in response.iter_content(chunk_size=1024):
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
                finished = True
            except requests.RequestException as exc:
                error = f"reading the response failed: {exc}"
            finally:
                response.close()
        except requests.Timeout:
            error = f"timed out after {timeout:g} s"
        except requests.ConnectionError as exc:
            error = f"connection failed: {_reason(exc)}"
        except (requests.RequestException, ValueError) as exc:
            error = f"request failed: {exc}"
        finally:
            session.close()
    timed_out = attempt.expired and not finished
    if timed_out:
        error = f"timed out after {timeout:g} s (the attempt's deadline)"
    return Response(
        status_code=status_code,
        duration_ms=int((time.monotonic() - started) * 1000),
        error=error[:500].replace("\x00", "\ufffd"),
        # PostgreSQL text cannot hold NUL: a receiver answering binary must not
        # make the attempt unloggable.
        excerpt=excerpt[:EXCERPT_BYTES]
        .decode("utf-8", errors="replace")
        .replace("\x00", "\ufffd"),
        retry_after=retry_after,
        timed_out=timed_out,
    )


def _reason(exc: Exception) -> str:
    # requests nests urllib3's error; the innermost message says what happened
    # (refused by the SSRF check, connection refused, name not resolved).
    inner = exc
    while inner.args and isinstance(inner.args[0], Exception):
        inner = inner.args[0]
    reason = getattr(inner, "reason", None)
    return str(reason or inner)


def attempt_delivery(delivery_id: int, now: datetime | None = None) -> str | None:
    """Make the due attempt of one delivery. Returns its outcome, or None if not due.

    The claim is a conditional UPDATE: of two tasks for the same attempt, one
    updates the row and sends; the other finds it not due and does nothing.
    """
    now = now or timezone.now()
    claim = uuid.uuid4()
    timeout = float(settings.WEBHOOK_TIMEOUT)
    claimed = Delivery.objects.filter(
        id=delivery_id,
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(
        claim=claim,
        attempt_count=F("attempt_count") + 1,
        next_attempt_at=now + timedelta(seconds=timeout) + LEASE_MARGIN,
        queued_until=None,
        updated_at=now,
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("endpoint").get(id=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active or delivery.attempt_count > max_attempts():
        Delivery.objects.filter(id=delivery_id, claim=claim).update(
            status=Delivery.Status.FAILED, next_attempt_at=None, claim=None
        )
        return "failed"
    headers = {
        **signed_headers(
            delivery.webhook_id,
            delivery.payload,
            signing_secrets(endpoint, now),
            timezone.now(),
        ),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
    attempted_at = timezone.now()
    response = send(endpoint.url, headers, delivery.payload, timeout)
    return record_outcome(delivery, claim, attempted_at, response)


def record_outcome(
    delivery: Delivery, claim: uuid.UUID, attempted_at: datetime, response: Response
) -> str:
    """Log the attempt; settle the delivery or schedule its retry; track health."""
    now = timezone.now()
    mine = Delivery.objects.filter(id=delivery.id, claim=claim)
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery,
            at=attempted_at,
            status_code=response.status_code,
            duration_ms=response.duration_ms,
            error=response.error,
            response_excerpt=response.excerpt,
        )
        if response.succeeded:
            mine.update(
                status=Delivery.Status.DELIVERED,
                next_attempt_at=None,
                claim=None,
                updated_at=now,
            )
            # Touch the endpoint row only when its health changes or once a
            # minute: under load, every success writing it would queue the
            # workers behind one row lock.
            Endpoint.objects.filter(id=delivery.endpoint_id).filter(
                Q(failing_since__isnull=False)
                | Q(last_success_at__isnull=True)
                | Q(last_success_at__lt=now - SUCCESS_TOUCH_INTERVAL)
            ).update(failing_since=None, last_success_at=now)
            return "delivered"
        Endpoint.objects.filter(
            id=delivery.endpoint_id, failing_since__isnull=True
        ).update(failing_since=attempted_at)
        if response.status_code == 410:
            mine.update(status=Delivery.Status.FAILED, next_attempt_at=None, claim=None)
            health.disable_endpoint(delivery.endpoint_id, health.GONE_REASON, now)
            return "gone"
        delay = delay_before_attempt(
            delivery.attempt_count + 1,
            parse_retry_after(response.retry_after, now),
        )
        if delay is None:
            mine.update(
                status=Delivery.Status.FAILED,
                next_attempt_at=None,
                claim=None,
                updated_at=now,
            )
            return "failed"
        due = now + timedelta(seconds=delay)
        short = delay <= COUNTDOWN_LIMIT
        updated = mine.update(
            next_attempt_at=due,
            claim=None,
            queued_until=due + REQUEUE_AFTER if short else None,
            updated_at=now,
        )
        if updated and short:
            transaction.on_commit(
                lambda: enqueue_attempts([delivery.id], countdown=delay), robust=True
            )
    return "retry"


class EndpointDisabled(Exception):
    pass


def redeliver(delivery_id: int, now: datetime | None = None) -> Delivery:
    """Send a delivery again, same ``webhook-id``, with a fresh round of retries."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("endpoint")
            .get(id=delivery_id)
        )
        if not delivery.endpoint.active:
            raise EndpointDisabled(
                "The endpoint is disabled; re-enable it before redelivering."
            )
        delivery.status = Delivery.Status.PENDING
        delivery.attempt_count = 0
        delivery.next_attempt_at = now
        delivery.claim = None
        delivery.queued_until = now + REQUEUE_AFTER
        delivery.save(
            update_fields=[
                "status",
                "attempt_count",
                "next_attempt_at",
                "claim",
                "queued_until",
                "updated_at",
            ]
        )
        transaction.on_commit(lambda: enqueue_attempts([delivery_id]), robust=True)
    return delivery


def sweep_due_deliveries(now: datetime | None = None) -> int:
    """Enqueue due deliveries with no task believed queued; disable dead endpoints.

    Cheap enough to run every second: one indexed query on pending deliveries.
    Any number of concurrent sweeps is harmless (SKIP LOCKED, and claims dedupe).
    """
    now = now or timezone.now()
    health.disable_failing_endpoints(now)
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(queued_until__isnull=True) | Q(queued_until__lte=now))
            .order_by("next_attempt_at")
            .values_list("id", flat=True)[:SWEEP_BATCH]
        )
        if ids:
            Delivery.objects.filter(id__in=ids).update(queued_until=now + REQUEUE_AFTER)
            transaction.on_commit(lambda: enqueue_attempts(ids), robust=True)
    return len(ids)


def prune_log(now: datetime | None = None, batch: int = 5000) -> int:
    """Delete attempts and settled deliveries older than the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBHOOK_LOG_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(
            Attempt.objects.filter(at__lt=cutoff).values_list("id", flat=True)[:batch]
        )
        if not ids:
            break
        deleted += Attempt.objects.filter(id__in=ids).delete()[0]
    while True:
        ids = list(
            Delivery.objects.filter(created_at__lt=cutoff)
            .exclude(status=Delivery.Status.PENDING)
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            break
        deleted += Delivery.objects.filter(id__in=ids).delete()[0]
    return deleted
