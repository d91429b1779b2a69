"""What the search index hears: publishing's signals (publishing/signals.py).

Connected in ``SearchConfig.ready()``. A publish, an unpublish (manual, expiry,
deletion) or a rename of what articles show (their author, a category, a tag) is
recorded in its transaction and indexed on the workers once it commits
(search/indexing.py): this is the one writer of the index for articles.
"""

from __future__ import annotations

from publishing.signals import (
    articles_published,
    articles_unpublished,
    articles_updated,
)
from search import indexing


def reindex_articles(sender, page_ids, **kwargs) -> None:
    indexing.record_changes(page_ids)


def connect() -> None:
    for signal in (articles_published, articles_unpublished, articles_updated):
        signal.connect(reindex_articles, dispatch_uid="search")
