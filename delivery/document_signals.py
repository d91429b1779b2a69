"""What renders or retires the stored delivery documents (delivery/read_model.py);
connected in ContentConfig.ready().

- An article published (or unpublished): its document is rendered (or dropped) on
  a worker once the transaction commits. Until then the API renders from the page:
  a document is served only while it matches the live revision.
- A section published or a page moved: descendants' URLs may have changed, which
  retires their documents (they no longer match ``url_path``); the sweep renders
  them again. A site's root page published bumps the epoch (site roots are read
  once per epoch).
- An author, category, tag, image, document or site changed or deleted: what the
  documents show of it may be stale, so the epoch is bumped in the same
  transaction (every document retired at once) and all are rendered again.
  Creations bump nothing: no stored document can show what did not exist.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.content.models import ArticlePage, Author, Category
from delivery import read_model

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


def article_changed(sender, instance: Page, **kwargs) -> None:
    if getattr(instance, "_published_in_bulk", False):
        return  # publishing/bulk.py enqueues its whole batch at once
    page_id = instance.pk
    transaction.on_commit(lambda: read_model.enqueue_render([page_id]), robust=True)


def tree_changed(sender, instance: Page, **kwargs) -> None:
    if isinstance(instance, ArticlePage) and "url_path_before" not in kwargs:
        return  # an article's own publish: article_changed
    if Site.objects.filter(root_page_id=instance.pk).exists():
        read_model.bump_epoch()  # the site roots that link URLs are read against
    else:
        transaction.on_commit(read_model.enqueue_sweep, robust=True)


def shown_object_changed(sender, instance, created: bool = False, **kwargs) -> None:
    if created or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if sender is get_image_model() and update_fields is not None:
        if not IMAGE_FIELDS & set(update_fields):
            return
    read_model.bump_epoch()


def connect() -> None:
    for signal in (page_published, page_unpublished):
        signal.connect(article_changed, sender=ArticlePage, dispatch_uid="documents")
    page_published.connect(tree_changed, dispatch_uid="documents-tree")
    post_page_move.connect(tree_changed, dispatch_uid="documents-move")
    shown = (Author, Category, Tag, get_image_model(), get_document_model(), Site)
    for model in shown:
        uid = f"documents-{model._meta.label_lower}"
        post_save.connect(shown_object_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(shown_object_changed, sender=model, dispatch_uid=uid)
