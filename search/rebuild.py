"""Rebuild the search index without taking search offline: ``manage.py reindex``.

Database backends (SQLite FTS5, PostgreSQL): the index is a table, so there is
nothing to swap. Each batch of objects is upserted in its own short transaction
(readers see the old entry until the new one commits, never a gap), then the entries
of objects that no longer exist are deleted and the title norms refreshed. Search
answers throughout, and running it twice leaves the same table as running it once.

OpenSearch / Elasticsearch: the backend's atomic rebuilder builds a new index
beside the live one and moves the alias when it is complete (build, then swap).

Batches are read by key (``pk > last``), not by offset, so the last batch costs
what the first does (stock ``update_index`` pages by OFFSET), and with many-to-many
search relations prefetched (stock runs ~5 queries per article for them).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import RelatedFields, get_indexed_models

DEFAULT_BATCH_SIZE = 500

Progress = Callable[[str, int, int], None]  # label, done in this model, its total


@dataclass
class ReindexReport:
    documents: int = 0
    seconds: float = 0.0
    per_model: dict[str, int] = field(default_factory=dict)
    swapped: bool = False

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def is_database_backend(backend) -> bool:
    return type(backend).__module__.startswith("modelsearch.backends.database")


def indexable_queryset(model):
    """``get_indexed_objects()`` with its many-to-many search relations prefetched.

    modelsearch selects foreign keys but leaves categories and tags to one query per
    object and per indexed property (about 5 per article); prefetching makes a batch
    three queries whatever its size.
    """
    queryset = model.get_indexed_objects()
    names = []
    for search_field in model.get_search_fields():
        if not isinstance(search_field, RelatedFields):
            continue
        try:
            field = model._meta.get_field(search_field.field_name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many or field.one_to_many:
            names.append(search_field.field_name)
    return queryset.prefetch_related(*names) if names else queryset


def batches(queryset, size: int):
    """Lists of at most ``size`` objects, by primary key, read by key."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        items = list(page[:size])
        if not items:
            return
        yield items
        last = items[-1].pk


def reindex(
    batch_size: int = DEFAULT_BATCH_SIZE,
    models: list | None = None,
    progress: Progress | None = None,
) -> ReindexReport:
    """Re-index every indexed model (or ``models``) into every search backend."""
    report = ReindexReport()
    started = time.perf_counter()
    for _name, backend in get_search_backends_with_name():
        chosen = models or get_indexed_models()
        indexes: dict = {}
        for model in chosen:
            indexes.setdefault(backend.get_index_for_model(model), []).append(model)
        for index, index_models in indexes.items():
            if is_database_backend(backend):
                _rebuild_table(index, index_models, batch_size, progress, report)
            else:
                _build_then_swap(
                    backend, index, index_models, batch_size, progress, report
                )
                report.swapped = True
    report.seconds = time.perf_counter() - started
    return report


def _add_all(index, model, batch_size, progress, report) -> None:
    label = f"{model._meta.app_label}.{model.__name__}"
    queryset = indexable_queryset(model)
    total = queryset.count()
    done = 0
    for items in batches(queryset, batch_size):
        with transaction.atomic():
            index.add_items(model, items)
        done += len(items)
        if progress:
            progress(label, done, total)
    report.per_model[label] = report.per_model.get(label, 0) + done
    report.documents += done


def _rebuild_table(index, models, batch_size, progress, report) -> None:
    for model in models:
        _add_all(index, model, batch_size, progress, report)
    with transaction.atomic():
        index.delete_stale_entries()
    if hasattr(index, "_refresh_title_norms"):
        index._refresh_title_norms(full=True)


def _build_then_swap(backend, index, models, batch_size, progress, report) -> None:
    rebuilder = backend.atomic_rebuilder_class(index)
    new_index = rebuilder.start()
    for model in models:
        new_index.add_model(model)
    for model in models:
        _add_all(new_index, model, batch_size, progress, report)
    rebuilder.finish()
