"""Wall-clock times in a named zone, as editors enter and read them.

A schedule is stored in UTC with the IANA zone it was made in (``ScheduleZone``,
``Release.time_zone``). What an editor types ("09:00") means 09:00 *in that zone on
that day*: :func:`in_zone` makes it so, and refuses a time the clocks skip. Shown
back, a time is written in its own zone and, where that differs, in the editor's
(the Wagtail preference, else ``TIME_ZONE``: the zone the admin runs in), with how
far away it is (:func:`relative`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone


class NonexistentTime(ValueError):
    """A wall-clock time that the zone skips (the hour clocks go forward)."""


def zone_named(name: str | None) -> ZoneInfo:
    """The zone of that IANA name; the site's (``TIME_ZONE``) if empty or unknown."""
    try:
        return ZoneInfo(name) if name else ZoneInfo(settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def editor_zone() -> ZoneInfo:
    """The zone the admin is running in for this request: the editor's Wagtail
    preference, else the site's (Wagtail activates it around every admin view)."""
    current = timezone.get_current_timezone()
    return current if isinstance(current, ZoneInfo) else zone_named(None)


def in_zone(wall: datetime, zone: ZoneInfo) -> datetime:
    """``wall`` (naive, or aware: its wall-clock reading is kept) as that moment in
    ``zone``. A time the clocks skip is refused; a time they pass twice (the hour
    they go back) is the first of the two, as the clocks first show it."""
    naive = wall.replace(tzinfo=None, fold=0)
    moment = naive.replace(tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NonexistentTime(
            f"{naive:%H:%M} does not exist on {naive:%-d %B %Y} in {zone.key}: "
            "the clocks go forward then. Choose a time outside that hour."
        )
    return moment


def wall_clock(at: datetime, zone: ZoneInfo) -> datetime:
    """``at`` as a naive reading of ``zone``'s clocks (for a form's initial value)."""
    return at.astimezone(zone).replace(tzinfo=None)


def relative(at: datetime, now: datetime | None = None) -> str:
    """How far ``at`` is from now, in words: "in 21 hours", "5 minutes ago".

    Rounded to the nearest unit; a unit gives way to the next one up at 45 minutes
    and 22 hours (as people say "in an hour" at 50 minutes).
    """
    now = now or timezone.now()
    seconds = (at - now).total_seconds()
    ahead, seconds = seconds >= 0, abs(seconds)
    if seconds < 45:
        return "in a few seconds" if ahead else "a few seconds ago"
    if seconds < 45 * 60:
        count, unit = round(seconds / 60), "minute"
    elif seconds < 22 * 3600:
        count, unit = round(seconds / 3600), "hour"
    else:
        count, unit = round(seconds / 86400), "day"
    count = max(1, count)
    words = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"in {words}" if ahead else f"{words} ago"


@dataclass(frozen=True)
class ZonedTime:
    """One moment as an editor reads it: in its own zone and in theirs."""

    at: datetime
    # Naive wall-clock readings (templates would convert an aware time to the
    # editor's zone): in the zone the schedule was made in, and in the editor's.
    own: datetime
    own_zone: str
    editor: datetime
    editor_zone: str
    relative: str

    @property
    def same_zone(self) -> bool:
        return self.own_zone == self.editor_zone


def zoned(at: datetime, own_zone: str | None, now: datetime | None = None) -> ZonedTime:
    own = zone_named(own_zone)
    mine = editor_zone()
    return ZonedTime(
        at=at,
        own=wall_clock(at, own),
        own_zone=own.key,
        editor=wall_clock(at, mine),
        editor_zone=mine.key,
        relative=relative(at, now),
    )
