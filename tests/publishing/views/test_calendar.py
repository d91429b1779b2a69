"""The publishing calendar in the admin: what it lists, and reschedule/cancel."""

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing import golive, planning, releases
from publishing.models import Release, ReleaseItem
from publishing.views import timeline

LONDON = ZoneInfo("Europe/London")


def at_london(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=LONDON)


def future_day(days: int = 3) -> str:
    return (timezone.now().astimezone(LONDON) + timedelta(days=days)).date().isoformat()


@pytest.fixture
def scheduled(article):
    day = future_day()
    planning.schedule_article(article, at_london(day, "09:30"), None)
    return article, day


def test_day_view_lists_a_pending_publish_at_its_local_time_with_a_link(
    admin_client, scheduled
):
    article, day = scheduled
    response = admin_client.get(
        reverse("publishing_calendar"), {"view": "day", "date": day}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Magnesium and sleep" in html
    assert "09:30:00" in html
    assert reverse("wagtailadmin_pages:edit", args=[article.id]) in html


def test_day_view_leaves_out_items_of_other_days(admin_client, scheduled):
    _, day = scheduled
    other = (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()
    response = admin_client.get(
        reverse("publishing_calendar"), {"view": "day", "date": other}
    )
    assert "Magnesium and sleep" not in response.content.decode()


def test_week_groups_items_by_site_local_day_across_midnight_utc(section, article):
    # 23:30 UTC in British summer time is 00:30 the next day in London.
    planning.schedule_article(
        article, datetime(2031, 7, 1, 23, 30, tzinfo=ZoneInfo("UTC")), None
    )
    days = timeline.calendar_days("week", datetime(2031, 7, 1).date(), LONDON)
    by_day = {d.day.isoformat(): [i.title for i in d.items] for d in days}
    assert by_day["2031-07-02"] == ["Magnesium and sleep"]
    assert by_day["2031-07-01"] == []


def test_seven_days_start_on_the_day_asked_not_on_a_monday(section):
    saturday = datetime(2026, 12, 5).date()
    days = timeline.calendar_days("week", saturday, LONDON)
    assert [d.day.isoformat() for d in days] == [
        "2026-12-05",
        "2026-12-06",
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    ]


def test_week_view_lists_releases_and_expiries(admin_client, live_article, article):
    day = future_day()
    live_article.expire_at = at_london(day, "18:00")
    live_article.save()
    release = Release.objects.create(title="Spring launch")
    ReleaseItem.objects.create(release=release, page=article)
    releases.schedule_release(release, at_london(day, "07:00"))
    html = admin_client.get(
        reverse("publishing_calendar"), {"view": "week", "date": day}
    ).content.decode()
    assert "Spring launch" in html and "Live one" in html
    assert reverse("publishing_releases:detail", args=[release.id]) in html


def test_day_view_lists_the_unpublish_of_a_schedule(admin_client, article):
    day = future_day()
    planning.schedule_article(article, at_london(day, "09:30"), at_london(day, "17:45"))
    html = admin_client.get(
        reverse("publishing_calendar"), {"view": "day", "date": day}
    ).content.decode()
    rows = re.findall(r'data-calendar-item="([^"]+)">\s*<td[^>]*>([\d:]+)', html)
    assert rows == [
        (f"publish-{article.id}", "09:30:00"),
        (f"unpublish-{article.id}", "17:45:00"),
    ]


def test_week_view_query_count_does_not_grow_with_items(
    admin_client, section, django_assert_max_num_queries
):
    from tests.factories import ArticlePageFactory

    day = future_day()
    for n in range(12):
        page = ArticlePageFactory(parent=section, title=f"Scheduled {n}")
        planning.schedule_article(page, at_london(day, f"10:{n:02d}"), None)
    with django_assert_max_num_queries(25):
        response = admin_client.get(
            reverse("publishing_calendar"), {"view": "week", "date": day}
        )
    assert response.content.decode().count("data-calendar-item=") == 12


def test_cancel_from_the_calendar_removes_the_pending_publish(admin_client, scheduled):
    article, day = scheduled
    response = admin_client.post(
        reverse("publishing_calendar_article_cancel", args=[article.id]),
        {"next": reverse("publishing_calendar") + f"?view=day&date={day}"},
    )
    assert response.status_code == 302
    assert planning.pending_publication(article.id) is None


def test_reschedule_from_the_calendar_moves_the_publish_time(admin_client, scheduled):
    article, day = scheduled
    admin_client.post(
        reverse("publishing_calendar_article_reschedule", args=[article.id]),
        {"at": f"{day}T11:15:05"},
    )
    pending = planning.pending_publication(article.id)
    assert pending.approved_go_live_at == at_london(day, "11:15:05")


def test_reschedule_into_the_past_is_refused(admin_client, scheduled):
    article, day = scheduled
    response = admin_client.post(
        reverse("publishing_calendar_article_reschedule", args=[article.id]),
        {"at": "2001-01-01T10:00"},
        follow=True,
    )
    assert "in the past" in response.content.decode()
    pending = planning.pending_publication(article.id)
    assert pending.approved_go_live_at == at_london(day, "09:30")


def test_an_editor_without_publish_permission_cannot_cancel(editor_client, scheduled):
    article, _ = scheduled
    response = editor_client.post(
        reverse("publishing_calendar_article_cancel", args=[article.id])
    )
    # Wagtail's admin answers a PermissionDenied with a redirect and a message.
    assert response.status_code == 302
    assert planning.pending_publication(article.id) is not None


def test_an_article_held_by_a_scheduled_release_cannot_be_rescheduled(
    admin_client, scheduled, live_article
):
    article, day = scheduled
    planning.cancel_schedule(article)
    release = Release.objects.create(title="Held")
    ReleaseItem.objects.create(release=release, page=article)
    releases.schedule_release(release, at_london(day, "08:00"))
    # The API's rule: a schedule of its own is refused (409 there, a message here).
    response = admin_client.post(
        reverse("publishing_calendar_article_reschedule", args=[article.id]),
        {"at": f"{day}T12:00"},
        follow=True,
    )
    assert planning.pending_publication(article.id) is None
    assert "Nothing is scheduled" in response.content.decode()


def test_cancel_a_release_from_the_calendar_returns_it_to_draft(admin_client, article):
    release = Release.objects.create(title="Launch")
    ReleaseItem.objects.create(release=release, page=article)
    releases.schedule_release(release, at_london(future_day(), "08:00"))
    admin_client.post(reverse("publishing_calendar_release_cancel", args=[release.id]))
    release.refresh_from_db()
    assert release.status == Release.Status.DRAFT


def test_went_live_lists_a_scheduled_publish_with_its_lateness(article):
    due = timezone.now() + timedelta(seconds=0.3)
    revision = planning.schedule_article(article, due, None)
    time.sleep(1.3)  # the worker is a second late
    assert golive.publish_revision_if_due(revision.id)
    [item] = timeline.went_live_since()
    assert item.article_id == article.id
    assert abs((item.due_at - due).total_seconds()) < 0.01
    assert 0.9 < item.lateness_s < 3
