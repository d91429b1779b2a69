"""Publishing's receivers, connected in ``PublishingConfig.ready()``.

- Wagtail's ``page_published`` / ``page_unpublished`` for articles become our
  ``articles_published`` / ``articles_unpublished`` (publishing/signals.py):
  whatever the door (admin, workflow approval, API v3, our API, the sweep, even
  Wagtail's stock ``publish_scheduled``), it ends in Wagtail's publish or
  unpublish, which sends them in the transaction of the change.
- A renamed author, category or tag becomes ``articles_updated`` for the articles
  that show it.
- The outbox (webhooks) listens to publishing's signals: its event rows are written
  in the transaction of the change, so the change and its event commit together.
- Wagtail's log entries for scheduling become ``article.scheduled`` /
  ``article.unscheduled`` events, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models.signals import post_save, pre_save
from django.utils.dateparse import parse_datetime
from taggit.models import Tag
from wagtail.models import PageLogEntry
from wagtail.signals import page_published, page_unpublished

from cms.content.models import ArticlePage, Author, Category
from publishing import events, signals
from publishing.payloads import article_data, schedule_data

SCHEDULE_ACTION = "wagtail.publish.schedule"
CANCEL_ACTION = "wagtail.schedule.cancel"


# --- Wagtail's signals to ours ---


def on_page_published(sender, instance, revision, **kwargs) -> None:
    # Wagtail also sends page_published when it merely schedules a page that has
    # never been live; only an actual go-live is an article.published.
    if not instance.live or instance.live_revision_id != revision.id:
        return
    signals.announce_published(instance, revision.id)


def on_page_unpublished(sender, instance, **kwargs) -> None:
    signals.announce_unpublished(instance)


# What each renamed thing's articles are, by the model that was renamed.
SHOWN_BY_ARTICLES = {
    Author: ("author", lambda pk: ArticlePage.objects.filter(author_id=pk)),
    Category: ("category", lambda pk: ArticlePage.objects.filter(categories__id=pk)),
    Tag: ("tag", lambda pk: ArticlePage.objects.filter(tagged_items__tag_id=pk)),
}
RENAMED = "_publishing_renamed"


def remember_rename(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    setattr(instance, RENAMED, old is not None and old != instance.name)


def announce_rename(sender, instance, created: bool, raw=False, **kwargs) -> None:
    if raw or created or not getattr(instance, RENAMED, False):
        return
    setattr(instance, RENAMED, False)
    changed, articles = SHOWN_BY_ARTICLES[sender]
    ids = articles(instance.pk).values_list("pk", flat=True).distinct()
    signals.announce_updated(ids, changed)


# --- The outbox, a listener of publishing's signals ---


def record_published(sender, pages, revision_ids, **kwargs) -> None:
    events.record_events(
        events.ARTICLE_PUBLISHED,
        [article_data(page, revision_ids[page.pk]) for page in pages],
    )


def record_unpublished(sender, pages, **kwargs) -> None:
    events.record_events(
        events.ARTICLE_UNPUBLISHED, [article_data(page) for page in pages]
    )


def on_log_entry(sender, instance: PageLogEntry, created: bool, **kwargs) -> None:
    if not created or instance.action not in (SCHEDULE_ACTION, CANCEL_ACTION):
        return
    page = ArticlePage.objects.filter(id=instance.page_id).first()
    if page is None:
        return
    revision = (instance.data or {}).get("revision") or {}
    go_live_at = revision.get("go_live_at")
    publish_at = _as_datetime(go_live_at)
    unpublish_at = None
    if instance.revision is not None:
        expire_at = instance.revision.content.get("expire_at")
        unpublish_at = _as_datetime(expire_at)
    event_type = (
        events.ARTICLE_SCHEDULED
        if instance.action == SCHEDULE_ACTION
        else events.ARTICLE_UNSCHEDULED
    )
    events.record_event(event_type, schedule_data(page, publish_at, unpublish_at))


def _as_datetime(value) -> datetime | None:
    # Log data holds datetimes before it is saved and ISO strings after.
    if isinstance(value, datetime):
        return value
    return parse_datetime(value) if isinstance(value, str) and value else None


def connect() -> None:
    page_published.connect(on_page_published, sender=ArticlePage)
    page_unpublished.connect(on_page_unpublished, sender=ArticlePage)
    for model in SHOWN_BY_ARTICLES:
        pre_save.connect(remember_rename, sender=model, dispatch_uid="publishing")
        post_save.connect(announce_rename, sender=model, dispatch_uid="publishing")
    signals.articles_published.connect(record_published, dispatch_uid="outbox")
    signals.articles_unpublished.connect(record_unpublished, dispatch_uid="outbox")
    post_save.connect(on_log_entry, sender=PageLogEntry)
