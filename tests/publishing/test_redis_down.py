"""Redis down: the publishing API's reads and the admin still answer, and the
status endpoint says the pipeline is unhealthy until Redis returns (R27)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from publishing import sweep
from publishing.models import Release
from publishing.monitoring import record_heartbeat
from tests.factories import api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "c@example.com", "pw")


@pytest.fixture
def api(chief, settings):
    settings.AUTH_FAILURE_RATE_LIMIT = "10/m"
    token = api_token(chief, name="scheduler")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)


def pipeline_running() -> None:
    """What a live worker and beat leave in Redis: a heartbeat, a recent sweep."""
    record_heartbeat("worker@test")
    cache.set(sweep.LAST_SWEEP_KEY, timezone.now().isoformat(), timeout=None)


def test_status_is_unhealthy_while_redis_is_down_and_recovers(api, redis_down):
    pipeline_running()
    assert api.get("/api/v1/publishing/status/").json()["healthy"] is True
    with redis_down():
        response = api.get("/api/v1/publishing/status/")
    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] is False
    assert body["workers"] == []
    assert body["queues"] is None
    pipeline_running()  # the heartbeat thread and the beat write again
    assert api.get("/api/v1/publishing/status/").json()["healthy"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/publishing/schedule/",
        "/api/v1/publishing/releases/",
        "/api/v1/publishing/releases/{release}/",
        "/api/v1/publishing/webhooks/",
    ],
)
def test_publishing_reads_answer_while_redis_is_down(api, redis_down, path):
    release = Release.objects.create(title="Monday")
    path = path.format(release=release.id)
    with redis_down():
        response = api.get(path)
    assert response.status_code == 200, response.content


def test_bad_tokens_are_still_401_while_redis_is_down(redis_down, settings, db):
    settings.AUTH_FAILURE_RATE_LIMIT = "10/m"
    client = Client(HTTP_AUTHORIZATION="Bearer nonsense")
    with redis_down():
        assert client.get("/api/v1/publishing/status/").status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/pages/{article}/edit/",
        "/admin/publishing/calendar/",
    ],
)
def test_admin_pages_answer_while_redis_is_down(
    client, chief, redis_down, live_article, path
):
    path = path.format(article=live_article.id)
    client.force_login(chief)
    client.raise_request_exception = False
    with redis_down():
        response = client.get(path)
    assert response.status_code == 200, path
