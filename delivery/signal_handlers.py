"""What the delivery package hears, and what it retires or renders; connected in
``DeliveryConfig.ready()``.

Articles (publishing's signals, publishing/signals.py, once per batch):

- published or unpublished: once the transaction commits, every cached response
  is retired (the content version is bumped: delivery/cache.py), the front-end
  cache is purged, and the articles' stored documents are rendered (or dropped) on
  a worker. Until then the API renders from the page: a document is served only
  while it matches the live revision.

The page tree (Wagtail's signals, for what publishing does not announce):

- a section (or any page but an article) published or unpublished, any page moved
  or deleted: responses retired. Descendants' URLs may have changed, which retires
  their documents (they no longer match ``url_path``): the sweep renders them
  again. A site's root page published bumps the epoch (site roots are read once
  per epoch).

What documents and responses show besides the article itself:

- an author, category, tag, image, document or site changed or deleted: what the
  documents show of it may be stale, so the epoch is bumped in the same
  transaction (every document retired at once) and all are rendered again.
  Creations bump nothing: no stored document can show what did not exist.
- an author, category, view restriction, image or redirect saved or deleted:
  responses retired (routes/ and redirects/ show redirects).
- a section published (its title may have changed): its articles' documents
  rendered again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from cms.content.models import (
    ArticleDocument,
    ArticleIndexPage,
    ArticlePage,
    Author,
    Category,
)
from delivery import read_model, tasks
from delivery.cache import bump_content_version, purge_frontend_cache
from publishing.signals import articles_published, articles_unpublished

# The image fields a document's output depends on (its renditions and alt text);
# saves of other fields (Wagtail fills in file_size and file_hash lazily) don't.
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


def _retire_responses() -> None:
    transaction.on_commit(bump_content_version)


def _retire_documents() -> None:
    read_model.bump_epoch()
    transaction.on_commit(tasks.enqueue_sweep, robust=True)


# --- Articles ---


def retire_article_responses(sender, pages, **kwargs) -> None:
    _retire_responses()
    transaction.on_commit(lambda: [purge_frontend_cache(page) for page in pages])


def render_article_documents(sender, page_ids, **kwargs) -> None:
    ids = list(page_ids)
    transaction.on_commit(lambda: tasks.enqueue_render(ids), robust=True)


# --- The page tree ---


def page_changed(sender, instance: Page, **kwargs) -> None:
    if isinstance(instance, ArticlePage) and "url_path_before" not in kwargs:
        return  # an article's own publish or unpublish: publishing's signals
    _retire_responses()
    transaction.on_commit(lambda: purge_frontend_cache(instance))


def page_deleted(sender, instance: Page, **kwargs) -> None:
    # Drafts are deleted too; only a page that was live changes public responses,
    # but a spare bump costs one cache miss per endpoint, so keep the rule simple.
    _retire_responses()


def tree_changed(sender, instance: Page, **kwargs) -> None:
    if isinstance(instance, ArticlePage) and "url_path_before" not in kwargs:
        return  # an article's own publish: render_article_documents
    if Site.objects.filter(root_page_id=instance.pk).exists():
        _retire_documents()  # the site roots that link URLs are read against
    else:
        transaction.on_commit(tasks.enqueue_sweep, robust=True)


def section_published(sender, instance: Page, **kwargs) -> None:
    """Every summary shows its section's title: the section's articles' documents
    are dropped and rendered again (the API renders from the pages meanwhile)."""
    ids = list(
        ArticlePage.objects.filter(
            path__startswith=instance.path, depth=instance.depth + 1
        ).values_list("pk", flat=True)
    )
    if ids:
        ArticleDocument.objects.filter(page_id__in=ids).delete()
        transaction.on_commit(lambda: tasks.enqueue_render(ids), robust=True)


# --- What documents and responses show besides the article ---


def shown_object_changed(sender, instance, created: bool = False, **kwargs) -> None:
    if created or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if sender is get_image_model() and update_fields is not None:
        if not IMAGE_FIELDS & set(update_fields):
            return
    _retire_documents()


def content_changed(sender, **kwargs) -> None:
    _retire_responses()


def connect() -> None:
    for signal in (articles_published, articles_unpublished):
        signal.connect(retire_article_responses, dispatch_uid="delivery-cache")
        signal.connect(render_article_documents, dispatch_uid="documents")
    page_published.connect(page_changed, dispatch_uid="delivery-cache-published")
    page_unpublished.connect(page_changed, dispatch_uid="delivery-cache-unpublished")
    post_page_move.connect(page_changed, dispatch_uid="delivery-cache-moved")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="delivery-cache-del")
    # Wagtail's redirects app makes redirects after a slug change commits, in bulk
    # (no post_save): retire what routes/ and redirects/ showed once they exist.
    page_slug_changed.connect(content_changed, dispatch_uid="delivery-cache-slug")
    page_published.connect(tree_changed, dispatch_uid="documents-tree")
    page_published.connect(
        section_published, sender=ArticleIndexPage, dispatch_uid="documents-section"
    )
    post_page_move.connect(tree_changed, dispatch_uid="documents-move")
    image_model = get_image_model()
    for model in (Author, Category, PageViewRestriction, image_model, Redirect):
        uid = f"delivery-cache-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-s")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-d")
    for model in (Author, Category, Tag, image_model, get_document_model(), Site):
        uid = f"documents-{model._meta.label_lower}"
        post_save.connect(shown_object_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(shown_object_changed, sender=model, dispatch_uid=uid)
