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
- The change log that sync reads (publishing/changes.py) is written by the same
  listeners, before their events (an event's ``previous_url`` comes from it).
  Changes to the tree that are not an article's own publish (a section published,
  unpublished or renamed, a move, a view restriction) are reconciled against it:
  articles that became public or moved get an upsert and ``article.updated``,
  those that became hidden a delete and ``article.unpublished`` (``"hidden"``).
- An image saved (file, title, focal point) or an article whose editor-picked
  related post was published or unpublished becomes ``articles_updated``.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.dateparse import parse_datetime
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.content.models import ArticleIndexPage, ArticlePage, Author, Category
from cms.content.models.pages import RelatedArticle
from cms.content.visibility import public_articles
from publishing import changes, events, signals
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
    signals.announce_unpublished(instance, unpublish_reason(instance))


def unpublish_reason(page: Page) -> str:
    if page.expired:
        return "expired"
    # Wagtail unpublishes a live page about to be deleted without saving it
    # (``unpublish(commit=False)`` in its pre_delete handler): still live here.
    if Page.objects.filter(pk=page.pk, live=True).exists():
        return "deleted"
    return "unpublished"


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


def image_changed(sender, instance, created: bool = False, **kwargs) -> None:
    if created or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not IMAGE_FIELDS & set(update_fields):
        return
    shown = Q(hero_image_id=instance.pk)
    if connection.vendor == "postgresql":
        # Body image blocks naming it (jsonb containment on the StreamField).
        needle = json.dumps([{"type": "image", "value": {"image": instance.pk}}])
        in_body = ArticlePage.objects.alias(
            shows=RawSQL("(body::jsonb @> %s::jsonb)", [needle], BooleanField())
        ).filter(shows=True)
        shown |= Q(pk__in=in_body.values("pk"))
    ids = ArticlePage.objects.filter(shown).values_list("pk", flat=True)
    signals.announce_updated(ids, "image")


# The image fields an article's JSON shows (renditions, alt text, focal point).
IMAGE_FIELDS = {
    "file",
    "title",
    "width",
    "height",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
}


def related_visibility_changed(sender, page_ids, **kwargs) -> None:
    """Articles whose editor picked one of these as a related post show it (or
    stop showing it): their JSON changed."""
    picking = (
        RelatedArticle.objects.filter(article_id__in=list(page_ids))
        .exclude(page_id__in=list(page_ids))
        .values_list("page_id", flat=True)
        .distinct()
    )
    signals.announce_updated(picking, "related")


# --- The tree around articles: reconciled against the change log ---

SECTION_RENAMED = "_publishing_section_renamed"


def remember_section_rename(sender, instance, raw=False, update_fields=None, **kw):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"title", "slug"} & set(update_fields):
        return
    old = Page.objects.filter(pk=instance.pk).values_list("title", "slug").first()
    setattr(
        instance,
        SECTION_RENAMED,
        old is not None
        and old
        != (
            instance.title,
            instance.slug,
        ),
    )


@transaction.atomic
def tree_page_changed(sender, instance, **kwargs) -> None:
    """A page other than an article published or unpublished (a section, the
    home page): its articles may have become public or hidden, or (a renamed
    section) show a new title."""
    if isinstance(instance, ArticlePage):
        return
    renamed = getattr(instance, SECTION_RENAMED, False)
    setattr(instance, SECTION_RENAMED, False)
    record_reconciled(changes.reconcile(instance, force_upsert=renamed))


@transaction.atomic
def page_moved(sender, instance, url_path_before, url_path_after, **kwargs) -> None:
    if url_path_before == url_path_after:
        return
    page = Page.objects.get(pk=instance.pk)
    record_reconciled(changes.reconcile(page, old_url_path=url_path_before))


@transaction.atomic
def restriction_changed(sender, instance, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        record_reconciled(changes.reconcile(page))


def record_reconciled(result: changes.Reconciled) -> None:
    previous = result.previous_urls
    events.record_coalesced(
        events.ARTICLE_UPDATED,
        [
            article_data(page, previous_url=previous.get(page.pk))
            for page in result.upserted
        ],
    )
    events.record_events(
        events.ARTICLE_UNPUBLISHED,
        [{**article_data(page), "reason": "hidden"} for page in result.hidden],
    )


# --- The outbox and the change log, listeners of publishing's signals ---
# Each listener is atomic: inside the change's transaction it is a savepoint of
# it; for a change saved in autocommit (a snippet saved outside a transaction)
# its change-log lines and events still commit together, under the log's lock.


def _public_ids(pages) -> set[int]:
    return set(
        public_articles()
        .filter(pk__in=[page.pk for page in pages])
        .values_list("pk", flat=True)
    )


def _log_publicly(pages) -> dict[int, str | None]:
    """Log an upsert for each of these articles that is public now, a delete for
    one that is not (published under a hidden section, say) but was last logged
    as public; returns the previous URLs."""
    if not pages:
        return {}
    public = _public_ids(pages)
    last = changes.last_logged(page.pk for page in pages)
    lines = []
    for page in pages:
        url = changes.public_url(page.url_path)
        if page.pk in public:
            lines.append(changes.Change(page.pk, page.slug, url, changes.UPSERT))
        elif last.get(page.pk, (None,))[0] == changes.UPSERT:
            lines.append(changes.Change(page.pk, page.slug, url, changes.DELETE))
    return changes.log_changes(lines)


@transaction.atomic
def record_published(sender, pages, revision_ids, **kwargs) -> None:
    previous = _log_publicly(pages)
    events.record_events(
        events.ARTICLE_PUBLISHED,
        [
            article_data(page, revision_ids[page.pk], previous.get(page.pk))
            for page in pages
        ],
    )


@transaction.atomic
def record_unpublished(sender, pages, reasons=None, **kwargs) -> None:
    reasons = reasons or {}
    last = changes.last_logged(page.pk for page in pages)
    previous = changes.log_changes(
        [
            changes.Change(
                page.pk,
                page.slug,
                last.get(page.pk, (None, None))[1] or changes.public_url(page.url_path),
                changes.DELETE,
            )
            for page in pages
        ]
    )
    events.record_events(
        events.ARTICLE_UNPUBLISHED,
        [
            {
                **article_data(page, previous_url=previous.get(page.pk)),
                "reason": reasons.get(page.pk, "unpublished"),
            }
            for page in pages
        ],
    )


@transaction.atomic
def record_updated(sender, page_ids, **kwargs) -> None:
    pages = list(ArticlePage.objects.filter(pk__in=list(page_ids)).defer("body"))
    public = [page for page in pages if page.live]
    previous = _log_publicly(public)
    shown = _public_ids(public) if public else set()
    events.record_coalesced(
        events.ARTICLE_UPDATED,
        [
            article_data(page, previous_url=previous.get(page.pk))
            for page in public
            if page.pk in shown
        ],
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
    signals.articles_updated.connect(record_updated, dispatch_uid="outbox")
    for signal in (signals.articles_published, signals.articles_unpublished):
        signal.connect(related_visibility_changed, dispatch_uid="related")
    image_model = get_image_model()
    post_save.connect(image_changed, sender=image_model, dispatch_uid="publishing")
    pre_save.connect(
        remember_section_rename, sender=ArticleIndexPage, dispatch_uid="publishing"
    )
    page_published.connect(tree_page_changed, dispatch_uid="publishing-tree")
    page_unpublished.connect(tree_page_changed, dispatch_uid="publishing-tree")
    post_page_move.connect(page_moved, dispatch_uid="publishing-tree")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed, sender=PageViewRestriction, dispatch_uid="publishing"
        )
    post_save.connect(on_log_entry, sender=PageLogEntry)
