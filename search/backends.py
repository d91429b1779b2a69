"""Which search backend runs where: chosen from the database engine and SEARCH_URL.

``cms/settings/base.py`` calls :func:`search_backends` for ``WAGTAILSEARCH_BACKENDS``.
This module imports nothing from Django's app registry, so settings can import it.

- ``SEARCH_URL`` empty, SQLite: modelsearch's database backend on SQLite FTS5 (the
  embedded run of ``make run``).
- ``SEARCH_URL`` empty, PostgreSQL: the same backend on PostgreSQL full text, with
  the English configuration (stemming, stop words) and ``title`` in its own,
  highest-weighted vector (see ``ArticlePage.search_fields``).
- ``SEARCH_URL`` set (``http(s)://host:9200``, or ``opensearch+http(s)://…``):
  OpenSearch 2 as ``default`` (search/opensearch_backend.py), and the database
  backend above as ``database``, kept up to date beside it: public search falls
  back to it while OpenSearch does not answer (search/availability.py). Index
  updates run on the Celery workers; ``manage.py reindex`` builds a new index and
  swaps the alias (see docs/search.md for the migration path).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

DATABASE_BACKEND = "wagtail.search.backends.database"
OPENSEARCH_BACKEND = "search.opensearch_backend"
# The name of the database backend beside OpenSearch: the fallback.
FALLBACK_BACKEND = "database"
# Prefix of the index names (aliases) on OpenSearch: SEARCH_INDEX_PREFIX.
INDEX_PREFIX = "cms"
# The analyzer suggest types its prefix with: folded as the title's edge n-grams are
# (modelsearch searches them with `standard`, which leaves "él" unfolded, so it never
# met the n-gram "el" of "Élan").
PREFIX_ANALYZER = "cms_prefix"
# English analysis on OpenSearch too, so that stemming matches PostgreSQL.
ENGLISH_INDEX_SETTINGS: dict[str, Any] = {
    "settings": {
        "analysis": {
            "analyzer": {
                "default": {"type": "english"},
                PREFIX_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["asciifolding", "lowercase"],
                },
            },
        }
    }
}


def search_backends(
    database_engine: str, search_url: str = "", index_prefix: str = INDEX_PREFIX
) -> dict[str, dict]:
    """``WAGTAILSEARCH_BACKENDS`` for this database engine and search URL."""
    search_url = (search_url or "").strip()
    database = database_backend(database_engine)
    if search_url:
        return {
            "default": url_backend(search_url, index_prefix),
            FALLBACK_BACKEND: database,
        }
    return {"default": database}


def database_backend(database_engine: str) -> dict[str, Any]:
    """The database's own full-text backend for this engine."""
    params: dict[str, Any] = {"BACKEND": DATABASE_BACKEND}
    if "postgresql" in database_engine:
        # Stemming ("deficiency" finds "deficient") and English stop words.
        params["SEARCH_CONFIG"] = "english"
        # Typo-tolerant matching (Fuzzy queries) uses pg_trgm word similarity.
        params["FUZZY_ALGORITHM"] = "trigram"
        # `update_index` in one transaction: readers keep the old entries until the
        # rebuild commits (`manage.py reindex` does it per batch instead).
        params["ATOMIC_REBUILD"] = True
    return params


def url_backend(search_url: str, index_prefix: str = INDEX_PREFIX) -> dict[str, Any]:
    """Backend parameters for an OpenSearch URL.

    Elasticsearch is not offered: nothing here can run it, so nothing would show
    that it works (OpenSearch runs in the test suite, search/opensearch_node/).
    """
    parts = urlsplit(search_url)
    kind, _, scheme = parts.scheme.rpartition("+")
    if kind not in ("", "opensearch") or scheme not in ("http", "https"):
        raise ValueError(
            "SEARCH_URL must be http(s)://host:port or opensearch+http(s)://… "
            f"(OpenSearch 2), not {parts.scheme}://…"
        )
    url = urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    return {
        "BACKEND": OPENSEARCH_BACKEND,
        "URLS": [url],
        "INDEX_PREFIX": f"{index_prefix}_",
        "TIMEOUT": 5,
        # Rebuild into a new index, then move the alias: search stays online.
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": ENGLISH_INDEX_SETTINGS,
        "OPTIONS": {},
    }
