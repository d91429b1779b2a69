import pytest
from django.db import transaction

from publishing import events
from publishing.models import Event, EventDelivery
from tests.factories import ArticlePageFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber(monkeypatch):
    received = []
    monkeypatch.setattr(
        events, "SUBSCRIBERS", {"probe": "tests.publishing.test_events.probe"}
    )
    monkeypatch.setattr(
        events, "active_subscribers", lambda: {"probe": events.SUBSCRIBERS["probe"]}
    )
    probe.received = received
    return received


def probe(event):
    probe.received.append(event.id)


def test_rolled_back_event_enqueues_nothing(
    subscriber, sent_tasks, django_capture_on_commit_callbacks
):
    sent = sent_tasks[events.DELIVER_EVENT_TASK]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                events.record_event(events.ARTICLE_PUBLISHED, {"id": 1})
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert sent == []
    assert not Event.objects.exists()


def test_committed_event_enqueues_one_task_per_subscriber(
    subscriber, sent_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = events.record_event(events.ARTICLE_PUBLISHED, {"id": 1})
    sent = [args for args, _ in sent_tasks[events.DELIVER_EVENT_TASK]]
    assert sent == [(event.id, "probe")]
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_a_subscriber_receives_an_event_once(subscriber):
    event = Event.objects.create(type=events.ARTICLE_PUBLISHED, data={})
    assert events.deliver_event(event.id, "probe") is True
    assert events.deliver_event(event.id, "probe") is False
    assert subscriber == [event.id]
    receipt = EventDelivery.objects.get(event=event)
    assert receipt.delivered_at is not None
    event.refresh_from_db()
    assert event.completed_at is not None


def test_sweep_redispatches_events_left_unsent(subscriber, sent_tasks):
    from datetime import timedelta

    from django.utils import timezone

    old = Event.objects.create(
        type=events.ARTICLE_PUBLISHED,
        data={},
        created_at=timezone.now() - timedelta(minutes=3),
    )
    Event.objects.create(type=events.ARTICLE_PUBLISHED, data={})  # still in flight
    assert events.sweep_outbox() == 1
    sent = [args for args, _ in sent_tasks[events.DELIVER_EVENT_TASK]]
    assert sent == [(old.id, "probe")]


def test_unregistered_module_subscriber_is_skipped(monkeypatch):
    monkeypatch.setattr(
        events, "SUBSCRIBERS", {"ghost": "publishing.no_such_module.handle_event"}
    )
    assert events.active_subscribers() == {}


def test_publishing_in_the_admin_records_article_published(section):
    page = ArticlePageFactory(parent=section, title="Hydration")
    publish(page)
    event = Event.objects.get(type=events.ARTICLE_PUBLISHED)
    assert event.data["id"] == page.id
    assert event.data["title"] == "Hydration"
    assert event.data["revision_id"] == page.live_revision_id
    assert event.data["url"] == "/news/hydration/"


def test_published_event_never_carries_a_draft_title(section):
    page = publish(ArticlePageFactory(parent=section, title="Live title"))
    page.title = "Secret draft title"
    page.save_revision()
    page.refresh_from_db()
    page.unpublish()
    event = Event.objects.get(type=events.ARTICLE_UNPUBLISHED)
    assert event.data["title"] == "Live title"
    assert "Secret" not in str(Event.objects.values_list("data", flat=True)[::1])
