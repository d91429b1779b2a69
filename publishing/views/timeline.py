"""What the calendar shows: every pending publish, expiry and release between two
times (:func:`calendar`, read by the admin calendar and the publishing API's
``/schedule/``), by local day, and what went live."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page, PageLogEntry, Revision

from publishing import permissions
from publishing.local_time import ZonedTime, zoned
from publishing.models import Release, ReleaseItem, ScheduleZone
from publishing.sweep import PUBLISH, RELEASE, UNPUBLISH

DAY = "day"
WEEK = "week"
SCHEDULED_PUBLISH = "wagtail.publish.scheduled"


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class CalendarItem:
    type: str
    at: datetime
    time_zone: str
    title: str
    article_id: int | None = None
    release_id: int | None = None


def calendar(
    start: datetime,
    end: datetime,
    limit: int = 1000,
    pages=None,
    releases=None,
) -> list[CalendarItem]:
    """Every pending publish, expiry and release with start ≤ at < end (5 queries).

    ``pages`` and ``releases`` (querysets) narrow it to what a user may see
    (``publishing.permissions``); ``None`` means everything.

    A pending publish is a revision approved to go live. A pending expiry is either
    the ``expire_at`` such a revision carries (a draft scheduled with an unpublish
    time, or a live article's scheduled republish), which becomes the page's when
    the revision goes live, or a live page's own ``expire_at`` — unless a scheduled
    revision goes live first and so replaces it.
    """
    zones = {}
    pending = Revision.page_revisions.filter(approved_go_live_at__isnull=False)
    live_pages = Page.objects.filter(live=True)
    if pages is not None:
        page_keys = pages.annotate(key=Cast("id", CharField())).values("key")
        pending = pending.filter(object_id__in=page_keys)
        live_pages = live_pages.filter(id__in=pages.values("id"))
    publishes = list(
        pending.filter(
            approved_go_live_at__gte=start, approved_go_live_at__lt=end
        ).values_list("object_id", "approved_go_live_at", "object_str")[:limit]
    )
    # A revision's expiry comes after its go-live, so only revisions going live
    # before the window ends can carry one inside it; the time is JSON text in the
    # revision's content, compared here rather than in SQL.
    scheduled_expiries = [
        (int(pid), at, title)
        for pid, raw, title in pending.filter(approved_go_live_at__lt=end)
        .exclude(content__expire_at=None)
        .values_list("object_id", "content__expire_at", "object_str")
        if (at := _content_time(raw)) is not None and start <= at < end
    ]
    replaced = pending.filter(
        object_id=Cast(OuterRef("pk"), CharField()),
        approved_go_live_at__lte=OuterRef("expire_at"),
    )
    expiries = list(
        live_pages.filter(expire_at__gte=start, expire_at__lt=end)
        .exclude(Exists(replaced))
        .values_list("id", "expire_at", "title")[:limit]
    )
    page_ids = (
        {int(p[0]) for p in publishes}
        | {e[0] for e in expiries}
        | {e[0] for e in scheduled_expiries}
    )
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
        for pid, at, title in (*expiries, *scheduled_expiries)
    ]
    for rid, at, title, zone in (
        (Release.objects.all() if releases is None else releases)
        .filter(
            status=Release.Status.SCHEDULED, publish_at__gte=start, publish_at__lt=end
        )
        .values_list("id", "publish_at", "title", "time_zone")[:limit]
    ):
        items.append(CalendarItem(RELEASE, at, zone or default, title, None, rid))
    items.sort(key=lambda item: item.at)
    return items[:limit]


def _content_time(raw) -> datetime | None:
    """A time from a revision's JSON content, aware (as the page field would be)."""
    moment = parse_datetime(raw) if isinstance(raw, str) else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@dataclass
class CalendarDay:
    day: date
    items: list[CalendarItem]


def first_day(view: str, day: date) -> date:
    """A view starts on ``day`` (today unless asked): a week is the seven days
    from it, not a calendar week with its past days first."""
    return day


def calendar_days(
    view: str, day: date, zone: ZoneInfo | None = None, user=None
) -> list[CalendarDay]:
    """The pending items of a local day or of seven days, grouped by local day
    (5 queries).

    The window is from local midnight to local midnight in ``zone`` (the editor's
    in the admin; the site's time zone by default), so a daylight-saving day is 23
    or 25 hours long.
    """
    zone = zone or site_zone()
    visible = {}
    if user is not None:
        visible = {
            "pages": permissions.pages_for(user),
            "releases": permissions.releases_for(user),
        }
    start_day = first_day(view, day)
    days = [start_day + timedelta(days=n) for n in range(7 if view == WEEK else 1)]
    start = datetime.combine(days[0], time.min, tzinfo=zone)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)
    by_day: dict[date, list[CalendarItem]] = defaultdict(list)
    for item in calendar(start, end, **visible):
        by_day[item.at.astimezone(zone).date()].append(item)
    return [CalendarDay(d, by_day.get(d, [])) for d in days]


@dataclass
class WentLive:
    type: str  # "publish" or "release"
    title: str
    live_at: datetime
    due_at: datetime | None
    article_id: int | None = None
    release_id: int | None = None

    @property
    def lateness_s(self) -> float | None:
        if self.due_at is None:
            return None
        return (self.live_at - self.due_at).total_seconds()


def went_live_since(since: datetime | None = None, limit: int = 200) -> list[WentLive]:
    """Scheduled publishes and releases that went live since ``since`` (default 24 h).

    Lateness is measured from the time the item was scheduled for: the go-live time
    in the published revision, or its release's time (3 queries).
    """
    since = since or timezone.now() - timedelta(hours=24)
    entries = list(
        PageLogEntry.objects.filter(action=SCHEDULED_PUBLISH, timestamp__gte=since)
        .order_by("-timestamp", "-id")
        .values_list("page_id", "revision_id", "timestamp", "label")[:limit]
    )
    revision_ids = [e[1] for e in entries if e[1]]
    planned = dict(
        Revision.objects.filter(id__in=revision_ids).values_list(
            "id", "content__go_live_at"
        )
    )
    in_release = dict(
        ReleaseItem.objects.filter(
            revision_id__in=revision_ids, release__status=Release.Status.PUBLISHED
        ).values_list("revision_id", "release_id")
    )
    out: list[WentLive] = []
    for page_id, revision_id, at, label in entries:
        if revision_id in in_release:
            continue  # shown once, as its release
        due = parse_datetime(planned.get(revision_id) or "")
        out.append(WentLive("publish", label, at, due, article_id=page_id))
    for release in Release.objects.filter(
        status=Release.Status.PUBLISHED, updated_at__gte=since
    ).order_by("-updated_at")[:limit]:
        out.append(
            WentLive(
                "release",
                release.title,
                release.updated_at,
                release.publish_at,
                release_id=release.id,
            )
        )
    out.sort(key=lambda item: item.live_at, reverse=True)
    return out


@dataclass
class Row:
    """A calendar item as an editor sees it: its time in its own zone and theirs,
    and whether they may move or cancel it."""

    item: CalendarItem
    when: ZonedTime
    can_publish: bool

    @property
    def key(self) -> str:
        return f"{self.item.type}-{self.item.article_id or self.item.release_id}"


def rows_for(user, items: list[CalendarItem]) -> list[Row]:
    """The items ``user`` may see (articles they may edit, releases whose articles
    they may all edit), with whether they may publish them: 3 queries."""
    article_ids = {i.article_id for i in items if i.article_id}
    release_ids = {i.release_id for i in items if i.release_id}
    members = defaultdict(set)
    for release_id, article_id in ReleaseItem.objects.filter(
        release_id__in=release_ids
    ).values_list("release_id", "article_id"):
        members[release_id].add(article_id)
    wanted = article_ids | {a for ids in members.values() for a in ids}
    rights: dict[int, set[str]] = defaultdict(set)
    for action in ("change", "publish"):
        for pk in (
            permissions.pages_for(user, action)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        ):
            rights[pk].add(action)
    # A release with no articles yet: for whoever may publish at all.
    publisher = permissions.may_publish_any(user)
    rows = []
    for item in items:
        ids = {item.article_id} if item.article_id else members[item.release_id]
        if not ids:
            visible = may_publish = publisher
        else:
            visible = all(rights[i] for i in ids)
            may_publish = all("publish" in rights[i] for i in ids)
        if visible:
            rows.append(Row(item, zoned(item.at, item.time_zone), may_publish))
    return rows
