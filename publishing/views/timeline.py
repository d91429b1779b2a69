"""What the admin calendar shows: pending items by local day, and what went live."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import PageLogEntry, Revision
from wagtail.permission_policies.pages import PagePermissionPolicy

from publishing import scheduling
from publishing.local_time import ZonedTime, zoned
from publishing.models import Release, ReleaseItem

DAY = "day"
WEEK = "week"
SCHEDULED_PUBLISH = "wagtail.publish.scheduled"


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class CalendarDay:
    day: date
    items: list[scheduling.CalendarItem]


def first_day(view: str, day: date) -> date:
    """A view starts on ``day`` (today unless asked): a week is the seven days
    from it, not a calendar week with its past days first."""
    return day


def calendar_days(
    view: str, day: date, zone: ZoneInfo | None = None
) -> list[CalendarDay]:
    """The pending items of a local day or of seven days, grouped by local day
    (5 queries).

    The window is from local midnight to local midnight in ``zone`` (the editor's
    in the admin; the site's time zone by default), so a daylight-saving day is 23
    or 25 hours long.
    """
    zone = zone or site_zone()
    start_day = first_day(view, day)
    days = [start_day + timedelta(days=n) for n in range(7 if view == WEEK else 1)]
    start = datetime.combine(days[0], time.min, tzinfo=zone)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)
    by_day: dict[date, list[scheduling.CalendarItem]] = defaultdict(list)
    for item in scheduling.calendar(start, end):
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

    item: scheduling.CalendarItem
    when: ZonedTime
    can_publish: bool

    @property
    def key(self) -> str:
        return f"{self.item.type}-{self.item.article_id or self.item.release_id}"


def rows_for(user, items: list[scheduling.CalendarItem]) -> list[Row]:
    """The items ``user`` may see (articles they may edit, releases whose articles
    they may all edit), with whether they may publish them: 3 queries."""
    policy = PagePermissionPolicy()
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
            policy.instances_user_has_any_permission_for(user, [action])
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        ):
            rights[pk].add(action)
    # A release with no articles yet: for whoever may publish at all.
    publisher = policy.user_has_permission(user, "publish")
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
