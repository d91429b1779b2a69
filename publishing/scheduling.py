"""Scheduling to the second: plan, sweep, publish at T, expire at T, releases.

The truth is Wagtail's own schedule in PostgreSQL: ``Revision.approved_go_live_at``
(set by every door that schedules: the admin's go-live field, a workflow approval,
Wagtail API v3, our publishing API) and ``Page.expire_at`` on live pages. Redis only
carries reminders:

1. The beat runs :func:`sweep` every second. It reads what is due within
   :data:`HORIZON` and hands each item to a worker with an ETA at its exact time
   (never more than a minute ahead, far below the broker's visibility timeout). A
   short-lived marker in the cache keeps one tick from re-sending what the previous
   tick already sent. The marker is named after the workers holding reminders
   (publishing/reminders.py): if one of them dies, comes back or reconnects to the
   broker, the next tick sends everything pending again; if Redis loses the marker
   it loses the message too, and the next tick sends it again.
2. The worker calls :func:`publish_revision_if_due` (or the expiry/release twin):
   in one transaction it locks the page row (``SELECT … FOR UPDATE``), re-reads the
   schedule and acts only if it is still pending and due. Wagtail's publish clears
   ``approved_go_live_at`` in that same transaction: that is the compare-and-set.
   A duplicate delivery, a racing worker, a second beat or ``publish_scheduled``
   (ours, see management/commands) waits for the lock, then finds nothing to do.
3. The published revision is the one approved for T, not the latest draft: a change
   made after scheduling does not go live unless it was scheduled too.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page, Revision

from cms.content.models import ArticlePage
from publishing import bulk, events
from publishing.models import Release, ReleaseItem, ScheduleZone

logger = logging.getLogger(__name__)

# Items due within this window are handed to workers with an ETA; later ones wait
# in the database. Far below celery_app.MAX_COUNTDOWN and the visibility timeout.
HORIZON = timedelta(seconds=60)
# After an item's time, how long a sent reminder is trusted before the sweep sends
# another, when nothing says it was lost: a worker lost, back or reconnected, or
# Redis emptied, makes the sweep send it again at once (see sweep()); this is the
# last resort for a loss nothing saw.
RESEND_AFTER = 30
# A task that arrives this early (clock skew between machines) waits for T rather
# than publishing early; anything earlier is left to its own ETA'd reminder.
MAX_EARLY_WAIT = 2.0
# Reminders fire this much before T so that the lock and reads are done by T.
EARLY_START = timedelta(milliseconds=200)
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
    releases = Release.objects.filter(
        status=Release.Status.SCHEDULED, publish_at__lte=until
    ).values_list("id", "publish_at")[:limit]
    items = (
        [DueItem(PUBLISH, i, at) for i, at in publishes]
        + [DueItem(UNPUBLISH, i, at) for i, at in expiries]
        + [DueItem(RELEASE, i, at) for i, at in releases]
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
    from publishing import reminders, tasks

    now = now or timezone.now()
    result = SweepResult()
    senders = {
        UNPUBLISH: tasks.unpublish_page_task,
        RELEASE: tasks.publish_release_task,
    }
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
            senders[item.kind].apply_async(args=(item.id,), **_eta(item.due_at, now))
    for due_at, revision_ids in publishes.items():
        for start in range(0, len(revision_ids), bulk.BATCH_SIZE):
            tasks.publish_revisions_task.apply_async(
                args=(revision_ids[start : start + bulk.BATCH_SIZE],),
                **_eta(due_at, now),
            )
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


def _eta(due_at: datetime, now: datetime) -> dict:
    # Wake the worker a moment early: it takes the row locks and reads the
    # revisions, then publishes at T exactly (never before).
    return {"eta": due_at - EARLY_START} if due_at > now else {}


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


def _seconds_until(due_at: datetime) -> float:
    return (due_at - timezone.now()).total_seconds()


def _wait_until(due_at: datetime) -> bool:
    """Sleep until ``due_at`` if it is at most MAX_EARLY_WAIT away; else False."""
    early = _seconds_until(due_at)
    if early > MAX_EARLY_WAIT:
        return False
    if early > 0:
        time.sleep(early)
    return True


# --- Publish at T, expire at T -------------------------------------------------------


def publish_revision_if_due(revision_id: int, now: datetime | None = None) -> bool:
    """Publish this revision if it is still approved to go live and due. Once.

    Returns True if this call published it, False if there was nothing to do
    (already published, cancelled, superseded, not due yet, page deleted). Called
    without ``now`` by a worker that may wake up to EARLY_START ahead: it takes the
    lock and reads everything first, then waits for the exact time to publish.
    """
    pending = (
        Revision.page_revisions.filter(id=revision_id)
        .values_list("object_id", "approved_go_live_at")
        .first()
    )
    if pending is None or pending[1] is None:
        return False
    if now is None and _seconds_until(pending[1]) > MAX_EARLY_WAIT:
        return False
    with transaction.atomic():
        page = Page.objects.select_for_update().filter(id=int(pending[0])).first()
        if page is None:
            return False
        # Re-read under the page lock: whoever held it may have published it.
        revision = Revision.page_revisions.filter(id=revision_id).first()
        if revision is None or revision.approved_go_live_at is None:
            return False
        if now is None:
            _wait_until(revision.approved_go_live_at)
        if revision.approved_go_live_at > (now or timezone.now()):
            return False
        _publish_revision(revision, revision.approved_go_live_at)
    logger.info("published revision %s of page %s", revision_id, page.id)
    return True


def _publish_revision(revision: Revision, go_live_at: datetime | None) -> None:
    # Wagtail publishes from the revision's content and re-schedules instead if its
    # go_live_at is still ahead of the clock (a caller passing `now`, or a clock a
    # few ms behind the one that fired the ETA): pin it to "now or earlier".
    real_now = timezone.now()
    content_go_live = parse_datetime(revision.content.get("go_live_at") or "")
    if (go_live_at and go_live_at > real_now) or (
        content_go_live and content_go_live > real_now
    ):
        revision.content["go_live_at"] = real_now.isoformat()
    revision.publish(
        log_action="wagtail.publish.scheduled", skip_permission_checks=True
    )


def unpublish_page_if_expired(page_id: int, now: datetime | None = None) -> bool:
    """Unpublish this live page if its expiry has come. Once."""
    expire_at = (
        Page.objects.filter(id=page_id, live=True)
        .values_list("expire_at", flat=True)
        .first()
    )
    if expire_at is None:
        return False
    if now is None and not _wait_until(expire_at):
        return False
    with transaction.atomic():
        page = Page.objects.select_for_update().filter(id=page_id).first()
        current = timezone.now() if now is None else now
        if (
            page is None
            or not page.live
            or page.expire_at is None
            or page.expire_at > current
        ):
            return False
        page.specific.unpublish(
            set_expired=True, log_action="wagtail.unpublish.scheduled"
        )
    logger.info("unpublished expired page %s", page_id)
    return True


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
                done += len(bulk.publish_due(run, now=now or timezone.now()))
                run = []
        elif item.kind == UNPUBLISH:
            done += unpublish_page_if_expired(item.id, now=now or timezone.now())
        else:
            done += publish_release_if_due(item.id, now=now or timezone.now())
    return done


# --- Planning: what the publishing API and admin ask for ---------------------------


class ScheduleConflict(Exception):
    """The article is held by a scheduled release."""


def releases_holding(page_id: int, exclude_release: int | None = None) -> list[int]:
    queryset = ReleaseItem.objects.filter(
        article_id=page_id, release__status=Release.Status.SCHEDULED
    )
    if exclude_release is not None:
        queryset = queryset.exclude(release_id=exclude_release)
    return list(queryset.values_list("release_id", flat=True))


def schedule_article(
    page: ArticlePage,
    publish_at: datetime,
    unpublish_at: datetime | None,
    user=None,
    time_zone: str | None = None,
) -> Revision:
    """Schedule the article's latest content to go live at ``publish_at``.

    Exactly what the admin does when an editor sets "go-live" and publishes: a
    revision with the dates, approved to go live (Wagtail logs the scheduling, and
    our signal handler writes ``article.scheduled`` in the same transaction).
    Replaces any earlier schedule.
    """
    with transaction.atomic():
        Page.objects.select_for_update().filter(id=page.id).first()
        if releases_holding(page.id):
            raise ScheduleConflict(page.id)
        latest = page.get_latest_revision_as_object()
        latest.go_live_at = publish_at
        latest.expire_at = unpublish_at
        revision = latest.save_revision(user=user, log_action=False, clean=False)
        revision.publish(user=user, skip_permission_checks=True)
        revision.refresh_from_db()
        ScheduleZone.objects.update_or_create(
            page_id=page.id,
            defaults={"time_zone": time_zone or settings.TIME_ZONE},
        )
    return revision


def pending_publication(page_id: int) -> Revision | None:
    return (
        Revision.page_revisions.filter(
            object_id=str(page_id), approved_go_live_at__isnull=False
        )
        .order_by("-approved_go_live_at")
        .first()
    )


def cancel_schedule(page: Page, user=None) -> bool:
    """Cancel a pending publish (and any pending expiry). False if none was pending."""
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(id=page.id)
        cancelled = False
        revision = pending_publication(page.id)
        if revision is not None:
            revision.approved_go_live_at = None
            # Wagtail logs "wagtail.schedule.cancel" → article.unscheduled.
            revision.save(user=user, update_fields=["approved_go_live_at"])
            cancelled = True
        if locked.live and locked.expire_at is not None:
            expire_at = locked.expire_at
            Page.objects.filter(id=page.id).update(expire_at=None)
            if not cancelled:
                from publishing.payloads import schedule_data

                locked.refresh_from_db()
                events.record_event(
                    events.ARTICLE_UNSCHEDULED,
                    schedule_data(locked.specific, None, expire_at),
                )
            cancelled = True
    return cancelled


# --- Releases ---


class ReleaseError(Exception):
    def __init__(self, message: str, article_ids: list[int] | None = None) -> None:
        super().__init__(message)
        self.article_ids = article_ids or []


def release_failures(release: Release) -> list[dict]:
    """Why each article of the release could not go live now (empty: it can)."""
    items = list(release.items.all())
    page_ids = [item.article_id for item in items]
    pages = {p.id: p for p in Page.objects.filter(id__in=page_ids)}
    failures = []
    for item in items:
        page = pages.get(item.article_id)
        if page is None or item.page_id is None:
            reason = "the article was deleted"
        elif item.revision_id is None or item.revision is None:
            reason = "the article's scheduled revision no longer exists"
        elif Page.objects.ancestor_of(page).filter(depth__gt=1, live=False).exists():
            reason = "the article is under an unpublished parent"
        else:
            continue
        failures.append({"article_id": item.article_id, "reason": reason})
    if not items:
        failures.append({"article_id": None, "reason": "the release has no articles"})
    return failures


def schedule_release(release: Release, publish_at: datetime | None = None) -> Release:
    """Capture each article's latest revision and mark the release scheduled."""
    with transaction.atomic():
        release = Release.objects.select_for_update().get(id=release.id)
        if publish_at is not None:
            release.publish_at = publish_at
        if release.publish_at is None:
            raise ReleaseError("publish_at is required")
        items = list(release.items.select_related("page"))
        Page.objects.select_for_update().filter(
            id__in=[i.article_id for i in items]
        ).order_by("id").first()
        conflicts = []
        for item in items:
            if pending_publication(item.article_id) is not None or releases_holding(
                item.article_id, exclude_release=release.id
            ):
                conflicts.append(item.article_id)
        if conflicts:
            raise ReleaseError("articles are already scheduled", conflicts)
        for item in items:
            if item.page is not None:
                item.revision = item.page.specific.get_latest_revision() or (
                    item.page.specific.save_revision(log_action=False)
                )
                item.save(update_fields=["revision"])
        release.status = Release.Status.SCHEDULED
        release.failures = []
        release.save(update_fields=["publish_at", "status", "failures", "updated_at"])
    return release


def unschedule_release(release: Release) -> bool:
    updated = Release.objects.filter(
        id=release.id, status=Release.Status.SCHEDULED
    ).update(status=Release.Status.DRAFT, updated_at=timezone.now())
    return bool(updated)


def publish_release_if_due(release_id: int, now: datetime | None = None) -> bool:
    """All of the release's articles go live in one transaction, or none does."""
    publish_at = (
        Release.objects.filter(id=release_id, status=Release.Status.SCHEDULED)
        .values_list("publish_at", flat=True)
        .first()
    )
    if publish_at is None:
        return False
    if now is None and not _wait_until(publish_at):
        return False
    with transaction.atomic():
        release = Release.objects.select_for_update().filter(id=release_id).first()
        current = timezone.now() if now is None else now
        if (
            release is None
            or release.status != Release.Status.SCHEDULED
            or release.publish_at is None
            or release.publish_at > current
        ):
            return False
        items = list(release.items.select_related("revision"))
        list(
            Page.objects.select_for_update()
            .filter(id__in=[i.article_id for i in items])
            .order_by("id")
            .values_list("id", flat=True)
        )
        failures = release_failures(release)
        if not failures:
            failures = _publish_all_or_none(items)
        article_ids = [i.article_id for i in items]
        if failures:
            release.status = Release.Status.FAILED
            release.failures = failures
            release.save(update_fields=["status", "failures", "updated_at"])
            events.record_event(
                events.RELEASE_FAILED,
                {
                    "id": release.id,
                    "title": release.title,
                    "article_ids": article_ids,
                    "failures": failures,
                },
            )
            logger.warning("release %s failed: %s", release.id, failures)
            return True
        release.status = Release.Status.PUBLISHED
        release.failures = []
        release.save(update_fields=["status", "failures", "updated_at"])
        events.record_event(
            events.RELEASE_PUBLISHED,
            {"id": release.id, "title": release.title, "article_ids": article_ids},
        )
    logger.info("published release %s", release_id)
    return True


def _publish_all_or_none(items: list[ReleaseItem]) -> list[dict]:
    """Publish every item's revision inside a savepoint; on any error, none."""
    current = None
    try:
        with transaction.atomic():
            for item in items:
                current = item.article_id
                revision = item.revision
                revision.content["go_live_at"] = None
                revision.publish(
                    log_action="wagtail.publish.scheduled",
                    skip_permission_checks=True,
                )
    except Exception as exc:  # any failure rolls every article back
        logger.exception("release publish failed at article %s", current)
        return [{"article_id": current, "reason": f"publish failed: {exc}"}]
    return []


# --- The calendar ---


@dataclass
class CalendarItem:
    type: str
    at: datetime
    time_zone: str
    title: str
    article_id: int | None = None
    release_id: int | None = None


def calendar(start: datetime, end: datetime, limit: int = 1000) -> list[CalendarItem]:
    """Every pending publish, expiry and release with start ≤ at < end (4 queries)."""
    zones = {}
    publishes = list(
        Revision.page_revisions.filter(
            approved_go_live_at__gte=start, approved_go_live_at__lt=end
        ).values_list("object_id", "approved_go_live_at", "object_str")[:limit]
    )
    expiries = list(
        Page.objects.filter(
            live=True, expire_at__gte=start, expire_at__lt=end
        ).values_list("id", "expire_at", "title")[:limit]
    )
    page_ids = {int(p[0]) for p in publishes} | {e[0] for e in expiries}
    if page_ids:
        zones = dict(
            ScheduleZone.objects.filter(page_id__in=page_ids).values_list(
                "page_id", "time_zone"
            )
        )
    default = settings.TIME_ZONE
    items = [
        CalendarItem(PUBLISH, at, zones.get(int(pid), default), title, int(pid))
        for pid, at, title in publishes
    ] + [
        CalendarItem(UNPUBLISH, at, zones.get(pid, default), title, pid)
        for pid, at, title in expiries
    ]
    for rid, at, title, zone in Release.objects.filter(
        status=Release.Status.SCHEDULED, publish_at__gte=start, publish_at__lt=end
    ).values_list("id", "publish_at", "title", "time_zone")[:limit]:
        items.append(CalendarItem(RELEASE, at, zone or default, title, None, rid))
    items.sort(key=lambda item: item.at)
    return items[:limit]


def releases_at_risk(limit: int = 100) -> list[tuple[Release, list[dict]]]:
    """Scheduled releases that would fail if they went live now."""
    at_risk = []
    for release in Release.objects.filter(status=Release.Status.SCHEDULED).order_by(
        "publish_at"
    )[:limit]:
        failures = release_failures(release)
        if failures:
            at_risk.append((release, failures))
    return at_risk
