"""comment.created and comment.approved through the outbox, delivered by a real
webhook worker (started by tests/support/processes.py, as production starts it)
to a real HTTP receiver, signed as Standard Webhooks says."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from standardwebhooks import Webhook

from comments import moderation
from publishing.webhooks.models import Endpoint
from publishing.webhooks.signing import generate_secret
from tests.comments.conftest import comments_url, valid
from tests.support.processes import Pipeline
from tests.support.receiver import Receiver, wait_for
from tests.support.suite import database_url, purge_queues

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "reader.private@example.com"


@pytest.fixture
def webhook_worker(settings):
    # One key for the test (which stores the endpoint's secret encrypted) and
    # the worker (which decrypts it to sign).
    key = Fernet.generate_key().decode()
    settings.WEBHOOK_SECRET_KEYS = [key]
    purge_queues()
    tmp = Path(tempfile.mkdtemp(prefix="cms-comments-"))
    pipeline = Pipeline(
        database_url(),
        settings.REDIS_URL,
        tmp,
        WEBHOOK_SECRET_KEYS=key,
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        WEBHOOK_REQUIRE_HTTPS="false",
        CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
    )
    try:
        yield pipeline.webhook_worker(concurrency=2)
    finally:
        pipeline.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def bodies(receiver, endpoint, event_type: str) -> list[dict]:
    found = []
    for request in receiver.received("/hook"):
        payload = Webhook(endpoint.secret).verify(request.body, request.headers)
        if payload["type"] == event_type:
            found.append(payload)
    return found


def test_a_submission_and_its_approval_reach_a_receiver_signed(
    webhook_worker, receiver, article
):
    endpoint = Endpoint.objects.create(
        url=receiver.url("/hook"),
        secret=generate_secret(),
        events=["comment.created", "comment.approved"],
    )
    client = Client()

    submitted = client.post(
        comments_url(article),
        data=valid(author_email=EMAIL, body="Magnesium helped me sleep"),
        content_type="application/json",
    )
    assert submitted.status_code == 202
    comment_id = submitted.json()["id"]

    created = wait_for(lambda: bodies(receiver, endpoint, "comment.created"), 15)
    assert created[0]["data"]["id"] == comment_id
    assert created[0]["data"]["article"]["slug"] == article.slug
    assert "Magnesium helped" not in json.dumps(created[0])  # not public yet

    moderation.moderate([comment_id], "approve")

    approved = wait_for(lambda: bodies(receiver, endpoint, "comment.approved"), 15)
    assert approved[0]["data"]["id"] == comment_id
    assert approved[0]["data"]["body"] == "Magnesium helped me sleep"
    for request in receiver.received("/hook"):
        assert EMAIL.encode() not in request.body
    # Approval is visible in the API as soon as it commits.
    listed = client.get(comments_url(article)).json()
    assert [c["id"] for c in listed["results"]] == [comment_id]
    detail = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert detail["comment_count"] == 1


def test_spam_through_the_honeypot_sends_nothing(webhook_worker, receiver, article):
    Endpoint.objects.create(
        url=receiver.url("/hook"), secret=generate_secret(), events=["comment.created"]
    )
    client = Client()
    spam = client.post(
        comments_url(article),
        data=valid(website="http://spam.example"),
        content_type="application/json",
    )
    real = client.post(
        comments_url(article), data=valid(), content_type="application/json"
    )

    assert spam.status_code == real.status_code == 202
    wait_for(lambda: receiver.received("/hook"), 15)
    received = [json.loads(r.body)["data"]["id"] for r in receiver.received("/hook")]
    assert received == [real.json()["id"]]
