"""Rebuild the search index without taking search offline: ``manage.py reindex``.

Database backends (SQLite FTS5, PostgreSQL): the index is a table, so there is
nothing to swap. Each batch of objects is upserted in its own short transaction
(readers see the old entry until the new one commits, never a gap), then the entries
of objects that no longer exist are deleted and the title norms refreshed. Search
answers throughout, and running it twice leaves the same table as running it once.

OpenSearch: the backend's atomic rebuilder builds a new index beside the live one
and moves the alias when it is complete (build, then swap; search/opensearch_backend.py
says how writes made meanwhile reach the new index). The new index gets every model
that lives in it, whatever ``models`` says: it replaces the whole old one. One bulk
request is in flight while the next batch is read and built (``_add_all``).

Batches are read by key (``pk > last``), not by offset, so the last batch costs
what the first does (stock ``update_index`` pages by OFFSET), and with many-to-many
search relations prefetched (stock runs ~5 queries per article for them).

On PostgreSQL each batch is written by :func:`write_entries`, which produces exactly the
rows modelsearch's ``add_items`` does, several times faster
(docs/benchmarks-optimisations.md): modelsearch extracts every search field of an object
five times (once per column: title, autocomplete, body, title_text, body_text, each
re-rendering the StreamField body to text) and compiles a Django expression tree per
text; here each field is extracted once and the statement is plain SQL text. modelsearch
also recomputes the title norms after every batch (an average over the whole table, so
quadratic in the table size); here they are computed once, at the end, and the table is
VACUUM ANALYZEd so that the query planner knows its new shape (autovacuum may be off or
late after a bulk rewrite).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import (
    AutocompleteField,
    RelatedFields,
    SearchField,
    get_indexed_models,
)
from modelsearch.utils import get_content_type_pk

from search.suggest import refresh_title_words

DEFAULT_BATCH_SIZE = 500
# Bound on the parameters of one INSERT (PostgreSQL's protocol allows 65,535).
MAX_STATEMENT_PARAMS = 30_000

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
        external = not is_database_backend(backend)
        wanted = {backend.get_index_for_model(m).get_key() for m in chosen}
        # One entry per index (modelsearch's index objects do not compare equal:
        # by key) with its models; a new external index needs all of them.
        indexes: dict = {}
        for model in get_indexed_models() if external else chosen:
            index = backend.get_index_for_model(model)
            if index.get_key() in wanted:
                indexes.setdefault(index.get_key(), (index, []))[1].append(model)
        for index, index_models in indexes.values():
            if external:
                _build_then_swap(
                    backend, index, index_models, batch_size, progress, report
                )
                report.swapped = True
            else:
                _rebuild_table(index, index_models, batch_size, progress, report)
    report.seconds = time.perf_counter() - started
    return report


def is_postgres_index(index) -> bool:
    return type(index).__name__ == "PostgresIndex" and hasattr(index, "entries")


def _entry_parts(indexer) -> tuple[list, list, list]:
    """``(title, autocomplete, body)`` lists of ``(text, weight)`` for one object.

    What modelsearch's ``ObjectIndexer`` properties compute, in one pass over the
    search fields instead of one per property.
    """
    title: list[tuple[str, str]] = []
    autocomplete: list[tuple[str, str]] = []
    body: list[tuple[str, str]] = []
    for search_field in indexer.search_fields:
        for current, weight, value in indexer.prepare_field(indexer.obj, search_field):
            if isinstance(current, SearchField):
                target = title if current.field_name == "title" else body
                target.append((value, weight))
            elif isinstance(current, AutocompleteField):
                autocomplete.append((value, weight))
    return title, autocomplete, body


def _vector_sql(texts: list[tuple[str, str]], config) -> tuple[str, list]:
    """The SQL of modelsearch's ``ObjectIndexer.as_vector`` for these texts."""
    texts = [(text.strip(), weight) for text, weight in texts]
    texts = [(text, weight) for text, weight in texts if text]
    if not texts:
        return "to_tsvector(COALESCE(%s, ''))", [""]
    parts, params = [], []
    for text, weight in texts:
        parts.append("setweight(to_tsvector(%s::regconfig, COALESCE(%s, '')), %s)")
        params += [config, text, weight]
    return "(" + " || ".join(parts) + ")", params


def _plain(texts: list[tuple[str, str]]) -> str:
    return " ".join(t for t in (text.strip() for text, _w in texts) if t)


def write_entries(index, model, objs) -> int:
    """Upsert the index entries of ``objs``: modelsearch's rows, bulk-written.

    New and changed entries get ``title_norm`` 1.0, as with modelsearch; the caller
    refreshes the norms (once per rebuild, or modelsearch's incremental refresh).
    """
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer

    if not model.get_search_fields() or not objs:
        return 0
    backend = index.backend
    entry_model = index.entries.model
    table = index.write_connection.ops.quote_name(entry_model._meta.db_table)
    content_type = get_content_type_pk(model)
    rows: list[str] = []
    params: list = []

    def flush() -> None:
        if not rows:
            return
        with index.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} AS t (content_type_id, object_id, title,"
                " autocomplete, body, title_norm, title_text, body_text)"
                f" VALUES {', '.join(rows)}"
                " ON CONFLICT (content_type_id, object_id) DO UPDATE SET"
                " title = EXCLUDED.title, title_norm = 1.0,"
                " autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
                " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text"
                # An unchanged entry is not rewritten: no new row version, TOAST
                # value or GIN entries (most of a reindex's writes, and its bloat).
                " WHERE (t.title, t.autocomplete, t.body, t.title_text, t.body_text)"
                " IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.autocomplete,"
                " EXCLUDED.body, EXCLUDED.title_text, EXCLUDED.body_text)",
                params,
            )
        rows.clear()
        params.clear()

    for obj in objs:
        indexer = ObjectIndexer(obj, backend)
        title, autocomplete, body = _entry_parts(indexer)
        title_sql, title_params = _vector_sql(title, backend.config)
        auto_sql, auto_params = _vector_sql(autocomplete, backend.autocomplete_config)
        body_sql, body_params = _vector_sql(body, backend.config)
        row_params = [
            content_type,
            indexer.id,
            *title_params,
            *auto_params,
            *body_params,
            _plain(title),
            _plain(body),
        ]
        if params and len(params) + len(row_params) > MAX_STATEMENT_PARAMS:
            flush()
        rows.append(f"(%s, %s, {title_sql}, {auto_sql}, {body_sql}, 1.0, %s, %s)")
        params.extend(row_params)
    flush()
    return len(objs)


def refresh_title_norms(index) -> None:
    """modelsearch's full ``_refresh_title_norms``, writing only the rows whose
    norm changes (its version rewrites every row of the table)."""
    from django.db.models import Avg, F
    from django.db.models.functions import Length

    entries = index.entries.annotate(title_length=Length("title")).filter(
        title_length__gt=0
    )
    lavg = entries.aggregate(Avg("title_length"))["title_length__avg"]
    if lavg is None:
        return
    norm = lavg / F("title_length")
    entries.exclude(title_norm=norm).update(title_norm=norm)


def vacuum_analyze(index) -> None:
    """VACUUM ANALYZE the index table (ANALYZE alone inside a transaction)."""
    connection = index.write_connection
    table = connection.ops.quote_name(index.entries.model._meta.db_table)
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {table}")


def _add_all(index, model, batch_size, progress, report) -> None:
    label = f"{model._meta.app_label}.{model.__name__}"
    queryset = indexable_queryset(model)
    total = queryset.count()
    done = 0
    fast = is_postgres_index(index)
    # An external engine indexes one batch while the next is read and built here
    # (one bulk in flight at a time, in order; its failure stops the rebuild).
    overlap = not fast and hasattr(index, "bulk_actions")
    with ThreadPoolExecutor(max_workers=1) as sender:
        in_flight = None
        for items in batches(queryset, batch_size):
            if overlap:
                actions = index.bulk_actions(model, items)
                if in_flight is not None:
                    in_flight.result()
                in_flight = sender.submit(index.send, actions)
            else:
                with transaction.atomic():
                    if fast:
                        write_entries(index, model, items)
                    else:
                        index.add_items(model, items)
            done += len(items)
            if progress:
                progress(label, done, total)
        if in_flight is not None:
            in_flight.result()
    report.per_model[label] = report.per_model.get(label, 0) + done
    report.documents += done


def _rebuild_table(index, models, batch_size, progress, report) -> None:
    for model in models:
        _add_all(index, model, batch_size, progress, report)
    with transaction.atomic():
        index.delete_stale_entries()
    if is_postgres_index(index):
        refresh_title_norms(index)
    elif hasattr(index, "_refresh_title_norms"):
        index._refresh_title_norms(full=True)
    if is_postgres_index(index):
        refresh_title_words()
        vacuum_analyze(index)


def _build_then_swap(backend, index, models, batch_size, progress, report) -> None:
    rebuilder = backend.atomic_rebuilder_class(index)
    new_index = rebuilder.start()
    for model in models:
        new_index.add_model(model)
    for model in models:
        _add_all(new_index, model, batch_size, progress, report)
    rebuilder.finish()
