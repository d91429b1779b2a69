"""Time zones that cannot mislead: a time is read in the zone it says it is in,
shown in its own zone and the editor's, and 09:00 London stays 09:00 London on
both sides of each daylight-saving change."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from publishing import planning, releases
from publishing.local_time import NonexistentTime, in_zone, relative
from publishing.models import Release, ReleaseItem, ScheduleZone

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# 2027's changes in London: clocks forward on 28 March, back on 31 October.
BEFORE_SPRING, AFTER_SPRING = "2027-03-27", "2027-03-29"
BEFORE_AUTUMN, AFTER_AUTUMN = "2027-10-30", "2027-11-01"


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "c@example.com", "pw")


@pytest.fixture
def admin_client(client, chief):
    client.force_login(chief)
    return client


def prefer_zone(user, zone: str) -> None:
    profile = UserProfile.get_for_user(user)
    profile.current_time_zone = zone
    profile.save()


def add_release(client, title: str, zone: str, at: str, article):
    data = nested_form_data(
        {
            "title": title,
            "time_zone": zone,
            "publish_at": at,
            "items": inline_formset([{"page": article.pk}]),
        }
    )
    return client.post(reverse("publishing_releases:add"), data)


def test_a_release_entered_as_9am_new_york_in_winter_is_14h_utc(
    admin_client, chief, article
):
    prefer_zone(chief, "Asia/Tokyo")  # the editor's own zone plays no part
    response = add_release(
        admin_client, "Launch", "America/New_York", "2027-01-15 09:00:00", article
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    release = Release.objects.get(title="Launch")
    assert release.publish_at == datetime(2027, 1, 15, 14, 0, tzinfo=UTC)
    assert release.time_zone == "America/New_York"
    edit = admin_client.get(reverse("publishing_releases:edit", args=[release.pk]))
    assert 'value="2027-01-15 09:00:00"' in edit.content.decode()


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(BEFORE_SPRING, 9), (AFTER_SPRING, 8), (BEFORE_AUTUMN, 8), (AFTER_AUTUMN, 9)],
)
def test_9am_london_is_9am_london_on_both_sides_of_each_change(
    admin_client, article, day, utc_hour
):
    add_release(admin_client, "Launch", "Europe/London", f"{day} 09:00:00", article)
    release = Release.objects.get(title="Launch")
    assert release.publish_at.astimezone(UTC).hour == utc_hour
    assert release.publish_at.astimezone(LONDON).strftime("%H:%M") == "09:00"
    releases.schedule_release(release)
    page = admin_client.get(
        reverse("publishing_calendar"), {"view": "day", "date": day}
    ).content.decode()
    row = re.search(r'data-calendar-item="release-\d+">(.*?)</tr>', page, re.DOTALL)
    assert row and "09:00:00" in row[1]


def test_a_time_the_clocks_skip_is_refused(admin_client, article):
    response = add_release(
        admin_client, "Launch", "Europe/London", "2027-03-28 01:30:00", article
    )
    assert response.status_code == 200
    assert (
        "does not exist on 28 March 2027 in Europe/London" in response.content.decode()
    )
    assert not Release.objects.exists()


def test_in_zone_keeps_the_wall_clock_and_takes_the_first_of_a_repeated_hour():
    assert in_zone(datetime(2027, 10, 31, 1, 30), LONDON).utcoffset() == timedelta(
        hours=1
    )
    with pytest.raises(NonexistentTime):
        in_zone(datetime(2027, 3, 28, 1, 30), LONDON)


def test_an_api_schedule_keeps_its_zone_on_the_calendar(admin_client, chief, article):
    prefer_zone(chief, "America/New_York")
    at = datetime(2027, 3, 29, 9, 0, tzinfo=LONDON)
    planning.schedule_article(article, at, None, time_zone="Europe/London")
    page = admin_client.get(
        reverse("publishing_calendar"), {"view": "day", "date": "2027-03-29"}
    ).content.decode()
    row = re.search(r'data-calendar-item="publish-\d+">(.*?)</tr>', page, re.DOTALL)[1]
    assert "04:00:00" in row  # the editor's New York time
    assert "09:00 Europe/London" in row  # and the schedule's own
    assert 'value="2027-03-29T09:00:00"' in row  # rescheduled in its own zone
    assert 'name="zone" value="Europe/London"' in row


def test_the_inline_reschedule_reads_the_time_in_the_items_own_zone(
    admin_client, chief, article
):
    prefer_zone(chief, "Asia/Tokyo")
    planning.schedule_article(
        article,
        datetime(2027, 3, 20, 9, 0, tzinfo=LONDON),
        None,
        time_zone="Europe/London",
    )
    admin_client.post(
        reverse("publishing_calendar_article_reschedule", args=[article.pk]),
        {"at": f"{AFTER_AUTUMN}T09:00:00", "zone": "Europe/London"},
    )
    pending = planning.pending_publication(article.pk)
    assert pending.approved_go_live_at == datetime(2027, 11, 1, 9, 0, tzinfo=UTC)
    assert ScheduleZone.objects.get(page_id=article.pk).time_zone == "Europe/London"


def test_the_grid_feed_gives_wall_clock_times_in_the_editors_zone(
    admin_client, chief, article
):
    prefer_zone(chief, "America/New_York")
    release = Release.objects.create(title="Launch", time_zone="Europe/London")
    ReleaseItem.objects.create(release=release, page=article)
    releases.schedule_release(release, datetime(2027, 1, 15, 14, 0, tzinfo=UTC))
    feed = admin_client.get(
        reverse("publishing_calendar_events"),
        {"start": "2027-01-10T00:00:00Z", "end": "2027-02-14T00:00:00Z"},
    ).json()
    (entry,) = feed
    assert entry["start"] == "2027-01-15T09:00:00"
    assert entry["extendedProps"]["own"] == "14:00:00 Europe/London"
    assert entry["url"] == reverse("publishing_releases:detail", args=[release.pk])
    assert entry["classNames"] == ["cms-cal-release"]
    assert entry["startEditable"] is True


def test_the_grid_feed_refuses_an_unbounded_window(admin_client):
    response = admin_client.get(
        reverse("publishing_calendar_events"),
        {"start": "2027-01-01T00:00:00Z", "end": "2028-01-01T00:00:00Z"},
    )
    assert response.status_code == 400
    assert admin_client.get(reverse("publishing_calendar_events")).status_code == 400


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(hours=21), "in 21 hours"),
        (timedelta(hours=21, minutes=20), "in 21 hours"),
        (timedelta(days=1, hours=1), "in 1 day"),
        (timedelta(days=2, hours=3), "in 2 days"),
        (timedelta(minutes=50), "in 1 hour"),
        (timedelta(minutes=5), "in 5 minutes"),
        (timedelta(seconds=10), "in a few seconds"),
        (-timedelta(minutes=5), "5 minutes ago"),
    ],
)
def test_relative_times(delta, words):
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert relative(now + delta, now) == words


def test_the_releases_list_says_how_far_off_a_release_is(admin_client, article):
    release = Release.objects.create(title="Tomorrow's", time_zone="America/New_York")
    ReleaseItem.objects.create(release=release, page=article)
    releases.schedule_release(release, timezone.now() + timedelta(hours=21, minutes=5))
    html = admin_client.get(reverse("publishing_releases:list")).content.decode()
    assert "in 21 hours" in html
    assert "Just now" not in html
    assert "America/New_York" in html


def publish_with_go_live(client, article, go_live: str):
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "intro": article.intro,
            "body": streamfield([]),
            "tags": "",
            "related_links": inline_formset([]),
            "go_live_at": go_live,
            "action-publish": "action-publish",
        }
    )
    return client.post(f"/admin/pages/{article.pk}/edit/", data)


def test_the_go_live_field_names_its_zone_and_takes_seconds(
    admin_client, chief, article
):
    prefer_zone(chief, "America/New_York")
    edit = admin_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "In America/New_York (your time zone" in edit
    response = publish_with_go_live(admin_client, article, "2027-01-15 09:00:30")
    assert response.status_code == 302
    pending = planning.pending_publication(article.pk)
    assert pending.approved_go_live_at == datetime(2027, 1, 15, 14, 0, 30, tzinfo=UTC)
    # The calendar shows it in the zone it was made in.
    assert ScheduleZone.objects.get(page_id=article.pk).time_zone == "America/New_York"


def test_the_calendar_config_starts_both_grids_today(admin_client):
    html = admin_client.get(reverse("publishing_calendar")).content.decode()
    config = json.loads(
        re.search(
            r'<script id="publishing-calendar-config" type="application/json">(.*?)'
            r"</script>",
            html,
        )[1]
    )
    now = timezone.now().astimezone(LONDON)
    assert config["now"].startswith(now.date().isoformat())
    assert config["firstDay"] == (now.weekday() + 1) % 7
    assert config["zone"] == "Europe/London"
