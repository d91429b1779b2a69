"""Go-live: a scheduled publish or expiry happens at its time, once.

The truth is Wagtail's own schedule in the database: ``Revision.approved_go_live_at``
(set by every door that schedules: the admin's go-live field, a workflow approval,
Wagtail API v3, our publishing API) and ``Page.expire_at`` on live pages. A worker
handed an item by the sweep (publishing/sweep.py) follows one protocol,
:func:`due_under_lock`, whatever the item (a revision, a batch of them, an expiry,
a release in publishing/releases.py):

1. in one transaction it locks the rows (``SELECT … FOR UPDATE``, in id order, so
   that a batch, a release and a single publish never deadlock);
2. re-reads the schedule under the lock: whoever held the lock may have done it;
3. waits for T if it woke up early (the sweep wakes it ``EARLY_START`` ahead, so
   the lock and the reads are done by T), and acts only on what is due.

Wagtail's publish clears ``approved_go_live_at`` in that same transaction: that is
the compare-and-set. A duplicate delivery, a racing worker, a second beat or
``publish_scheduled`` waits for the lock, then finds nothing to do. The revision
published is the one approved for T, not the latest draft: a change made after
scheduling does not go live unless it was scheduled too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page, Revision

from publishing import bulk

logger = logging.getLogger(__name__)

# A task that arrives this early (clock skew between machines) waits for T rather
# than publishing early; anything earlier is left to its own reminder.
MAX_EARLY_WAIT = 2.0
# Reminders fire this much before T so that the lock and reads are done by T.
EARLY_START = timedelta(milliseconds=200)

Item = TypeVar("Item")


# --- The protocol ---


def seconds_until(due_at: datetime) -> float:
    return (due_at - timezone.now()).total_seconds()


def wait_until(due_at: datetime) -> bool:
    """Sleep until ``due_at`` if it is at most MAX_EARLY_WAIT away; else False."""
    early = seconds_until(due_at)
    if early > MAX_EARLY_WAIT:
        return False
    if early > 0:
        time.sleep(early)
    return True


def too_early(due_at: datetime, now: datetime | None) -> bool:
    """A worker (``now`` is None) leaves an item more than MAX_EARLY_WAIT ahead to
    the reminder the sweep will send nearer its time."""
    return now is None and seconds_until(due_at) > MAX_EARLY_WAIT


def due_under_lock(
    lock: Callable[[], object],
    recheck: Callable[[], list[Item]],
    due_at: Callable[[Item], datetime],
    now: datetime | None,
) -> tuple[list[Item], datetime]:
    """Lock, re-read, wait for T: the items still pending and due, and the moment
    to act as of. Call it inside the transaction that acts on them.

    ``lock`` takes the row locks (nothing is read before it returns); ``recheck``
    re-reads what is still pending. Without ``now`` (a worker), wait for each
    item's time if it is near, then act as of the clock; with ``now`` (the
    ``publish_scheduled`` command, tests), act as of ``now``.
    """
    if not lock():
        return [], now or timezone.now()
    items = recheck()
    if now is None:
        for moment in sorted(due_at(item) for item in items):
            wait_until(moment)
        now = timezone.now()
    return [item for item in items if due_at(item) <= now], now


def lock_pages(page_ids: Iterable[int]) -> list[int]:
    """Lock these page rows in id order (as every multi-page lock here does);
    returns the ids that still exist."""
    return list(
        Page.objects.select_for_update()
        .filter(id__in=list(page_ids))
        .order_by("id")
        .values_list("id", flat=True)
    )


# --- Publish at T ---


def publish_revision_if_due(revision_id: int, now: datetime | None = None) -> bool:
    """Publish this revision if it is still approved to go live and due. Once.

    Returns True if this call published it, False if there was nothing to do
    (already published, cancelled, superseded, not due yet, page deleted).
    """
    pending = (
        Revision.page_revisions.filter(id=revision_id)
        .values_list("object_id", "approved_go_live_at")
        .first()
    )
    if pending is None or pending[1] is None or too_early(pending[1], now):
        return False
    page_id = int(pending[0])
    with transaction.atomic():
        due, _ = due_under_lock(
            lambda: lock_pages([page_id]),
            lambda: list(
                Revision.page_revisions.filter(
                    id=revision_id, approved_go_live_at__isnull=False
                )
            ),
            lambda revision: revision.approved_go_live_at,
            now,
        )
        if not due:
            return False
        publish_revision(due[0])
    logger.info("published revision %s of page %s", revision_id, page_id)
    return True


def publish_revision(revision: Revision) -> None:
    """Wagtail's own publish of a revision approved to go live now."""
    # Wagtail publishes from the revision's content and re-schedules instead if its
    # go_live_at is still ahead of the clock (a caller passing `now`, or a clock a
    # few ms behind the one that fired the ETA): pin it to "now or earlier".
    real_now = timezone.now()
    go_live_at = revision.approved_go_live_at
    content_go_live = parse_datetime(revision.content.get("go_live_at") or "")
    if (go_live_at and go_live_at > real_now) or (
        content_go_live and content_go_live > real_now
    ):
        revision.content["go_live_at"] = real_now.isoformat()
    revision.publish(
        log_action="wagtail.publish.scheduled", skip_permission_checks=True
    )


def publish_revisions_if_due(
    revision_ids: Iterable[int], now: datetime | None = None
) -> list[int]:
    """Publish those of these revisions that are still approved and due, in one
    transaction through the batch writer (publishing/bulk.py). Once.

    Pages the batch writer leaves to Wagtail are published one by one after the
    batch, and if the batch fails at all (say a related article was deleted and a
    foreign key fails), each of its revisions is retried that way, so one bad page
    fails alone, with Wagtail's own validation error. Returns the ids of the
    revisions this call published.
    """
    ids = sorted({int(i) for i in revision_ids})
    if not ids:
        return []
    one_by_one: list[int] = []
    try:
        with transaction.atomic():
            done, one_by_one = _publish_batch(ids, now)
    except Exception:
        logger.exception(
            "bulk publish of %d revisions failed; publishing them one by one", len(ids)
        )
        done, one_by_one = [], ids
    for revision_id in one_by_one:
        try:
            if publish_revision_if_due(revision_id, now=now):
                done.append(revision_id)
        except Exception:
            logger.exception("publishing revision %s failed", revision_id)
    if done:
        logger.info("published %d scheduled revisions", len(done))
    return done


def _publish_batch(ids: list[int], now: datetime | None) -> tuple[list[int], list[int]]:
    page_ids = {
        int(object_id)
        for object_id in Revision.page_revisions.filter(
            id__in=ids, approved_go_live_at__isnull=False
        ).values_list("object_id", flat=True)
    }
    if not page_ids:
        return [], []
    due, current = due_under_lock(
        lambda: lock_pages(page_ids),
        lambda: list(
            Revision.page_revisions.filter(
                id__in=ids, approved_go_live_at__isnull=False
            )
        ),
        lambda revision: revision.approved_go_live_at,
        now,
    )
    if not due:
        return [], []
    return bulk.publish_revisions(due, current)


# --- Expire at T ---


def unpublish_page_if_expired(page_id: int, now: datetime | None = None) -> bool:
    """Unpublish this live page if its expiry has come. Once."""
    expire_at = (
        Page.objects.filter(id=page_id, live=True)
        .values_list("expire_at", flat=True)
        .first()
    )
    if expire_at is None or too_early(expire_at, now):
        return False
    with transaction.atomic():
        due, _ = due_under_lock(
            lambda: lock_pages([page_id]),
            lambda: list(
                Page.objects.filter(id=page_id, live=True, expire_at__isnull=False)
            ),
            lambda page: page.expire_at,
            now,
        )
        if not due:
            return False
        due[0].specific.unpublish(
            set_expired=True, log_action="wagtail.unpublish.scheduled"
        )
    logger.info("unpublished expired page %s", page_id)
    return True
