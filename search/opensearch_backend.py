"""OpenSearch as the search engine: modelsearch's OpenSearch 2 backend, made safe to
write to while it rebuilds, while it is down, and before anyone ran ``reindex``.

``SEARCH_URL`` selects this module (search/backends.py). What it changes in
modelsearch's backend, each found by running it against a real node (the test suite
starts one, search/opensearch_node/):

- **Writes go to the alias and to any index being built beside it.** A document
  written during ``manage.py reindex`` would otherwise reach only the old index and
  be lost at the swap. The rebuild writes with ``op_type=create``, so it never
  replaces a document that a live write put into the new index first (its own copy
  may have been read before that change).
- **The alias is created properly on first write** (the index with its mappings and
  English analysis, then the alias) instead of OpenSearch auto-creating an index with
  guessed mappings under the alias's name, which a later ``reindex`` would have to
  delete.
- **The swap is one atomic ``_aliases`` call** (modelsearch adds the alias to the new
  index, then removes the old index: for a moment the alias named both, searches
  returned every document twice and writes failed).
- **Live writes refresh the index**, so that an article is findable when its
  indexing task ends (the delivery API's freshness bound is measured from there).
- **Failures that are the engine's** (no answer, timeout, 5xx, 429, no index) raise
  :class:`~search.availability.SearchUnavailable` and open the breaker
  (search/availability.py); callers fall back to the database backend or leave the
  pending update for the sweep.

Elasticsearch is not offered (nothing here runs it: docs/search.md).
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder
from modelsearch.backends.opensearch2 import (
    OpenSearch2Index,
    OpenSearch2SearchBackend,
)
from modelsearch.index import class_is_indexed, get_indexed_models
from opensearchpy import exceptions as opensearch_errors
from opensearchpy.helpers import bulk

from search.availability import (
    SearchUnavailable,
    engine_usable,
    last_error,
    mark_down,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
# HTTP statuses that mean "the engine cannot answer now", not "the request is wrong".
UNAVAILABLE_STATUSES = {404, 408, 429}
# Search requests wait less than writes (the backend's TIMEOUT): a reader is waiting.
SEARCH_TIMEOUT_S = 2.0
# How long a process reuses what the alias points to before asking again (a
# publish makes several writes); a rebuild waits this long on both sides of the
# swap, so that no write misses the new index or lands in a deleted one.
TARGETS_TTL_S = 1.0
_targets: dict[str, tuple[float, list[str]]] = {}


def is_unavailable(error: opensearch_errors.TransportError) -> bool:
    if isinstance(error, opensearch_errors.ConnectionError):
        return True  # refused, reset, timed out (ConnectionTimeout is one)
    status = error.status_code
    if not isinstance(status, int):
        return True
    return status >= 500 or status in UNAVAILABLE_STATUSES


def engine_call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call the engine; its failures become :class:`SearchUnavailable`.

    While the breaker is open nothing is sent. A failure that is the engine's opens
    it; one that is the request's (a 400: a bug of ours, never the reader's input,
    which reaches OpenSearch only as match-query text) is logged and raised as
    ``SearchUnavailable`` too, so that the reader still gets the database's answer.
    """
    if not engine_usable():
        raise SearchUnavailable(last_error() or "search engine marked down")
    try:
        return function(*args, **kwargs)
    except opensearch_errors.TransportError as error:
        if is_unavailable(error):
            mark_down(error)
        else:
            logger.exception("OpenSearch refused a request")
        raise SearchUnavailable(str(error)) from error


def index_names(index) -> tuple[list[str], list[str]]:
    """``(indices the alias points to, indices being built beside them)``.

    Indices named ``<alias>_<suffix>`` that the alias does not point to are being
    built by ``reindex`` (or were left by one that died; the next one removes them).
    """
    found = engine_call(
        index.es.indices.get_alias, index=f"{index.name}_*", allow_no_indices=True
    )
    live = [name for name, info in found.items() if index.name in info["aliases"]]
    building = [name for name in found if name not in live]
    return live, building


def forget_targets() -> None:
    """Ask OpenSearch what the aliases point to on the next write."""
    _targets.clear()


def models_of_index(backend, name: str) -> list:
    return [
        m for m in get_indexed_models() if backend.get_index_for_model(m).name == name
    ]


class Index(OpenSearch2Index):
    #: True for the index ``reindex`` is building: writes only there, never replacing.
    building = False

    def write_targets(self) -> list[str]:
        if self.building:
            return [self.name]
        asked_at = time.monotonic()
        cached = _targets.get(self.name)
        if cached and asked_at - cached[0] < TARGETS_TTL_S:
            return cached[1]
        targets = self._current_targets()
        _targets[self.name] = (asked_at, targets)
        return targets

    def _current_targets(self) -> list[str]:
        live, building = index_names(self)
        if not live:
            if engine_call(self.es.indices.exists, index=self.name):
                # A concrete index under the alias's name (auto-created by an older
                # version); `reindex` replaces it with an alias.
                logger.warning("%s is an index, not an alias: run reindex", self.name)
                return [self.name, *building]
            live = [self.create_with_alias()]
        return [*live, *building]

    def create_with_alias(self) -> str:
        """The first index behind the alias, with the mappings of every model that
        lives in it. A fixed name: two processes racing here create it once."""
        first = type(self)(self.backend, f"{self.name}_0")
        try:
            engine_call(first.put)
        except SearchUnavailable as error:
            cause = error.__cause__
            if not (
                isinstance(cause, opensearch_errors.RequestError)
                and "already_exists" in str(cause)
            ):
                raise
        for model in models_of_index(self.backend, self.name):
            engine_call(first.add_model, model)
        engine_call(
            self.es.indices.update_aliases,
            body={"actions": [{"add": {"index": first.name, "alias": self.name}}]},
        )
        _targets.pop(self.name, None)
        return first.name

    def add_item(self, item) -> None:
        # modelsearch's own update on every save (drafts too): visible within the
        # index's refresh interval (1 s); the indexing task's batches refresh.
        self.add_items(item._meta.model, [item], refresh=False)

    def add_items(self, model, items, refresh: bool = True) -> None:
        self.send(self.bulk_actions(model, items), refresh=refresh)

    def bulk_actions(self, model, items) -> list[dict]:
        """The bulk actions that write these items to every target (CPU: the
        documents are built here; ``reindex`` builds the next batch while
        :meth:`send` writes this one)."""
        if not class_is_indexed(model) or not items:
            return []
        mapping = self.mapping_class(model)
        documents = [
            (mapping.get_document_id(i), mapping.get_document(i)) for i in items
        ]
        op_type = "create" if self.building else "index"
        return [
            {"_op_type": op_type, "_index": target, "_id": doc_id, "_source": document}
            for target in self.write_targets()
            for doc_id, document in documents
        ]

    def send(self, actions: list[dict], refresh: bool = True) -> None:
        if not actions:
            return
        _done, errors = engine_call(
            bulk,
            self.es,
            actions,
            raise_on_error=False,
            refresh=refresh and not self.building,
        )
        # A rebuild's `create` of a document a live write already put there: kept.
        failed = [
            e
            for e in errors
            if not (actions[0]["_op_type"] == "create" and _status(e) == 409)
        ]
        if failed:
            raise RuntimeError(f"OpenSearch refused documents: {failed[:3]}")

    def delete_item(self, item) -> None:
        if not class_is_indexed(item.__class__):
            return
        doc_id = self.mapping_class(item.__class__).get_document_id(item)
        for target in self.write_targets():
            try:
                engine_call(self.es.delete, index=target, id=doc_id, refresh=True)
            except SearchUnavailable as error:
                if not isinstance(error.__cause__, opensearch_errors.NotFoundError):
                    raise


def _status(error: dict) -> int | None:
    for result in error.values():
        return result.get("status")
    return None


class AtomicRebuilder(ElasticsearchAtomicIndexRebuilder):
    """Build ``<alias>_<random>``, then move the alias in one ``_aliases`` call."""

    def __init__(self, index):
        super().__init__(index)
        self.index.building = True

    def start(self):
        engine_call(self.index.put)
        # Every process's next write now sees the new index (TARGETS_TTL_S).
        time.sleep(TARGETS_TTL_S)
        return self.index

    def finish(self) -> None:
        es = self.alias.es
        engine_call(self.index.refresh)
        live, building = index_names(self.alias)
        actions: list[dict] = []
        if not live and engine_call(es.indices.exists, index=self.alias.name):
            # An index under the alias's name: removed in the same atomic call.
            actions.append({"remove_index": {"index": self.alias.name}})
        actions += [{"remove": {"index": n, "alias": self.alias.name}} for n in live]
        actions.append({"add": {"index": self.index.name, "alias": self.alias.name}})
        engine_call(es.indices.update_aliases, body={"actions": actions})
        forget_targets()
        # Writes decided before the swap also went to the new index; let them land
        # before the old index goes (a write to a deleted index would re-create it).
        time.sleep(TARGETS_TTL_S)
        # The old index, and any left by a rebuild that died (one reindex at a time).
        for name in [*live, *building]:
            if name != self.index.name:
                engine_call(es.indices.delete, index=name, ignore_unavailable=True)


class SearchBackend(OpenSearch2SearchBackend):
    index_class = Index
    atomic_rebuilder_class = AtomicRebuilder


def engine_backend() -> SearchBackend | None:
    """The ``default`` backend when it is OpenSearch (one client per process and
    configuration, so that connections are reused), else ``None``."""
    config = getattr(settings, "WAGTAILSEARCH_BACKENDS", {}).get("default", {})
    if config.get("BACKEND") != __name__:
        return None
    return _backend(json.dumps(config, sort_keys=True, default=str))


@functools.lru_cache(maxsize=8)
def _backend(config_key: str) -> SearchBackend:
    return get_search_backend("default")


def probe(backend: SearchBackend, timeout: float) -> str | None:
    """What keeps OpenSearch from answering searches now, or ``None``."""
    from cms.content.models import ArticlePage

    name = backend.get_index_for_model(ArticlePage).name
    try:
        exists = backend.es.indices.exists(index=name, request_timeout=timeout)
    except opensearch_errors.TransportError as error:
        mark_down(error)
        return f"OpenSearch does not answer ({type(error).__name__})"
    if not exists:
        return f"OpenSearch has no index {name} yet (run manage.py reindex)"
    return None
