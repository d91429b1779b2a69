"""The sweep: what is due, handed to the workers to the second.

The truth is the schedule in the database (publishing/golive.py); Redis only
carries reminders. The beat runs :func:`sweep` every second
(``sweep_schedules_task``): it reads what is due within :data:`HORIZON` and hands
each item to a worker with an ETA at its exact time (never more than a minute
ahead, far below the broker's visibility timeout). A short-lived marker in the
cache keeps one tick from re-sending what the previous tick already sent. The marker
is named after the workers holding reminders (publishing/reminders.py): if one of
them dies, comes back or reconnects to the broker, the next tick sends everything
pending again; if Redis loses the marker it loses the message too, and the next
tick sends it again.
:func:`run_due_now` does everything due in this process (``publish_scheduled``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page, Revision

from cms.celery_app import app
from publishing import bulk, golive, releases, reminders
from publishing.models import Release

logger = logging.getLogger(__name__)

# Items due within this window are handed to workers with an ETA; later ones wait
# in the database. Far below celery_app.MAX_COUNTDOWN and the visibility timeout.
HORIZON = timedelta(seconds=60)
# After an item's time, how long a sent reminder is trusted before the sweep sends
# another, when nothing says it was lost: a worker lost, back or reconnected, or
# Redis emptied, makes the sweep send it again at once (see sweep()); this is the
# last resort for a loss nothing saw.
RESEND_AFTER = 30
# Per tick, at most this many items are handed out: a 1,000-item second is sent in
# a single tick, a backlog of 100,000 in a few.
SWEEP_LIMIT = 5000
LAST_SWEEP_KEY = "publishing:last-sweep"
# At most one sweep per SWEEP_MIN_GAP_MS: the sweeps the beat queued while every
# worker was down arrive together when one comes back, and each sends everything
# due, so one is enough; the others would hold the worker's few prefetch slots that
# the publishes need. Half the beat's interval, so the beat's own ticks always run.
SWEEP_GATE_KEY = "publishing:sweep-gate"
SWEEP_MIN_GAP_MS = 500

PUBLISH = "publish"
UNPUBLISH = "unpublish"
RELEASE = "release"
# The task each kind of reminder is sent to, by name (publishing/tasks.py).
REMINDER_TASKS = {
    PUBLISH: "publishing.tasks.publish_revisions_task",
    UNPUBLISH: "publishing.tasks.unpublish_page_task",
    RELEASE: "publishing.tasks.publish_release_task",
}


@dataclass
class DueItem:
    kind: str  # PUBLISH, UNPUBLISH or RELEASE
    id: int  # revision id, page id or release id
    due_at: datetime


@dataclass
class SweepResult:
    sent: list[DueItem] = field(default_factory=list)
    skipped: int = 0


# --- What is due ---


def due_items(until: datetime, limit: int = SWEEP_LIMIT) -> list[DueItem]:
    """Everything scheduled at or before ``until``, oldest first (3 queries)."""
    publishes = Revision.page_revisions.filter(
        approved_go_live_at__isnull=False, approved_go_live_at__lte=until
    ).values_list("id", "approved_go_live_at")[:limit]
    expiries = Page.objects.filter(
        live=True, expire_at__isnull=False, expire_at__lte=until
    ).values_list("id", "expire_at")[:limit]
    releases_due = Release.objects.filter(
        status=Release.Status.SCHEDULED, publish_at__lte=until
    ).values_list("id", "publish_at")[:limit]
    items = (
        [DueItem(PUBLISH, i, at) for i, at in publishes]
        + [DueItem(UNPUBLISH, i, at) for i, at in expiries]
        + [DueItem(RELEASE, i, at) for i, at in releases_due]
    )
    items.sort(key=lambda item: (item.due_at, item.kind, item.id))
    return items[:limit]


def oldest_overdue(now: datetime | None = None, grace: float = 5.0) -> DueItem | None:
    """The oldest item more than ``grace`` seconds past its time, if any."""
    now = now or timezone.now()
    items = due_items(now - timedelta(seconds=grace), limit=1)
    return items[0] if items else None


# --- The sweep ---


def sweep(now: datetime | None = None) -> SweepResult:
    """Hand everything due within HORIZON to the workers, each with an ETA at T.

    What an earlier tick sent is not sent again while the workers that took it are
    the same (the markers carry the name of the live reminder leases) and the cache
    still has its marker, up to RESEND_AFTER past its time.
    """
    now = now or timezone.now()
    result = SweepResult()
    # Publishes due at the same instant travel together, BATCH_SIZE per message,
    # so that a burst is published in bulk (publishing/bulk.py) by every worker
    # process at once.
    publishes: dict[datetime, list[int]] = {}
    resend_after = getattr(settings, "PUBLISHING_RESEND_AFTER", RESEND_AFTER)
    holders = reminders.holders()
    items = due_items(now + HORIZON)
    claimed = _claim_markers(
        [
            (
                f"publishing:sent:{holders}:{item.kind}:{item.id}:"
                f"{item.due_at.timestamp()}",
                max((item.due_at - now).total_seconds(), 0) + resend_after,
            )
            for item in items
        ]
    )
    for item, fresh in zip(items, claimed, strict=True):
        if not fresh:
            result.skipped += 1
            continue
        result.sent.append(item)
        if item.kind == PUBLISH:
            publishes.setdefault(item.due_at, []).append(item.id)
        else:
            _remind(item.kind, item.id, item.due_at, now)
    for due_at, revision_ids in publishes.items():
        for start in range(0, len(revision_ids), bulk.BATCH_SIZE):
            _remind(PUBLISH, revision_ids[start : start + bulk.BATCH_SIZE], due_at, now)
    try:
        cache.set(LAST_SWEEP_KEY, now.isoformat(), timeout=None)
    except Exception:
        logger.warning("could not record the sweep time", exc_info=True)
    return result


def sweep_unless_just_swept() -> SweepResult | None:
    """:func:`sweep`, unless another one started within SWEEP_MIN_GAP_MS (None)."""
    try:
        client = cache._cache.get_client(write=True)
        key = cache.make_key(SWEEP_GATE_KEY)
        if not client.set(key, 1, nx=True, px=SWEEP_MIN_GAP_MS):
            return None
    except Exception:  # no cache: sweep anyway (the markers are gone too)
        pass
    return sweep()


def _remind(kind: str, ids, due_at: datetime, now: datetime) -> None:
    # Sent by name: the task module imports this one, not the reverse.
    app.send_task(REMINDER_TASKS[kind], args=(ids,), **_eta(due_at, now))


def _eta(due_at: datetime, now: datetime) -> dict:
    # Wake the worker a moment early: it takes the row locks and reads the
    # revisions, then publishes at T exactly (never before).
    return {"eta": due_at - golive.EARLY_START} if due_at > now else {}


def _claim_markers(markers: list[tuple[str, float]]) -> list[bool]:
    """For each (key, ttl): True if this call set the marker (send the item).

    One round trip for the lot: a tick before a burst of 1,000 would otherwise make
    1,000, every second, and recovery waits behind ticks.
    """
    if not markers:
        return []
    try:
        pipe = cache._cache.get_client(write=True).pipeline(transaction=False)
        for key, ttl in markers:
            pipe.set(cache.make_key(key), 1, nx=True, ex=int(ttl) + 1)
        return [bool(done) for done in pipe.execute()]
    except Exception:
        # No cache: send anyway; the row lock makes duplicates harmless.
        return [True] * len(markers)


def last_sweep_at() -> datetime | None:
    try:
        value = cache.get(LAST_SWEEP_KEY)
    except Exception:
        return None
    return datetime.fromisoformat(value) if value else None


def run_due_now(now: datetime | None = None) -> int:
    """Do everything due, in time order, in this process (``publish_scheduled``)."""
    done = 0
    items = due_items(now or timezone.now())
    # Runs of publishes due at the same time go through the bulk path together;
    # time order is kept between runs.
    run: list[int] = []
    for position, item in enumerate(items):
        if item.kind == PUBLISH:
            run.append(item.id)
            following = items[position + 1] if position + 1 < len(items) else None
            if (
                following is None
                or following.kind != PUBLISH
                or following.due_at != item.due_at
                or len(run) >= bulk.BATCH_SIZE
            ):
                done += len(
                    golive.publish_revisions_if_due(run, now=now or timezone.now())
                )
                run = []
        elif item.kind == UNPUBLISH:
            done += golive.unpublish_page_if_expired(item.id, now=now or timezone.now())
        else:
            done += releases.publish_release_if_due(item.id, now=now or timezone.now())
    return done
