"""Keeping the index fresh: record article changes, index them on the workers.

Flow: a publish, unpublish (manual or expiry) or a rename of an article's author,
category or tag calls :func:`record_changes` inside its transaction. That writes
:class:`~search.models.PendingIndexUpdate` rows and, once the transaction commits,
enqueues :data:`search.tasks.index_articles_task` through django-tasks (in
production the Celery bridge, ``cms/tasks_backend.py``, so it runs on a worker's
``indexing`` queue, never in the editor's request). The task calls
:func:`index_articles`, which upserts the entries and clears the rows it covered.

Wagtail's own ``insert_or_update_object_task`` (modelsearch, on every page save)
goes the same way; this module adds what it lacks: related-object renames, and a
record of what is still owed, for :func:`search.freshness.index_lag_seconds`.
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

# Articles per indexing task: one upsert statement, well under a second.
TASK_BATCH = 200


def record_changes(page_ids: Iterable[int]) -> list[int]:
    """Note that these articles need indexing; enqueue the work after commit."""
    ids = sorted({int(i) for i in page_ids})
    if not ids:
        return []
    PendingIndexUpdate.objects.bulk_create([PendingIndexUpdate(page_id=i) for i in ids])
    transaction.on_commit(lambda: enqueue_indexing(ids), robust=True)
    return ids


def enqueue_indexing(page_ids: list[int]) -> None:
    from search.tasks import index_articles_task

    for start in range(0, len(page_ids), TASK_BATCH):
        index_articles_task.enqueue(page_ids[start : start + TASK_BATCH])


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
    unavailable: list[SearchUnavailable] = []
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
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


def articles_of_author(author_id: int) -> list[int]:
    return list(
        ArticlePage.objects.filter(author_id=author_id).values_list("pk", flat=True)
    )


def articles_of_category(category_id: int) -> list[int]:
    return list(
        ArticlePage.objects.filter(categories__id=category_id)
        .values_list("pk", flat=True)
        .distinct()
    )


def articles_of_tag(tag_id: int) -> list[int]:
    return list(
        ArticlePage.objects.filter(tagged_items__tag_id=tag_id)
        .values_list("pk", flat=True)
        .distinct()
    )
