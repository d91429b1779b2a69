"""Who may manage and see releases and schedules, through every door (CONTRACT §2).

Unscheduling a release needs what scheduling it needs: publish permission on every
article in it, in the publishing API and in the admin's two cancel views alike. The
calendar, the releases and the status show a user only what that user may edit.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageLogEntry

from publishing import events, planning, releases
from publishing.models import Event, Release, ReleaseItem
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    api_token,
    publish,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/publishing"


def grant(user, page, *codenames):
    group = Group.objects.create(name=f"{user.username}-{page.pk}-{len(codenames)}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        GroupPagePermission.objects.create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                codename=f"{codename}_page", content_type__app_label="wagtailcore"
            ),
        )
    user.groups.add(group)


def token_for(user) -> str:
    return api_token(user, name=user.username)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "c@example.com", "pw")


@pytest.fixture
def nobody(django_user_model):
    """An active user with an API token and no permission at all."""
    return django_user_model.objects.create_user("nobody", "n@example.com", "pw")


@pytest.fixture
def writer(django_user_model, section):
    """May edit the section's articles, may not publish them."""
    user = django_user_model.objects.create_user("writer", "w@example.com", "pw")
    grant(user, section, "add", "change")
    return user


@pytest.fixture
def scheduled_release(section):
    pages = [
        ArticlePageFactory(parent=section, title=f"Secret draft {n}") for n in (1, 2)
    ]
    release = Release.objects.create(title="Launch")
    for page in pages:
        ReleaseItem.objects.create(release=release, page=page)
    releases.schedule_release(release, timezone.now() + timedelta(hours=2))
    return release


# --- Item 1: unscheduling a release ---


def test_api_unschedule_release_without_permission_is_403(
    client, nobody, scheduled_release
):
    response = client.delete(
        f"{BASE}/releases/{scheduled_release.id}/schedule/", **bearer(token_for(nobody))
    )
    assert response.status_code in (403, 404), response.content
    scheduled_release.refresh_from_db()
    assert scheduled_release.status == Release.Status.SCHEDULED


def test_api_unschedule_release_by_a_writer_who_cannot_publish_is_403(
    client, writer, scheduled_release
):
    response = client.delete(
        f"{BASE}/releases/{scheduled_release.id}/schedule/", **bearer(token_for(writer))
    )
    assert response.status_code == 403, response.content
    assert response.json()["error"]["field"] is None
    scheduled_release.refresh_from_db()
    assert scheduled_release.status == Release.Status.SCHEDULED


def test_admin_calendar_cancel_release_without_publish_permission_is_refused(
    client, writer, scheduled_release
):
    client.force_login(writer)
    response = client.post(
        reverse("publishing_calendar_release_cancel", args=[scheduled_release.id])
    )
    assert response.status_code in (302, 403)
    if response.status_code == 302:  # Wagtail's admin redirects a denied request
        assert "not scheduled" not in response.url
    scheduled_release.refresh_from_db()
    assert scheduled_release.status == Release.Status.SCHEDULED


def test_admin_release_unschedule_without_publish_permission_is_refused(
    client, writer, scheduled_release
):
    client.force_login(writer)
    client.post(reverse("publishing_releases:unschedule", args=[scheduled_release.id]))
    scheduled_release.refresh_from_db()
    assert scheduled_release.status == Release.Status.SCHEDULED


def test_unscheduling_a_release_is_logged_and_sends_release_unscheduled(
    client, chief, scheduled_release, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client.delete(
            f"{BASE}/releases/{scheduled_release.id}/schedule/",
            **bearer(token_for(chief)),
        )
    assert response.status_code == 204, response.content
    event = Event.objects.get(type=events.RELEASE_UNSCHEDULED)
    assert event.data["id"] == scheduled_release.id
    assert sorted(event.data["article_ids"]) == sorted(
        i.article_id for i in scheduled_release.items.all()
    )
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="publishing.release.unschedule")
    assert entry.user_id == chief.id
    assert entry.object_id == str(scheduled_release.id)


def test_admin_unschedule_by_a_publisher_sends_release_unscheduled(
    client, chief, scheduled_release
):
    client.force_login(chief)
    client.post(
        reverse("publishing_calendar_release_cancel", args=[scheduled_release.id])
    )
    scheduled_release.refresh_from_db()
    assert scheduled_release.status == Release.Status.DRAFT
    assert Event.objects.filter(type=events.RELEASE_UNSCHEDULED).count() == 1


def test_a_release_unscheduled_event_reaches_subscribed_webhook_endpoints():
    from publishing.webhooks.models import EVENT_TYPES

    assert events.RELEASE_UNSCHEDULED == "release.unscheduled"
    assert "release.unscheduled" in EVENT_TYPES


# --- Item 2: reads filtered by permission ---


@pytest.fixture
def two_desks(home, section, django_user_model):
    """Two sections; the writer may edit only ``section``. One draft each, scheduled."""
    other = ArticleIndexPageFactory(parent=home, title="Other desk", slug="other")
    mine = ArticlePageFactory(parent=section, title="My never-published draft")
    theirs = ArticlePageFactory(parent=other, title="Their never-published draft")
    at = timezone.now() + timedelta(hours=3)
    planning.schedule_article(mine, at, None)
    planning.schedule_article(theirs, at, None)
    live_theirs = publish(ArticlePageFactory(parent=other, title="Their live one"))
    live_theirs.expire_at = at
    live_theirs.save()
    mine_release = Release.objects.create(title="Mine release")
    ReleaseItem.objects.create(
        release=mine_release, page=ArticlePageFactory(parent=section)
    )
    their_release = Release.objects.create(title="Their release")
    ReleaseItem.objects.create(
        release=their_release, page=ArticlePageFactory(parent=other)
    )
    mixed = Release.objects.create(title="Mixed release")
    ReleaseItem.objects.create(release=mixed, page=ArticlePageFactory(parent=section))
    ReleaseItem.objects.create(release=mixed, page=ArticlePageFactory(parent=other))
    for release in (mine_release, their_release, mixed):
        releases.schedule_release(release, at)
    return {
        "mine": mine,
        "theirs": theirs,
        "mine_release": mine_release,
        "their_release": their_release,
        "mixed": mixed,
    }


def test_calendar_shows_only_what_the_user_may_edit(client, writer, two_desks):
    response = client.get(f"{BASE}/schedule/", **bearer(token_for(writer)))
    assert response.status_code == 200
    body = json.dumps(response.json())
    assert "My never-published draft" in body
    assert "Their never-published draft" not in body
    assert "Their live one" not in body
    assert "Their release" not in body
    assert "Mixed release" not in body
    assert "Mine release" in body


def test_calendar_shows_nothing_to_a_user_without_permissions(
    client, nobody, two_desks
):
    response = client.get(f"{BASE}/schedule/", **bearer(token_for(nobody)))
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_calendar_shows_everything_to_a_superuser(client, chief, two_desks):
    response = client.get(f"{BASE}/schedule/", **bearer(token_for(chief)))
    titles = {entry["title"] for entry in response.json()["results"]}
    assert {"Their never-published draft", "Their live one", "Mixed release"} <= titles


def test_release_list_and_detail_show_only_releases_the_user_may_edit(
    client, writer, two_desks
):
    headers = bearer(token_for(writer))
    listed = client.get(f"{BASE}/releases/", **headers).json()["results"]
    assert [r["title"] for r in listed] == ["Mine release"]
    hidden = client.get(f"{BASE}/releases/{two_desks['their_release'].id}/", **headers)
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    shown = client.get(f"{BASE}/releases/{two_desks['mine_release'].id}/", **headers)
    assert shown.status_code == 200


def test_a_hidden_release_cannot_be_scheduled_or_unscheduled_either(
    client, writer, two_desks
):
    headers = bearer(token_for(writer))
    release = two_desks["their_release"]
    response = client.delete(f"{BASE}/releases/{release.id}/schedule/", **headers)
    assert response.status_code == 404
    release.refresh_from_db()
    assert release.status == Release.Status.SCHEDULED


def test_status_shows_only_releases_at_risk_the_user_may_edit(
    client, writer, chief, two_desks
):
    for key in ("mine_release", "their_release"):
        release = two_desks[key]
        item = release.items.first()
        item.revision = None
        item.save(update_fields=["revision"])
    writer_view = client.get(f"{BASE}/status/", **bearer(token_for(writer))).json()
    assert [r["title"] for r in writer_view["releases_at_risk"]] == ["Mine release"]
    chief_view = client.get(f"{BASE}/status/", **bearer(token_for(chief))).json()
    assert {r["title"] for r in chief_view["releases_at_risk"]} == {
        "Mine release",
        "Their release",
    }


def test_admin_calendar_shows_an_editor_only_what_they_may_edit(
    client, writer, two_desks
):
    client.force_login(writer)
    day = (timezone.now() + timedelta(hours=3)).astimezone().date()
    html = client.get(
        reverse("publishing_calendar"), {"view": "week", "date": day.isoformat()}
    ).content.decode()
    assert "My never-published draft" in html
    assert "Their never-published draft" not in html


def test_unschedule_log_entry_is_not_a_page_log_entry(chief, scheduled_release):
    releases.unschedule_release(scheduled_release, user=chief)
    assert not PageLogEntry.objects.filter(
        action="publishing.release.unschedule"
    ).exists()
