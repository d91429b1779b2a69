"""The outbox: the events the outside world hears of (webhooks), and their fan-out
to subscribers after commit.

Reactions inside the house (search, the read model, the response cache) listen to
publishing's signals instead (publishing/signals.py); the outbox is itself one of
their listeners for publishes and unpublishes (publishing/signal_handlers.py).

``record_event(type, data)`` writes an :class:`~publishing.models.Event` row in the
caller's transaction (the change and its event commit or roll back together) and,
once that transaction commits, sends one Celery task per subscriber carrying the
event's id. A subscriber gets each event at most once: its handler runs under a lock
on the (event, subscriber) receipt row, which is marked in the same transaction. An
event whose dispatch never reached the broker, or whose subscriber task was lost, is
re-sent by :func:`sweep_outbox` (beat, every 15 s), so none is lost either.

Subscribers are registered in :data:`SUBSCRIBERS` below and nowhere else. A handler
is ``handle_event(event: publishing.models.Event) -> None``; it runs inside a
transaction, so it should write its own rows (and enqueue its own work with
``transaction.on_commit``), not call slow services inline. A subscriber whose module
does not exist (yet) is skipped, not an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.celery_app import app
from publishing.models import Event, EventDelivery

logger = logging.getLogger(__name__)

# The event types of CONTRACT section 4.
ARTICLE_PUBLISHED = "article.published"
ARTICLE_UNPUBLISHED = "article.unpublished"
ARTICLE_UPDATED = "article.updated"
ARTICLE_SCHEDULED = "article.scheduled"
ARTICLE_UNSCHEDULED = "article.unscheduled"
RELEASE_PUBLISHED = "release.published"
RELEASE_FAILED = "release.failed"
RELEASE_UNSCHEDULED = "release.unscheduled"
EVENT_TYPES = (
    ARTICLE_PUBLISHED,
    ARTICLE_UNPUBLISHED,
    ARTICLE_UPDATED,
    ARTICLE_SCHEDULED,
    ARTICLE_UNSCHEDULED,
    RELEASE_PUBLISHED,
    RELEASE_FAILED,
    RELEASE_UNSCHEDULED,
)

# Who hears of each event, at least once, through a receipt per event (durable
# deliveries; reactions inside the house listen to publishing/signals.py):
# name → dotted path of ``handle_event(event)``. The name is the dedupe key, so
# never rename an entry that has received events.
SUBSCRIBERS: dict[str, str] = {
    # Signed HTTP deliveries to the configured webhook endpoints.
    "webhooks": "publishing.webhooks.handle_event",
}

# Events this old without a complete set of receipts are re-dispatched by the sweep;
# younger ones are still in flight after commit.
REDISPATCH_AFTER = timedelta(seconds=30)
# Beyond this age an incomplete event is left alone (and visible in the table).
REDISPATCH_MAX_AGE = timedelta(days=7)
SWEEP_BATCH = 500
# The subscriber tasks, sent by name (publishing/tasks.py imports this module).
DELIVER_EVENT_TASK = "publishing.tasks.deliver_event_task"
DELIVER_EVENTS_TASK = "publishing.tasks.deliver_events_task"
DISPATCH_EVENTS_TASK = "publishing.tasks.dispatch_events_task"
# article.updated events of one article within this window are one event: it is
# dispatched this long after it is recorded, and changes meanwhile join it.
COALESCE_WINDOW = timedelta(seconds=1)


def record_event(event_type: str, data: dict[str, Any]) -> Event:
    """Write an event to the outbox in the current transaction; send it on commit."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    event = Event.objects.create(type=event_type, data=data)
    event_id = event.id
    transaction.on_commit(lambda: dispatch_event(event_id), robust=True)
    return event


def record_events(event_type: str, datas: list[dict[str, Any]]) -> list[Event]:
    """``record_event`` for a batch: one INSERT, one dispatch after commit."""
    if len(datas) == 1:
        return [record_event(event_type, datas[0])]
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    if not datas:
        return []
    rows = Event.objects.bulk_create([Event(type=event_type, data=d) for d in datas])
    event_ids = [row.id for row in rows]
    transaction.on_commit(lambda: dispatch_events(event_ids), robust=True)
    return rows


def record_coalesced(event_type: str, datas: list[dict[str, Any]]) -> list[Event]:
    """Events about articles (``data["id"]``), at most one per article within
    :data:`COALESCE_WINDOW`: an event of the same type and article recorded less
    than that ago and not yet dispatched takes the new data (keeping its
    ``previous_url`` if the new one has none) instead of a new event. New events
    are dispatched one window after commit, so changes in that window join them."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    by_id = {d["id"]: d for d in datas}
    if not by_id:
        return []
    with transaction.atomic():
        return _coalesce(event_type, by_id)


def _coalesce(event_type: str, by_id: dict[int, dict[str, Any]]) -> list[Event]:
    pending = Event.objects.select_for_update().filter(
        type=event_type,
        dispatched_at__isnull=True,
        created_at__gte=timezone.now() - COALESCE_WINDOW,
        data__id__in=list(by_id),
    )
    for event in pending:
        data = by_id.pop(event.data.get("id"), None)
        if data is None:
            continue
        if data.get("previous_url") is None:
            data["previous_url"] = event.data.get("previous_url")
        event.data = data
        event.save(update_fields=["data"])
    if not by_id:
        return []
    rows = Event.objects.bulk_create(
        [Event(type=event_type, data=d) for d in by_id.values()]
    )
    event_ids = [row.id for row in rows]
    transaction.on_commit(
        lambda: app.send_task(
            DISPATCH_EVENTS_TASK,
            args=(event_ids,),
            countdown=COALESCE_WINDOW.total_seconds(),
        ),
        robust=True,
    )
    return rows


def dispatch_pending(event_ids: list[int]) -> None:
    """Dispatch those of these events not dispatched yet (coalesced ones)."""
    pending = list(
        Event.objects.filter(id__in=event_ids, dispatched_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    dispatch_events(pending)


def active_subscribers() -> dict[str, str]:
    """The registered subscribers whose module is importable right now."""
    active = {}
    for name, path in SUBSCRIBERS.items():
        try:
            import_string(path)
        except ImportError:
            continue
        active[name] = path
    return active


def dispatch_event(event_id: int) -> None:
    """Send one delivery task per subscriber, then mark the event dispatched.

    Called after commit. If the broker is unreachable this raises before marking,
    and the outbox sweep sends the event later.
    """
    subscribers = active_subscribers()
    for name in subscribers:
        app.send_task(DELIVER_EVENT_TASK, args=(event_id, name))
    _mark_dispatched([event_id], subscribers)


def dispatch_events(event_ids: list[int]) -> None:
    """``dispatch_event`` for a batch: one task per subscriber carrying every id."""
    if not event_ids:
        return
    subscribers = active_subscribers()
    for name in subscribers:
        app.send_task(DELIVER_EVENTS_TASK, args=(list(event_ids), name))
    _mark_dispatched(event_ids, subscribers)


def _mark_dispatched(event_ids: list[int], subscribers: dict[str, str]) -> None:
    """Sent to every subscriber; with none registered, there is nothing left to do."""
    now = timezone.now()
    Event.objects.filter(id__in=event_ids, dispatched_at__isnull=True).update(
        dispatched_at=now
    )
    if not subscribers:
        Event.objects.filter(id__in=event_ids, completed_at__isnull=True).update(
            completed_at=now
        )


def deliver_event(event_id: int, subscriber: str) -> bool:
    """Hand one event to one subscriber, once. Returns False if it already had it."""
    path = SUBSCRIBERS.get(subscriber)
    if path is None:
        logger.warning("event %s for unknown subscriber %s", event_id, subscriber)
        return False
    handler: Callable[[Event], None] = import_string(path)
    with transaction.atomic():
        event = Event.objects.filter(id=event_id).first()
        if event is None:
            return False
        EventDelivery.objects.get_or_create(event=event, subscriber=subscriber)
        receipt = EventDelivery.objects.select_for_update().get(
            event=event, subscriber=subscriber
        )
        if receipt.delivered_at is not None:
            return False
        receipt.attempts += 1
        handler(event)
        receipt.delivered_at = timezone.now()
        receipt.save(update_fields=["attempts", "delivered_at"])
        _mark_complete_if_done(event)
    return True


def _mark_complete_if_done(event: Event) -> None:
    names = set(active_subscribers())
    delivered = set(
        EventDelivery.objects.filter(
            event=event, delivered_at__isnull=False
        ).values_list("subscriber", flat=True)
    )
    if names <= delivered:
        Event.objects.filter(id=event.id, completed_at__isnull=True).update(
            completed_at=timezone.now()
        )


def sweep_outbox(now: datetime | None = None) -> int:
    """Re-dispatch events never dispatched, or dispatched but not fully received.

    Oldest first. Duplicates are harmless (receipts dedupe), so this can run from
    any number of beats. Returns how many events were re-sent.
    """
    now = now or timezone.now()
    pending = list(
        Event.objects.filter(
            completed_at__isnull=True,
            created_at__lt=now - REDISPATCH_AFTER,
            created_at__gte=now - REDISPATCH_MAX_AGE,
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )
    sent = 0
    for event_id in pending:
        try:
            dispatch_event(event_id)
        except Exception:
            logger.exception("outbox: could not dispatch event %s", event_id)
            break
        sent += 1
    return sent
