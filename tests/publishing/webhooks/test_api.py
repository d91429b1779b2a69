"""/api/v1/publishing/webhooks/: endpoints, the delivery log, redelivery."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from standardwebhooks import Webhook

from publishing.webhooks import delivery
from publishing.webhooks.models import Attempt, Delivery, Endpoint
from tests.factories import api_token
from tests.publishing.webhooks.test_delivery import make_delivery

pytestmark = pytest.mark.django_db

BASE = "/api/v1/publishing/webhooks/"


@pytest.fixture
def token(django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.com", "x")
    return api_token(user, name="ci")


@pytest.fixture
def api(token):
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def enqueued(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(
        delivery, "enqueue_attempts", lambda ids, countdown=None: sent.extend(ids)
    )
    return sent


def create(api, **body):
    body.setdefault("url", "http://127.0.0.1:8999/hook")
    return api.post(BASE, body, content_type="application/json")


def test_creating_an_endpoint_returns_its_secret_once(api):
    response = create(api, events=["article.published"], description="front end")

    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["article.published"]
    assert created["active"] is True and created["disabled_reason"] is None
    shown = api.get(f"{BASE}{created['id']}/").json()
    assert "secret" not in shown
    assert "secret" not in api.get(BASE).json()["results"][0]
    assert Endpoint.objects.get().secret == created["secret"]


def test_events_default_to_all(api):
    from publishing.events import EVENT_TYPES

    assert create(api).json()["events"] == list(EVENT_TYPES)


def test_the_secret_signs_what_is_sent(api, receiver, enqueued):
    created = create(api, url=receiver.url("/hook")).json()
    d = make_delivery(Endpoint.objects.get(id=created["id"]))
    delivery.attempt_delivery(d.id)
    request = receiver.received()[0]
    Webhook(created["secret"]).verify(request.body, request.headers)


@pytest.mark.parametrize(
    "body,field",
    [
        ({"url": "http://169.254.169.254/latest/"}, "url"),
        ({"url": "ftp://example.com/"}, "url"),
        ({"url": "http://127.0.0.1/", "events": ["article.eaten"]}, "events"),
        ({"url": "http://127.0.0.1/", "events": []}, "events"),
        ({"url": "http://127.0.0.1/", "secret": "mine"}, "secret"),
        ({"events": ["article.published"]}, "url"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, body, field):
    response = api.post(BASE, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_private_targets_are_refused_when_not_allowed(api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    response = create(api, url="http://10.0.0.5/hook")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_url"


def test_no_token_is_a_401_and_a_bad_one_too(db):
    assert Client().get(BASE).status_code == 401
    bad = Client(headers={"Authorization": "Bearer wagtail_nope"})
    response = bad.get(BASE)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_user_without_the_permissions_gets_a_403(django_user_model):
    user = django_user_model.objects.create_user("ed", "e@example.com", "x")
    plain = api_token(user, name="t")
    client = Client(headers={"Authorization": f"Bearer {plain}"})
    assert client.get(BASE).status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="view_endpoint"))
    assert client.get(BASE).status_code == 200
    response = client.post(BASE, {"url": "http://127.0.0.1/"}, "application/json")
    assert response.status_code == 403
    assert response.json()["error"]["field"] is None


def test_patch_updates_and_reenables(api):
    created = create(api).json()
    endpoint = Endpoint.objects.get(id=created["id"])
    endpoint.active = False
    endpoint.disabled_reason = "The endpoint answered 410 Gone."
    endpoint.failing_since = endpoint.created_at
    endpoint.save()

    response = api.patch(
        f"{BASE}{created['id']}/",
        {"active": True, "events": ["release.failed"]},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["active"] is True
    assert response.json()["disabled_reason"] is None
    assert response.json()["events"] == ["release.failed"]
    assert Endpoint.objects.get(id=created["id"]).failing_since is None


def test_a_disabled_endpoint_shows_why(api):
    created = create(api).json()
    response = api.patch(
        f"{BASE}{created['id']}/", {"active": False}, content_type="application/json"
    )
    assert response.json()["active"] is False
    assert response.json()["disabled_reason"]


def test_delete_removes_the_endpoint(api):
    created = create(api).json()
    assert api.delete(f"{BASE}{created['id']}/").status_code == 204
    assert api.get(f"{BASE}{created['id']}/").status_code == 404
    assert api.delete(f"{BASE}{created['id']}/").status_code == 404


def test_rotating_the_secret_returns_the_new_one(api):
    created = create(api).json()
    response = api.post(f"{BASE}{created['id']}/rotate-secret/")
    assert response.status_code == 200
    assert response.json()["secret"] != created["secret"]
    assert Endpoint.objects.get().previous_secret == created["secret"]


def test_the_delivery_log_lists_newest_first_with_attempts(
    api, django_assert_max_num_queries
):
    endpoint = Endpoint.objects.get(id=create(api).json()["id"])
    deliveries = [make_delivery(endpoint) for _ in range(5)]
    for d in deliveries:
        Attempt.objects.create(delivery=d, status_code=500, error="", duration_ms=3)
        Attempt.objects.create(delivery=d, status_code=200, duration_ms=4)

    with django_assert_max_num_queries(5):
        response = api.get(f"{BASE}{endpoint.id}/deliveries/")

    results = response.json()["results"]
    assert [r["id"] for r in results] == [d.id for d in reversed(deliveries)]
    first = results[0]
    assert set(first) >= {
        "id",
        "webhook_id",
        "event_type",
        "status",
        "next_attempt_at",
        "attempts",
    }
    assert [a["status_code"] for a in first["attempts"]] == [500, 200]
    assert set(first["attempts"][0]) >= {
        "at",
        "status_code",
        "duration_ms",
        "error",
        "response_excerpt",
    }


def test_the_log_rejects_unknown_parameters(api):
    endpoint = create(api).json()
    response = api.get(f"{BASE}{endpoint['id']}/deliveries/?page=2")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "page"


def test_redeliver_answers_202_with_the_same_webhook_id(
    api, enqueued, django_capture_on_commit_callbacks
):
    endpoint = Endpoint.objects.get(id=create(api).json()["id"])
    d = make_delivery(endpoint, status="failed", next_attempt_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{BASE}{endpoint.id}/deliveries/{d.id}/redeliver/")

    assert response.status_code == 202
    assert response.json()["webhook_id"] == d.webhook_id
    assert Delivery.objects.get(id=d.id).status == "pending"
    assert enqueued == [d.id]
    assert api.post(f"{BASE}deliveries/{d.id}/redeliver/").status_code == 202


def test_redelivering_to_a_disabled_endpoint_is_a_409(api, enqueued):
    endpoint = Endpoint.objects.get(id=create(api).json()["id"])
    d = make_delivery(endpoint, status="failed", next_attempt_at=None)
    Endpoint.objects.filter(id=endpoint.id).update(active=False)

    response = api.post(f"{BASE}{endpoint.id}/deliveries/{d.id}/redeliver/")

    assert response.status_code == 409
    assert enqueued == []


def test_redelivering_another_endpoints_delivery_is_a_404(api, enqueued):
    a = Endpoint.objects.get(id=create(api).json()["id"])
    b = Endpoint.objects.get(id=create(api).json()["id"])
    d = make_delivery(a)
    assert api.post(f"{BASE}{b.id}/deliveries/{d.id}/redeliver/").status_code == 404


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'{"url": null}',
        b'{"url": 12}',
        b'{"url": "http://[::1"}',
        b'{"url": "http://\\u00fcn\\u00efcode.invalid/"}',
        b'{"url": "http://a:b/"}',
        b'{"url": "http://127.0.0.1/", "events": "article.published"}',
        b'{"url": "http://127.0.0.1/\\u0000"}',
        b'{"url": "' + b"h" * 5000 + b'"}',
    ],
)
def test_malformed_bodies_are_400s_not_5xx(api, raw):
    response = api.post(BASE, raw, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_the_openapi_document_describes_the_webhook_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/publishing/webhooks/" in paths
    assert "/api/v1/publishing/webhooks/{endpoint_id}/deliveries/" in paths
