import pytest
from django.test import override_settings

from cms.celery_app import app as celery_app

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/1"


def test_healthz_is_200_when_every_service_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: c["ok"] for name, c in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }


def test_healthz_is_503_when_the_cache_is_down(client):
    dead_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    # override_settings rebuilds the cache handlers (Django's setting_changed).
    with override_settings(CACHES=dead_cache):
        response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthz_says_redis_is_down_and_recovers_when_it_returns(client, redis_down):
    # The cache's backend reads an unreachable Redis as misses: health must not.
    with redis_down():
        down = client.get("/healthz/")
    assert down.status_code == 503
    assert down.json()["status"] == "unavailable"
    assert {name: c["ok"] for name, c in down.json()["checks"].items()} == {
        "database": True,
        "cache": False,
        "broker": False,
    }
    assert client.get("/healthz/").status_code == 200


def test_healthz_shows_why_only_to_staff(client, redis_down, django_user_model):
    with redis_down():
        anonymous = client.get("/healthz/")
        staff = django_user_model.objects.create_user("ops", is_staff=True)
        client.force_login(staff)
        logged_in = client.get("/healthz/")
    assert set(anonymous.json()["checks"]["cache"]) == {"ok", "ms"}
    assert b"Error" not in anonymous.content
    assert b"127.0.0.1" not in anonymous.content
    assert "ConnectionError" in logged_in.json()["checks"]["cache"]["error"]


def test_healthz_answers_get_only(client):
    assert client.post("/healthz/").status_code == 405


def test_healthz_shows_no_exception_text_to_anonymous_callers(client, monkeypatch):
    from cms import health

    def broken():
        raise RuntimeError("password=hunter2 at redis://10.0.0.5:6379")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "ok": False,
        "ms": response.json()["checks"]["cache"]["ms"],
    }
    assert b"hunter2" not in response.content and b"10.0.0.5" not in response.content


def test_healthz_shows_the_error_to_staff(admin_client, monkeypatch):
    from cms import health

    def broken():
        raise RuntimeError("cache said no")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    body = admin_client.get("/healthz/").json()
    assert body["checks"]["cache"]["error"] == "RuntimeError: cache said no"
