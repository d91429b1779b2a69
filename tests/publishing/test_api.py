import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import GroupPagePermission

from publishing import events
from publishing.models import Event, Release
from tests.factories import ArticlePageFactory, api_token, publish

pytestmark = pytest.mark.django_db

BASE = "/api/v1/publishing"


@pytest.fixture
def token(django_user_model):
    user = django_user_model.objects.create_superuser("sched", "s@example.com", "pw")
    plaintext = api_token(user, name="scheduler")
    return plaintext


@pytest.fixture
def reader_token(django_user_model, section):
    user = django_user_model.objects.create_user("reader", "r@example.com", "pw")
    group = Group.objects.create(name="Editors-no-publish")
    GroupPagePermission.objects.create(
        group=group, page=section, permission_type="change"
    )
    user.groups.add(group)
    user.user_permissions.add(
        *__import__(
            "django.contrib.auth.models"
        ).contrib.auth.models.Permission.objects.filter(codename="access_admin")
    )
    plaintext = api_token(user, name="reader")
    return plaintext


def call(client, method, path, token=None, body=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return getattr(client, method)(
        BASE + path, data=data, content_type="application/json", **headers
    )


def future(seconds=3600):
    return (timezone.now() + timedelta(seconds=seconds)).isoformat()


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["field"] == field


def test_schedule_put_schedules_the_latest_revision(client, token, article):
    at = future()
    response = call(
        client,
        "put",
        f"/articles/{article.id}/schedule/",
        token,
        {"publish_at": at, "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["article_id"] == article.id
    assert body["status"] == "scheduled"
    assert body["time_zone"] == "Europe/Paris"
    article.refresh_from_db()
    assert article.get_latest_revision().id == body["revision_id"]
    assert article.get_latest_revision().approved_go_live_at.isoformat() == at
    assert Event.objects.filter(type=events.ARTICLE_SCHEDULED).count() == 1


def test_schedule_without_token_is_401(client, article):
    assert_error(
        call(client, "put", f"/articles/{article.id}/schedule/", None, {}), 401
    )


def test_schedule_with_a_bad_token_is_401(client, article):
    response = call(
        client,
        "put",
        f"/articles/{article.id}/schedule/",
        "nope",
        {"publish_at": future()},
    )
    assert_error(response, 401)


def test_schedule_without_publish_permission_is_403(client, reader_token, article):
    response = call(
        client,
        "put",
        f"/articles/{article.id}/schedule/",
        reader_token,
        {"publish_at": future()},
    )
    assert_error(response, 403)


@pytest.mark.parametrize(
    "body,field",
    [
        ({"publish_at": "2001-01-01T00:00:00+00:00"}, "publish_at"),
        ({"publish_at": "2099-01-01T00:00:00"}, "publish_at"),
        ({"publish_at": "tomorrow"}, "publish_at"),
        ({"publish_at": "2099-01-01T00:00:00+00:00\x00"}, "publish_at"),
        (
            {
                "publish_at": "2099-01-02T00:00:00+00:00",
                "unpublish_at": "2099-01-01T00:00:00+00:00",
            },
            "unpublish_at",
        ),
        (
            {"publish_at": "2099-01-01T00:00:00+00:00", "time_zone": "Mars/Olympus"},
            "time_zone",
        ),
        ({"publish_at": 12345}, "publish_at"),
        ({}, "publish_at"),
    ],
)
def test_bad_schedule_input_is_a_400_naming_the_field(
    client, token, article, body, field
):
    response = call(client, "put", f"/articles/{article.id}/schedule/", token, body)
    assert_error(response, 400, field)


def test_malformed_json_is_a_400(client, token, article):
    response = call(
        client, "put", f"/articles/{article.id}/schedule/", token, raw="{not json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_huge_body_is_refused_without_a_5xx(client, token, article, settings):
    raw = json.dumps({"publish_at": future(), "pad": "x" * 2_000_000})
    response = call(client, "put", f"/articles/{article.id}/schedule/", token, raw=raw)
    assert response.status_code in (400, 413)
    assert "error" in response.json()


def test_unknown_article_is_404(client, token):
    response = call(
        client, "put", "/articles/999999/schedule/", token, {"publish_at": future()}
    )
    assert_error(response, 404)


def test_delete_schedule_cancels_and_then_404s(client, token, article):
    call(
        client,
        "put",
        f"/articles/{article.id}/schedule/",
        token,
        {"publish_at": future()},
    )
    assert (
        call(client, "delete", f"/articles/{article.id}/schedule/", token).status_code
        == 204
    )
    assert article.revisions.filter(approved_go_live_at__isnull=False).count() == 0
    assert Event.objects.filter(type=events.ARTICLE_UNSCHEDULED).count() == 1
    assert_error(
        call(client, "delete", f"/articles/{article.id}/schedule/", token), 404
    )


def test_calendar_lists_pending_items_in_time_order(client, token, section):
    first, second = (ArticlePageFactory(parent=section) for _ in range(2))
    call(
        client,
        "put",
        f"/articles/{second.id}/schedule/",
        token,
        {"publish_at": future(7200)},
    )
    call(
        client,
        "put",
        f"/articles/{first.id}/schedule/",
        token,
        {"publish_at": future(3600), "time_zone": "America/New_York"},
    )
    response = call(client, "get", "/schedule/", token)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["article_id"] for r in results] == [first.id, second.id]
    assert results[0]["time_zone"] == "America/New_York"
    assert results[0]["type"] == "publish"


def test_calendar_lists_the_unpublish_of_a_schedule(client, token, article):
    hour = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    publish_at, unpublish_at = hour.isoformat(), (hour + timedelta(hours=1)).isoformat()
    call(
        client,
        "put",
        f"/articles/{article.id}/schedule/",
        token,
        {
            "publish_at": publish_at,
            "unpublish_at": unpublish_at,
            "time_zone": "Europe/Paris",
        },
    )
    response = call(client, "get", "/schedule/", token)
    assert response.status_code == 200
    events_ = [
        (r["type"], r["at"], r["time_zone"], r["article_id"], r["title"])
        for r in response.json()["results"]
    ]
    title = "Magnesium and sleep"
    assert events_ == [
        ("publish", publish_at, "Europe/Paris", article.id, title),
        ("unpublish", unpublish_at, "Europe/Paris", article.id, title),
    ]


def test_calendar_shows_the_expiry_a_scheduled_republish_brings(
    client, token, live_article
):
    hour = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    live_article.expire_at = hour + timedelta(hours=2)
    live_article.save()
    call(
        client,
        "put",
        f"/articles/{live_article.id}/schedule/",
        token,
        {
            "publish_at": hour.isoformat(),
            "unpublish_at": f"{hour + timedelta(hours=3)}",
        },
    )
    response = call(client, "get", "/schedule/", token)
    assert [(r["type"], r["at"]) for r in response.json()["results"]] == [
        ("publish", hour.isoformat()),
        ("unpublish", (hour + timedelta(hours=3)).isoformat()),
    ]


def test_calendar_rejects_unknown_parameters(client, token):
    assert_error(call(client, "get", "/schedule/?fro=x", token), 400, "fro")


def test_calendar_time_without_offset_is_a_400(client, token):
    assert_error(
        call(client, "get", "/schedule/?from=2026-01-01T00:00:00", token), 400, "from"
    )


def test_schedule_across_a_dst_change_keeps_the_instant(client, token, article):
    # 29 March 2099: London moves from GMT to BST at 01:00 UTC.
    response = call(
        client,
        "put",
        f"/articles/{article.id}/schedule/",
        token,
        {"publish_at": "2099-03-29T09:00:00+01:00", "time_zone": "Europe/London"},
    )
    assert response.json()["publish_at"] == "2099-03-29T08:00:00+00:00"
    response = call(
        client,
        "get",
        "/schedule/?from=2099-03-28T00:00:00%2B00:00&to=2099-03-30T00:00:00%2B00:00",
        token,
    )
    assert response.json()["results"][0]["time_zone"] == "Europe/London"


def test_release_create_schedule_and_conflict(client, token, section):
    pages = [publish(ArticlePageFactory(parent=section)) for _ in range(2)]
    response = call(
        client,
        "post",
        "/releases/",
        token,
        {"title": "Launch", "article_ids": [p.id for p in pages]},
    )
    assert response.status_code == 201, response.content
    release = response.json()
    assert release["status"] == "draft"
    assert release["article_ids"] == [p.id for p in pages]
    response = call(
        client,
        "put",
        f"/releases/{release['id']}/schedule/",
        token,
        {"publish_at": future()},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    response = call(
        client,
        "put",
        f"/articles/{pages[0].id}/schedule/",
        token,
        {"publish_at": future()},
    )
    assert_error(response, 409)
    assert (
        call(
            client, "delete", f"/releases/{release['id']}/schedule/", token
        ).status_code
        == 204
    )
    assert Release.objects.get(id=release["id"]).status == "draft"
    assert_error(
        call(client, "delete", f"/releases/{release['id']}/schedule/", token), 404
    )


def test_release_with_unknown_article_is_400(client, token):
    response = call(
        client, "post", "/releases/", token, {"title": "X", "article_ids": [424242]}
    )
    assert_error(response, 400, "article_ids")


def test_release_with_past_time_is_400(client, token, article):
    response = call(
        client,
        "post",
        "/releases/",
        token,
        {
            "title": "X",
            "article_ids": [article.id],
            "publish_at": "2001-01-01T00:00:00Z",
        },
    )
    assert_error(response, 400, "publish_at")


def test_status_reports_overdue_items_and_releases_at_risk(client, token, section):
    page = publish(ArticlePageFactory(parent=section))
    release = Release.objects.create(title="Risky")
    release.items.create(page=page)
    from publishing import releases

    releases.schedule_release(release, timezone.now() + timedelta(hours=1))
    page.delete()
    response = call(client, "get", "/status/", token)
    assert response.status_code == 200
    body = response.json()
    assert body["releases_at_risk"][0]["id"] == release.id
    assert set(body["queues"]) == {"publishing", "indexing", "webhooks"}
    assert body["healthy"] is False  # no worker has been seen


def test_list_releases_query_count_does_not_grow(
    client, token, section, django_assert_max_num_queries
):
    for n in range(5):
        release = Release.objects.create(title=f"R{n}")
        release.items.create(page=ArticlePageFactory(parent=section))
    with django_assert_max_num_queries(6):
        response = call(client, "get", "/releases/", token)
    assert len(response.json()["results"]) == 5
