"""publishing/signals.py: one signal per batch, whichever way the articles went live."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing import golive, releases, signals
from publishing.models import Release, ReleaseItem
from tests.factories import ArticlePageFactory, AuthorFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Each signal sent, as (signal name, sorted page ids, extra)."""
    calls = []

    def listener(name):
        def receive(sender, page_ids, **kwargs):
            extra = kwargs.get("changed") or kwargs.get("revision_ids")
            calls.append((name, sorted(page_ids), extra))

        return receive

    receivers = {
        signals.articles_published: listener("published"),
        signals.articles_unpublished: listener("unpublished"),
        signals.articles_updated: listener("updated"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False, dispatch_uid=f"test-{id(receiver)}")
    yield calls
    for signal, receiver in receivers.items():
        signal.disconnect(dispatch_uid=f"test-{id(receiver)}")


def scheduled(pages, at):
    revisions = []
    for page in pages:
        page.go_live_at = at
        revision = page.save_revision()
        revision.publish()
        revisions.append(revision)
    return revisions


def test_wagtails_publish_sends_articles_published_with_the_revision(section, heard):
    page = publish(ArticlePageFactory(parent=section))
    assert heard == [("published", [page.pk], {page.pk: page.live_revision_id})]


def test_a_scheduled_publish_one_by_one_sends_one_signal(section, heard):
    page = ArticlePageFactory(parent=section)
    at = timezone.now() + timedelta(seconds=60)
    (revision,) = scheduled([page], at)
    heard.clear()
    assert golive.publish_revision_if_due(revision.id, now=at) is True
    assert heard == [("published", [page.pk], {page.pk: revision.id})]


def test_a_batch_sends_one_signal_for_all_its_articles(section, heard):
    pages = [ArticlePageFactory(parent=section) for _ in range(3)]
    at = timezone.now() + timedelta(seconds=60)
    revisions = scheduled(pages, at)
    heard.clear()
    golive.publish_revisions_if_due([r.id for r in revisions], now=at)
    assert heard == [
        (
            "published",
            sorted(p.pk for p in pages),
            {int(r.object_id): r.id for r in revisions},
        )
    ]


def test_a_release_sends_one_signal_for_all_its_articles(section, heard):
    pages = [publish(ArticlePageFactory(parent=section)) for _ in range(2)]
    release = Release.objects.create(title="Launch")
    for page in pages:
        ReleaseItem.objects.create(release=release, page=page)
        page.save_revision()
    at = timezone.now() + timedelta(hours=1)
    releases.schedule_release(release, at)
    heard.clear()
    assert releases.publish_release_if_due(release.id, now=at) is True
    assert [(name, ids) for name, ids, _ in heard] == [
        ("published", sorted(p.pk for p in pages))
    ]


def test_unpublishing_sends_articles_unpublished(section, heard):
    page = publish(ArticlePageFactory(parent=section))
    heard.clear()
    page.unpublish()
    assert heard == [("unpublished", [page.pk], None)]


def test_renaming_an_author_sends_articles_updated(section, heard):
    author = AuthorFactory(name="Ada Lovelace")
    page = publish(ArticlePageFactory(parent=section, author=author))
    heard.clear()
    author.bio = "Not a rename."
    author.save()
    assert heard == []
    author.name = "Grace Hopper"
    author.save()
    assert heard == [("updated", [page.pk], "author")]


def test_a_failed_batch_announces_nothing(heard):
    page_like = ArticlePageFactory.build(pk=1)
    with pytest.raises(RuntimeError), signals.one_batch():
        signals.announce_published(page_like, 7)
        raise RuntimeError
    assert heard == []
