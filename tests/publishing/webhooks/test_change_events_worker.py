"""article.updated through a real ``celery worker`` (Redis, PostgreSQL, HTTP):
renames within a second reach the receiver as one event per affected article,
after the window; a later rename is a new event; every body is signed and carries
``previous_url``."""

from __future__ import annotations

import json
import time

import pytest
from standardwebhooks import Webhook

from publishing.models import Event
from tests.factories import ArticlePageFactory, AuthorFactory, publish
from tests.support.receiver import wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def updated_bodies(receiver) -> list[dict]:
    bodies = [json.loads(r.body) for r in receiver.received("/hook")]
    return [b for b in bodies if b["type"] == "article.updated"]


def test_renames_within_a_second_are_one_event_per_article(
    webhooks_worker, receiver, make_endpoint, section
):
    endpoint = make_endpoint(receiver.url("/hook"), events=["article.updated"])
    author = AuthorFactory(name="Ada")
    one = publish(ArticlePageFactory(parent=section, author=author, title="One"))
    two = publish(ArticlePageFactory(parent=section, author=author, title="Two"))
    for name in ("Ada 1", "Ada 2", "Ada 3"):  # three commits, well within 1 s
        author.name = name
        author.save()

    wait_for(lambda: len(updated_bodies(receiver)) >= 2, timeout=10)
    time.sleep(1.5)  # nothing else arrives for the same renames
    bodies = updated_bodies(receiver)
    assert sorted(b["data"]["id"] for b in bodies) == sorted([one.pk, two.pk])
    for request in receiver.received("/hook"):
        Webhook(endpoint.secret).verify(request.body, request.headers)
    assert all(b["data"]["previous_url"] is None for b in bodies)
    assert all(b["data"]["url"].startswith("/news/") for b in bodies)

    author.name = "Ada 4"  # after the window: new events
    author.save()
    wait_for(lambda: len(updated_bodies(receiver)) >= 4, timeout=10)
    assert Event.objects.filter(type="article.updated").count() == 4
    # Every event of the outbox reaches its subscriber: none left incomplete.
    wait_for(
        lambda: not Event.objects.filter(completed_at__isnull=True).exists(),
        timeout=10,
    )
