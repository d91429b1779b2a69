import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from publishing import events, golive, planning, releases, sweep
from publishing.models import Event, Release, ReleaseItem
from tests.factories import ArticlePageFactory, publish

pytestmark = pytest.mark.django_db


def schedule_in_admin(page, go_live_at, expire_at=None):
    """What the admin's publish button does with a future go-live date."""
    page.go_live_at = go_live_at
    page.expire_at = expire_at
    revision = page.save_revision()
    revision.publish()
    revision.refresh_from_db()
    return revision


def test_admin_go_live_field_is_a_schedule(article):
    at = timezone.now() + timedelta(seconds=30)
    revision = schedule_in_admin(article, at)
    assert [i.id for i in sweep.due_items(at)] == [revision.id]
    assert Event.objects.filter(type=events.ARTICLE_SCHEDULED).count() == 1


def test_due_revision_is_published_once(article):
    revision = schedule_in_admin(article, timezone.now() + timedelta(seconds=5))
    later = timezone.now() + timedelta(seconds=6)
    assert golive.publish_revision_if_due(revision.id, now=later) is True
    assert golive.publish_revision_if_due(revision.id, now=later) is False
    article.refresh_from_db()
    assert article.live and article.live_revision_id == revision.id
    assert Event.objects.filter(type=events.ARTICLE_PUBLISHED).count() == 1
    assert (
        PageLogEntry.objects.filter(
            page=article, action="wagtail.publish.scheduled"
        ).count()
        == 1
    )


def test_revision_is_not_published_before_its_time(article):
    revision = schedule_in_admin(article, timezone.now() + timedelta(seconds=60))
    assert golive.publish_revision_if_due(revision.id, now=timezone.now()) is False
    article.refresh_from_db()
    assert not article.live


def test_change_after_scheduling_does_not_go_live(article):
    revision = schedule_in_admin(article, timezone.now() + timedelta(seconds=5))
    draft = article.get_latest_revision_as_object()
    draft.title = "Unscheduled edit"
    draft.save_revision()
    golive.publish_revision_if_due(
        revision.id, now=timezone.now() + timedelta(seconds=6)
    )
    article.refresh_from_db()
    assert article.live_revision_id == revision.id
    assert article.title == "Magnesium and sleep"
    assert article.has_unpublished_changes


def test_expiry_unpublishes_once(live_article):
    live_article.expire_at = timezone.now() + timedelta(seconds=5)
    live_article.save(update_fields=["expire_at"])
    later = timezone.now() + timedelta(seconds=6)
    assert golive.unpublish_page_if_expired(live_article.id, now=later) is True
    assert golive.unpublish_page_if_expired(live_article.id, now=later) is False
    live_article.refresh_from_db()
    assert not live_article.live and live_article.expired
    assert Event.objects.filter(type=events.ARTICLE_UNPUBLISHED).count() == 1


def test_overriding_publish_scheduled_uses_the_locked_path(article):
    revision = schedule_in_admin(article, timezone.now() + timedelta(seconds=1))
    Revision.objects.filter(id=revision.id).update(
        approved_go_live_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("publish_scheduled")
    call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live_revision_id == revision.id
    assert Event.objects.filter(type=events.ARTICLE_PUBLISHED).count() == 1


def test_due_items_come_in_time_order(section):
    now = timezone.now()
    revisions = []
    for offset in (30, 10, 20):
        page = ArticlePageFactory(parent=section)
        revisions.append(schedule_in_admin(page, now + timedelta(seconds=offset)))
    ordered = [i.id for i in sweep.due_items(now + timedelta(seconds=40))]
    assert ordered == [revisions[1].id, revisions[2].id, revisions[0].id]


def test_sweep_sends_each_due_item_once_per_window(article, sent_tasks):
    at = timezone.now() + timedelta(seconds=20)
    revision = schedule_in_admin(article, at)
    sweep.sweep()
    sweep.sweep()
    sent = sent_tasks["publishing.tasks.publish_revisions_task"]
    assert sent == [(([revision.id],), {"eta": at - golive.EARLY_START})]


def test_sweep_sends_a_burst_in_batches_and_other_times_apart(section, sent_tasks):
    from publishing import bulk

    at = timezone.now() + timedelta(seconds=30)
    burst = bulk.BATCH_SIZE + 3
    for n in range(burst + 1):
        page = ArticlePageFactory(parent=section)
        schedule_in_admin(page, at if n < burst else at + timedelta(seconds=1))
    sweep.sweep()
    sent = [
        (list(args[0]), kw["eta"])
        for args, kw in sent_tasks["publishing.tasks.publish_revisions_task"]
    ]
    sizes = [(len(ids), eta) for ids, eta in sent]
    early = golive.EARLY_START
    assert sizes == [
        (bulk.BATCH_SIZE, at - early),
        (3, at - early),
        (1, at + timedelta(seconds=1) - early),
    ]
    assert len({i for ids, _ in sent for i in ids}) == burst + 1


def test_sweep_leaves_items_beyond_the_horizon_in_the_database(article, sent_tasks):
    schedule_in_admin(article, timezone.now() + timedelta(minutes=10))
    sweep.sweep()
    sent = sent_tasks["publishing.tasks.publish_revisions_task"]
    assert sent == []


def _release(section, n=2):
    release = Release.objects.create(title="Launch")
    pages = [publish(ArticlePageFactory(parent=section)) for _ in range(n)]
    for page in pages:
        ReleaseItem.objects.create(release=release, page=page)
    for page in pages:
        page.title = f"{page.title} (release)"
        page.save_revision()
    return release, pages


def test_release_publishes_every_article_together(section):
    release, pages = _release(section)
    at = timezone.now() + timedelta(seconds=5)
    releases.schedule_release(release, at)
    assert releases.publish_release_if_due(release.id, now=at) is True
    release.refresh_from_db()
    assert release.status == "published"
    for page in pages:
        page.refresh_from_db()
        assert page.title.endswith("(release)")
    assert Event.objects.filter(type=events.RELEASE_PUBLISHED).count() == 1


def test_release_with_a_deleted_article_publishes_none(section):
    release, pages = _release(section)
    at = timezone.now() + timedelta(seconds=5)
    releases.schedule_release(release, at)
    deleted_id = pages[1].id
    pages[1].delete()
    releases.publish_release_if_due(release.id, now=at)
    release.refresh_from_db()
    assert release.status == "failed"
    assert release.failures == [
        {"article_id": deleted_id, "reason": "the article was deleted"}
    ]
    pages[0].refresh_from_db()
    assert not pages[0].title.endswith("(release)")
    event = Event.objects.get(type=events.RELEASE_FAILED)
    assert event.data["failures"][0]["article_id"] == deleted_id


def test_article_in_a_scheduled_release_cannot_be_scheduled_alone(section):
    release, pages = _release(section, n=1)
    releases.schedule_release(release, timezone.now() + timedelta(hours=1))
    with pytest.raises(planning.ScheduleConflict):
        planning.schedule_article(
            pages[0].specific, timezone.now() + timedelta(hours=2), None
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_workers_publish_once(section):
    page = ArticlePageFactory(parent=section)
    revision = schedule_in_admin(page, timezone.now() + timedelta(seconds=1))
    later = timezone.now() + timedelta(seconds=2)
    results = []

    def work():
        try:
            results.append(golive.publish_revision_if_due(revision.id, now=later))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False] * 7 + [True]
    assert Event.objects.filter(type=events.ARTICLE_PUBLISHED).count() == 1
    assert (
        PageLogEntry.objects.filter(
            page=page, action="wagtail.publish.scheduled"
        ).count()
        == 1
    )


def test_sweep_sends_pending_reminders_again_when_their_holders_change(
    article, monkeypatch
):
    from publishing import reminders

    sent = []
    monkeypatch.setattr(
        "publishing.sweep._remind",
        lambda kind, ids, due_at, now: sent.append(ids),
    )
    schedule_in_admin(article, timezone.now() + timedelta(seconds=20))
    reminders.renew("w1@host:1:a")
    sweep.sweep()
    sweep.sweep()
    assert len(sent) == 1
    # A worker (re)connects: what the others hold may have been lost with it.
    reminders.renew("w2@host:2:b")
    sweep.sweep()
    sweep.sweep()
    assert len(sent) == 2
    # A worker goes away with what it held.
    reminders.release("w1@host:1:a")
    sweep.sweep()
    assert len(sent) == 3


def test_sweeps_queued_together_sweep_once(article, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "publishing.sweep._remind",
        lambda kind, ids, due_at, now: sent.append(ids),
    )
    schedule_in_admin(article, timezone.now() + timedelta(seconds=20))
    assert len(sweep.sweep_unless_just_swept().sent) == 1
    assert sweep.sweep_unless_just_swept() is None
    time.sleep(sweep.SWEEP_MIN_GAP_MS / 1000 + 0.05)
    # The beat's next tick sweeps (and finds it already sent).
    assert sweep.sweep_unless_just_swept().sent == []


def test_a_sweep_without_the_cache_sends_everything_due(article, monkeypatch):
    from django.core.cache import cache

    sent = []
    monkeypatch.setattr(
        "publishing.sweep._remind",
        lambda kind, ids, due_at, now: sent.append(ids),
    )

    def no_redis(*args, **kwargs):
        raise ConnectionError("Redis is away")

    schedule_in_admin(article, timezone.now() + timedelta(seconds=20))
    monkeypatch.setattr(cache._cache, "get_client", no_redis)
    sweep.sweep()
    sweep.sweep()
    # Duplicates are harmless (row locks); a lost publish is not.
    assert len(sent) == 2
