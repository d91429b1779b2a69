"""A delivery's page in the admin lists every attempt, as the API does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from publishing.webhooks.models import Attempt
from tests.publishing.webhooks.test_delivery import make_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.com", "x")
    client.force_login(user)
    return client


def test_a_deliverys_page_lists_each_attempt(admin, make_endpoint):
    endpoint = make_endpoint("http://127.0.0.1:9/hook")
    failing = make_delivery(endpoint, status="pending", attempt_count=2)
    Attempt.objects.create(
        delivery=failing,
        status_code=None,
        duration_ms=3,
        error="Connection refused",
    )
    Attempt.objects.create(
        delivery=failing,
        status_code=503,
        duration_ms=41,
        response_excerpt="Service Unavailable: try later",
    )
    response = admin.get(reverse("webhooks_delivery:inspect", args=[failing.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-attempt>") == 2
    for shown in ("Connection refused", "503", "41 ms", "3 ms", "Service Unavailable"):
        assert shown in html
    assert failing.webhook_id in html
    assert "next attempt in a few seconds" in html or "next attempt" in html
    assert reverse("webhooks_delivery:redeliver", args=[failing.pk]) in html


def test_the_delivery_log_links_each_delivery_to_its_page(admin, make_endpoint):
    failing = make_delivery(make_endpoint("http://127.0.0.1:9/hook"), status="failed")
    html = admin.get(reverse("webhooks_delivery:index")).content.decode()
    assert reverse("webhooks_delivery:inspect", args=[failing.pk]) in html
