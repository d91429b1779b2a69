"""Which changes reach the index: publish, unpublish/expiry, and renames.

Connected from ``SearchConfig.ready()``. Renaming an author, category or tag changes
the indexed text of every article that has it, so those articles are re-indexed too.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from taggit.models import Tag
from wagtail.signals import page_published, page_unpublished

from cms.content.models import ArticlePage, Author, Category
from search import indexing

RENAMED = "_search_renamed"
ARTICLES_OF = {
    Author: indexing.articles_of_author,
    Category: indexing.articles_of_category,
    Tag: indexing.articles_of_tag,
}


def on_page_changed(sender, instance, **kwargs) -> None:
    if getattr(instance, "_published_in_bulk", False):
        return  # publishing/bulk.py records the whole batch at once
    indexing.record_changes([instance.pk])


def remember_rename(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    setattr(instance, RENAMED, old is not None and old != instance.name)


def reindex_after_rename(sender, instance, created: bool, raw=False, **kwargs) -> None:
    if raw or created or not getattr(instance, RENAMED, False):
        return
    setattr(instance, RENAMED, False)
    indexing.record_changes(ARTICLES_OF[sender](instance.pk))


def connect() -> None:
    for signal in (page_published, page_unpublished):
        signal.connect(on_page_changed, sender=ArticlePage, dispatch_uid="search")
    for model in ARTICLES_OF:
        pre_save.connect(remember_rename, sender=model, dispatch_uid="search")
        post_save.connect(reindex_after_rename, sender=model, dispatch_uid="search")
