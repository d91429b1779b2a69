"""Webhook signing secrets are encrypted at rest (Fernet, MultiFernet rotation) and
shown once without passing through a cookie; the Redis cache holds no pickles."""

from __future__ import annotations

import pickle

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from delivery.cache import redis_client
from publishing.webhooks.models import Endpoint
from publishing.webhooks.signing import generate_secret, signing_secrets

pytestmark = pytest.mark.django_db


def stored(endpoint_id: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret, previous_secret FROM webhooks_endpoint WHERE id = %s",
            [endpoint_id],
        )
        return cursor.fetchone()


def test_secrets_are_stored_encrypted_and_read_back_in_plaintext():
    secret = generate_secret()
    endpoint = Endpoint.objects.create(url="http://127.0.0.1:9/a", secret=secret)
    raw_secret, _ = stored(endpoint.id)
    assert raw_secret.startswith("fernet:") and secret not in raw_secret
    assert Endpoint.objects.get(id=endpoint.id).secret == secret
    assert signing_secrets(Endpoint.objects.get(id=endpoint.id)) == [secret]


def test_rotated_previous_secret_is_encrypted_too():
    from publishing.webhooks.signing import rotate_secret

    endpoint = Endpoint.objects.create(url="http://127.0.0.1:9/a", secret="whsec_x")
    new = rotate_secret(endpoint)
    raw_secret, raw_previous = stored(endpoint.id)
    assert "whsec_" not in raw_secret + raw_previous
    endpoint = Endpoint.objects.get(id=endpoint.id)
    assert (endpoint.secret, endpoint.previous_secret) == (new, "whsec_x")


def test_key_rotation_with_multifernet_and_reencryption(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WEBHOOK_SECRET_KEYS = [old]
    endpoint = Endpoint.objects.create(url="http://127.0.0.1:9/a", secret="whsec_k")
    before, _ = stored(endpoint.id)
    settings.WEBHOOK_SECRET_KEYS = [new, old]  # new first, old still decrypts
    assert Endpoint.objects.get(id=endpoint.id).secret == "whsec_k"
    call_command("reencrypt_webhook_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after, _ = stored(endpoint.id)
    assert after != before
    settings.WEBHOOK_SECRET_KEYS = [new]  # the old key dropped
    assert Endpoint.objects.get(id=endpoint.id).secret == "whsec_k"


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.com", "x")
    client.force_login(user)
    return client


def test_the_admin_shows_a_new_secret_once_and_never_in_a_cookie(admin):
    response = admin.post(
        reverse("webhooks_endpoint:add"),
        {
            "url": "http://127.0.0.1:8999/hook",
            "events": ["article.published"],
            "active": "on",
        },
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 200
    assert endpoint.secret.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert not any(endpoint.secret in m.value for m in admin.cookies.values())
    later = admin.get(reverse("webhooks_endpoint:index"))
    assert endpoint.secret.encode() not in later.content


def test_the_admin_shows_a_rotated_secret_once_and_never_in_a_cookie(admin):
    endpoint = Endpoint.objects.create(url="http://127.0.0.1:9/a", secret="whsec_o")
    response = admin.post(reverse("webhooks_endpoint:rotate", args=(endpoint.pk,)))
    endpoint.refresh_from_db()
    assert response.status_code == 200
    assert endpoint.secret.encode() in response.content
    assert not any(endpoint.secret in m.value for m in admin.cookies.values())
    later = admin.get(reverse("webhooks_endpoint:index"))
    assert endpoint.secret.encode() not in later.content


class Boom:
    def __reduce__(self):
        return (pytest.fail, ("a pickle from Redis was executed",))


def test_the_redis_cache_stores_json_and_never_unpickles():
    cache.set("probe", {"a": [1, "b"]}, 30)
    raw = redis_client().get(cache.make_key("probe"))
    assert raw == b'{"a":[1,"b"]}'
    # What someone with write access to Redis could plant:
    redis_client().set(cache.make_key("planted"), pickle.dumps(Boom()))
    with pytest.raises(ValueError):
        cache.get("planted")
    cache.set("counter", 1)
    assert cache.incr("counter") == 2


def test_renditions_are_cached_in_process_not_in_redis():
    from django.core.cache import caches
    from wagtail.images.models import Rendition

    assert Rendition.cache_backend is caches["renditions"]
    assert "LocMemCache" in type(caches["renditions"]).__name__
