"""What the search index hears; connected in ``SearchConfig.ready()``.

- Publishing's signals (publishing/signals.py): a publish, an unpublish (manual,
  expiry, deletion), or a rename of what articles show (their author, a category,
  a tag), whichever way it happened, the batch writer's included.
- Every save or deletion of an article's row: the index mirrors the row, as
  Wagtail's own auto-update (off for articles) did, so that the admin's search
  finds a new draft and forgets a deleted one.

Both end in search/indexing.py, the one writer of the index for articles, on the
workers once the transaction commits. A change of public state is also recorded in
its transaction (a pending update, the record the sweep and the index-lag figure
read); a save of a draft is not public, so it is only enqueued.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cms.content.models import ArticlePage
from publishing.signals import (
    articles_published,
    articles_unpublished,
    articles_updated,
)
from search import indexing, tasks


def reindex_articles(sender, page_ids, **kwargs) -> None:
    ids = indexing.record_changes(page_ids)
    if ids:
        transaction.on_commit(lambda: tasks.enqueue_indexing(ids), robust=True)


def reindex_article_row(sender, instance, raw: bool = False, **kwargs) -> None:
    # Enqueued as Wagtail's auto-update enqueued it: the tasks backend sends it
    # once the transaction commits (cms/tasks_backend.py).
    if not raw:
        tasks.enqueue_indexing([instance.pk])


def connect() -> None:
    for signal in (articles_published, articles_unpublished, articles_updated):
        signal.connect(reindex_articles, dispatch_uid="search")
    post_save.connect(reindex_article_row, sender=ArticlePage, dispatch_uid="search")
    post_delete.connect(reindex_article_row, sender=ArticlePage, dispatch_uid="search")
