"""The Wagtail admin for webhooks: endpoints, the delivery log, redelivery."""

from __future__ import annotations

import pytest
from django.urls import reverse

from publishing.webhooks import delivery
from publishing.webhooks.models import Delivery, Endpoint
from tests.publishing.webhooks.test_delivery import make_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.com", "x")
    client.force_login(user)
    return client


def test_creating_an_endpoint_shows_its_secret_once(admin):
    response = admin.post(
        reverse("webhooks_endpoint:add"),
        {
            "url": "http://127.0.0.1:8999/hook",
            "description": "front end",
            "events": ["article.published", "article.unpublished"],
            "active": "on",
        },
    )

    assert response.status_code == 200, response.content[:2000]
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["article.published", "article.unpublished"]
    assert endpoint.secret.encode() in response.content  # the one-time page
    again = admin.get(reverse("webhooks_endpoint:edit", args=(endpoint.pk,)))
    assert again.status_code == 200
    assert endpoint.secret.encode() not in again.content


def test_a_metadata_url_is_refused_in_the_admin(admin):
    response = admin.post(
        reverse("webhooks_endpoint:add"),
        {"url": "http://169.254.169.254/", "events": ["article.published"]},
    )
    assert response.status_code == 200
    assert not Endpoint.objects.exists()


def test_the_endpoint_list_shows_a_disabled_endpoint_and_why(admin, make_endpoint):
    make_endpoint("http://127.0.0.1:9/a", active=False, disabled_reason="Gone (410)")
    response = admin.get(reverse("webhooks_endpoint:index"))
    assert response.status_code == 200
    assert b"disabled" in response.content and b"Gone (410)" in response.content


def test_an_editor_reenables_an_endpoint(admin, make_endpoint):
    endpoint = make_endpoint(
        "http://127.0.0.1:9/a", active=False, disabled_reason="Gone (410)"
    )
    response = admin.post(
        reverse("webhooks_endpoint:edit", args=(endpoint.pk,)),
        {"url": endpoint.url, "events": ["article.published"], "active": "on"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_reason == ""


def test_the_delivery_log_filters_by_status(admin, make_endpoint):
    endpoint = make_endpoint("http://127.0.0.1:9/a")
    failed = make_delivery(endpoint, status="failed")
    delivered = make_delivery(endpoint, status="delivered")

    response = admin.get(reverse("webhooks_delivery:index"), {"status": "failed"})

    assert response.status_code == 200
    assert failed.webhook_id.encode() in response.content
    assert delivered.webhook_id.encode() not in response.content


def test_the_delivery_log_is_read_only(admin, make_endpoint):
    d = make_delivery(make_endpoint("http://127.0.0.1:9/a"))
    assert admin.get(reverse("webhooks_delivery:add")).status_code in (302, 403)
    assert admin.get(reverse("webhooks_delivery:edit", args=(d.pk,))).status_code in (
        302,
        403,
    )
    inspect = admin.get(reverse("webhooks_delivery:inspect", args=(d.pk,)))
    assert inspect.status_code == 200


def test_redeliver_from_the_admin(
    admin, make_endpoint, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        delivery, "enqueue_attempts", lambda ids, countdown=None: sent.extend(ids)
    )
    d = make_delivery(make_endpoint("http://127.0.0.1:9/a"), status="failed")
    url = reverse("webhooks_delivery:redeliver", args=(d.pk,))
    assert admin.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url)

    assert response.status_code == 302
    assert Delivery.objects.get(pk=d.pk).status == "pending"
    assert sent == [d.pk]


def test_rotating_the_secret_in_the_admin_shows_the_new_one_once(admin, make_endpoint):
    endpoint = make_endpoint("http://127.0.0.1:9/a")
    old = endpoint.secret
    url = reverse("webhooks_endpoint:rotate", args=(endpoint.pk,))
    assert admin.get(url).status_code == 200

    first = admin.post(url)
    assert first.status_code == 200

    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert endpoint.secret.encode() in first.content
    again = admin.get(reverse("webhooks_endpoint:index"))
    assert endpoint.secret.encode() not in again.content
