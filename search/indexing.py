"""Keeping the index fresh: record article changes, index them on the workers.

This is the one writer of the index for articles (Wagtail's own auto-update is
off for them: ``ArticlePage.search_auto_update``). Flow: a publish, unpublish or
rename (publishing's signals, search/signal_handlers.py) calls
:func:`record_changes` inside its transaction, which writes
:class:`~search.models.PendingIndexUpdate` rows; once it commits (and after any
save or deletion of an article row), ``search.tasks.index_articles_task`` is
enqueued through django-tasks (in
production the Celery bridge, ``cms/tasks_backend.py``, so it runs on a worker's
``indexing`` queue, never in the editor's request). The task calls
:func:`index_articles`, which upserts the entries (or removes a deleted article's)
and clears the rows it covered. The rows left are what the index still owes:
:func:`search.freshness.index_lag_seconds`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from modelsearch.backends import get_search_backends_with_name

from cms.content.models import ArticlePage
from search.availability import SearchUnavailable
from search.models import PendingIndexUpdate
from search.rebuild import indexable_queryset, is_postgres_index, write_entries
from search.suggest import refresh_title_words

logger = logging.getLogger(__name__)


def record_changes(page_ids: Iterable[int]) -> list[int]:
    """Note, in the caller's transaction, that these articles need indexing (the
    caller enqueues the work once it commits: ``search.tasks.enqueue_indexing``)."""
    ids = sorted({int(i) for i in page_ids})
    if ids:
        PendingIndexUpdate.objects.bulk_create(
            [PendingIndexUpdate(page_id=i) for i in ids]
        )
    return ids


def index_articles(page_ids: Iterable[int]) -> int:
    """Upsert the index entries of these articles; clear what that covered.

    Idempotent. Pending rows are read before the articles, so a change committed
    after that read keeps its row and is indexed by its own task. Returns the number
    of articles indexed. When a backend cannot be written to now (OpenSearch down),
    the others are still written, the rows stay for the sweep and
    :class:`~search.availability.SearchUnavailable` is raised.
    """
    ids = sorted({int(i) for i in page_ids})
    if not ids:
        return 0
    covered = PendingIndexUpdate.objects.filter(page_id__in=ids).aggregate(
        top=Max("id")
    )["top"]
    articles = list(indexable_queryset(ArticlePage).filter(pk__in=ids))
    gone = set(ids) - {a.pk for a in articles}
    unavailable: list[SearchUnavailable] = []
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            for page_id in sorted(gone):  # deleted: its entries go too
                backend.delete(ArticlePage(pk=page_id))
        except SearchUnavailable as error:
            unavailable.append(error)
            continue
        if not articles:
            continue
        index = backend.get_index_for_model(ArticlePage)
        if is_postgres_index(index):
            # modelsearch's rows, written as ``reindex`` writes them (faster).
            with transaction.atomic():
                write_entries(index, ArticlePage, articles)
                index._refresh_title_norms()
        else:
            try:
                backend.add_bulk(ArticlePage, articles)
            except SearchUnavailable as error:
                unavailable.append(error)
    if articles:
        refresh_title_words([a.pk for a in articles])
    if unavailable:
        raise unavailable[0]  # the pending rows stay: the sweep retries
    if covered is not None:
        PendingIndexUpdate.objects.filter(page_id__in=ids, id__lte=covered).delete()
    return len(articles)
