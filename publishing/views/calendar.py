"""The publishing calendar: pending items by day or week; reschedule and cancel.

Reschedule and cancel go through the functions and rules of the publishing API
(``publishing.planning``, ``publishing.releases`` and the checks in
``publishing.api``): the editor needs
publish permission on the article, the new time must be in the future and before a
pending expiry, and an article held by a scheduled release cannot be rescheduled.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.content.models import ArticlePage
from publishing import permissions, planning, releases
from publishing.local_time import NonexistentTime, editor_zone, in_zone, zone_named
from publishing.models import Release, ScheduleZone
from publishing.sweep import UNPUBLISH
from publishing.views import timeline

RESCHEDULE_ARTICLE = "publishing_calendar_article_reschedule"
RESCHEDULE_RELEASE = "publishing_calendar_release_reschedule"


class InvalidTime(ValueError):
    pass


def parse_local(value: str, zone=None) -> datetime:
    """A ``datetime-local`` value (or ISO 8601 with an offset) as an aware time."""
    try:
        parsed = parse_datetime((value or "").strip()) if "\x00" not in value else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidTime("Enter a date and time.")
    if timezone.is_naive(parsed):
        try:
            parsed = in_zone(parsed, zone or timeline.site_zone())
        except NonexistentTime as exc:
            raise InvalidTime(str(exc)) from None
    return parsed


def parse_future(value: str, zone=None) -> datetime:
    at = parse_local(value, zone)
    if at <= timezone.now():
        raise InvalidTime("The new time is in the past.")
    return at


def can_publish(user, article: ArticlePage) -> bool:
    return article.permissions_for_user(user).can_publish()


class CalendarView(WagtailAdminTemplateMixin, TemplateView):
    """A month or week grid from today (FullCalendar, fed by :func:`events`), and
    below it the same items as a list with inline reschedule and cancel."""

    template_name = "publishing/calendar.html"
    page_title = "Publishing calendar"
    header_icon = "date"
    _show_breadcrumbs = True

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_view_and_day(self) -> tuple[str, date]:
        view = self.request.GET.get("view")
        view = view if view in (timeline.DAY, timeline.WEEK) else timeline.WEEK
        zone = editor_zone()
        try:
            day = date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            day = timezone.now().astimezone(zone).date()
        # Weeks either side must stay inside datetime's range.
        day = min(max(day, date(2, 1, 1)), date(9998, 12, 31))
        return view, day

    def grid_date(self, today: date) -> date:
        try:
            return date.fromisoformat(self.request.GET.get("on", ""))
        except ValueError:
            return today

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        view, day = self.get_view_and_day()
        zone = editor_zone()
        step = timedelta(days=7 if view == timeline.WEEK else 1)
        start = timeline.first_day(view, day)
        url = reverse("publishing_calendar")
        days = timeline.calendar_days(view, day, zone, user=self.request.user)
        rows = timeline.rows_for(
            self.request.user, [item for d in days for item in d.items]
        )
        by_day: dict[date, list[timeline.Row]] = {}
        for row in rows:
            by_day.setdefault(row.item.at.astimezone(zone).date(), []).append(row)
        now = timezone.now().astimezone(zone)
        context.update(
            view=view,
            day=day,
            zone=zone.key,
            agenda=[(d.day, by_day[d.day]) for d in days if d.day in by_day],
            last_day=start + step - timedelta(days=1),
            today=now.date(),
            previous_url=f"{url}?view={view}&date={start - step}",
            next_url=f"{url}?view={view}&date={start + step}",
            day_url=f"{url}?view=day&date={day}",
            week_url=f"{url}?view=week&date={day}",
            went_live=timeline.went_live_since(),
            back=self.request.get_full_path(),
            grid={
                "eventsUrl": reverse("publishing_calendar_events"),
                "zone": zone.key,
                "now": now.replace(tzinfo=None).isoformat(timespec="seconds"),
                # ?on=YYYY-MM-DD opens the grid there (today by default).
                "initialDate": self.grid_date(now.date()).isoformat(),
                # Both grids start today: the week on today's weekday.
                "firstDay": (now.weekday() + 1) % 7,
                "initialView": "week"
                if self.request.GET.get("grid") == "week"
                else "month",
            },
        )
        return context


def events(request: HttpRequest) -> JsonResponse:
    """FullCalendar's feed: the pending items between ``start`` and ``end``.

    The grid runs in "floating" time (``timeZone: "UTC"`` on the client, no zone
    plugin): each item's start is its wall-clock time in the editor's zone, and
    ``start``/``end`` are read as wall-clock times in that zone too.
    """
    zone = editor_zone()
    try:
        start = in_zone(_floating(request.GET["start"]), zone)
        end = in_zone(_floating(request.GET["end"]), zone)
    except (KeyError, ValueError):
        return JsonResponse({"error": "start and end are required"}, status=400)
    if end <= start or end - start > timedelta(days=62):
        return JsonResponse({"error": "at most 62 days at a time"}, status=400)
    feed = []
    for row in timeline.rows_for(request.user, timeline.calendar(start, end)):
        item = row.item
        if item.release_id:
            url = reverse("publishing_releases:detail", args=[item.release_id])
            move = reverse(
                "publishing_calendar_release_reschedule", args=[item.release_id]
            )
        else:
            url = reverse("wagtailadmin_pages:edit", args=[item.article_id])
            move = reverse(
                "publishing_calendar_article_reschedule", args=[item.article_id]
            )
        own = f"{row.when.own:%H:%M:%S} {row.when.own_zone}"
        feed.append(
            {
                "id": row.key,
                "title": item.title,
                "start": row.when.editor.isoformat(timespec="seconds"),
                "url": url,
                "classNames": [f"cms-cal-{item.type}"],
                "startEditable": row.can_publish and item.type != UNPUBLISH,
                "durationEditable": False,
                "extendedProps": {
                    "kind": item.type,
                    "own": own,
                    "reschedule": move,
                },
            }
        )
    return JsonResponse(feed, safe=False)


def _floating(value: str) -> datetime:
    """FullCalendar's ISO time in floating mode ("…Z"), as a naive wall-clock time."""
    parsed = parse_datetime(value.replace("Z", "+00:00"))
    if parsed is None:
        raise ValueError(value)
    return parsed.replace(tzinfo=None)


def posted_zone(request: HttpRequest, default: str | None) -> ZoneInfo:
    """The zone the posted time is in: the form says so (the grid's editor zone,
    the list's own zone of the item), else the item's own."""
    return zone_named(request.POST.get("zone") or default)


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if not target.startswith(reverse("publishing_calendar")):
        target = reverse("publishing_calendar")
    return HttpResponseRedirect(target)


def _article_for(request: HttpRequest, article_id: int) -> ArticlePage:
    article = get_object_or_404(ArticlePage, pk=article_id)
    if not can_publish(request.user, article):
        raise PermissionDenied
    return article


@require_POST
def reschedule_article(request: HttpRequest, article_id: int):
    article = _article_for(request, article_id)
    pending = planning.pending_publication(article.id)
    if pending is None:
        messages.error(request, f"Nothing is scheduled for “{article.title}”.")
        return _back(request)
    expire_at = parse_datetime(pending.content.get("expire_at") or "")
    zone = (
        ScheduleZone.objects.filter(page_id=article.id)
        .values_list("time_zone", flat=True)
        .first()
    )
    try:
        publish_at = parse_future(
            request.POST.get("at", ""), posted_zone(request, zone)
        )
        if expire_at is not None and expire_at <= publish_at:
            raise InvalidTime("The new time is after the article's expiry.")
        planning.schedule_article(
            article, publish_at, expire_at, user=request.user, time_zone=zone
        )
    except InvalidTime as exc:
        messages.error(request, f"“{article.title}” was not rescheduled: {exc}")
    except planning.ScheduleConflict:
        messages.error(request, f"“{article.title}” is held by a scheduled release.")
    else:
        messages.success(request, f"“{article.title}” rescheduled.")
    return _back(request)


@require_POST
def cancel_article(request: HttpRequest, article_id: int):
    article = _article_for(request, article_id)
    if planning.cancel_schedule(article, user=request.user):
        ScheduleZone.objects.filter(page_id=article.id).delete()
        messages.success(request, f"The schedule of “{article.title}” was cancelled.")
    else:
        messages.error(request, f"Nothing is scheduled for “{article.title}”.")
    return _back(request)


def schedule_release_for(request: HttpRequest, release: Release, publish_at) -> bool:
    """The API's rules for scheduling a release; a message says what happened."""
    if release.status not in (Release.Status.DRAFT, Release.Status.SCHEDULED):
        messages.error(request, f"“{release.title}” is {release.status}.")
        return False
    if publish_at is None and (
        release.publish_at is None or release.publish_at <= timezone.now()
    ):
        messages.error(request, "Set a publishing time in the future first.")
        return False
    if not permissions.can_manage_release(request.user, release):
        raise PermissionDenied
    try:
        releases.schedule_release(release, publish_at)
    except releases.ReleaseError as exc:
        messages.error(
            request, f"“{release.title}” was not scheduled: {exc} {exc.article_ids}"
        )
        return False
    messages.success(request, f"“{release.title}” is scheduled.")
    return True


@require_POST
def reschedule_release(request: HttpRequest, release_id: int):
    release = get_object_or_404(permissions.releases_for(request.user), pk=release_id)
    try:
        publish_at = parse_future(
            request.POST.get("at", ""), posted_zone(request, release.time_zone)
        )
    except InvalidTime as exc:
        messages.error(request, f"“{release.title}” was not rescheduled: {exc}")
        return _back(request)
    schedule_release_for(request, release, publish_at)
    return _back(request)


@require_POST
def cancel_release(request: HttpRequest, release_id: int):
    release = get_object_or_404(permissions.releases_for(request.user), pk=release_id)
    if not permissions.can_manage_release(request.user, release):
        raise PermissionDenied
    if releases.unschedule_release(release, user=request.user):
        messages.success(request, f"“{release.title}” is back to draft.")
    else:
        messages.error(request, f"“{release.title}” is not scheduled.")
    return _back(request)
