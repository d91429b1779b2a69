"""Wagtail's publishing signals → our outbox events. Connected in AppConfig.ready().

Whatever the door (admin, workflow approval, API v3, our API, our sweep, even the
stock ``publish_scheduled``), Wagtail sends ``page_published``/``page_unpublished``
and writes a log entry for scheduling, in the transaction of the change; the outbox
row is written right there, so the change and its event commit together.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models.signals import post_save
from django.utils.dateparse import parse_datetime
from wagtail.models import PageLogEntry
from wagtail.signals import page_published, page_unpublished

from cms.content.models import ArticlePage
from publishing import bulk, events
from publishing.payloads import article_data, schedule_data

SCHEDULE_ACTION = "wagtail.publish.schedule"
CANCEL_ACTION = "wagtail.schedule.cancel"


def on_page_published(sender, instance, revision, **kwargs) -> None:
    # Wagtail also sends page_published when it merely schedules a page that has
    # never been live; only an actual go-live is an article.published.
    if not instance.live or instance.live_revision_id != revision.id:
        return
    if bulk.handled_in_bulk(instance):
        return  # publishing/bulk.py writes the batch's events in one INSERT
    events.record_event(events.ARTICLE_PUBLISHED, article_data(instance, revision.id))


def on_page_unpublished(sender, instance, **kwargs) -> None:
    events.record_event(events.ARTICLE_UNPUBLISHED, article_data(instance))


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
    post_save.connect(on_log_entry, sender=PageLogEntry)
