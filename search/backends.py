"""Which search backend runs where: chosen from the database engine and SEARCH_URL.

``cms/settings/base.py`` calls :func:`search_backends` for ``WAGTAILSEARCH_BACKENDS``.
This module imports nothing from Django's app registry, so settings can import it.

- ``SEARCH_URL`` empty, SQLite: modelsearch's database backend on SQLite FTS5 (the
  embedded run of ``make run``).
- ``SEARCH_URL`` empty, PostgreSQL: the same backend on PostgreSQL full text, with
  the English configuration (stemming, stop words) and ``title`` in its own,
  highest-weighted vector (see ``ArticlePage.search_fields``).
- ``SEARCH_URL`` set: OpenSearch 2 (``http(s)://host:9200``, or the explicit
  ``opensearch+https://…``), or Elasticsearch 9 with ``elasticsearch+https://…``.
  Index updates still run on the Celery workers; ``manage.py reindex`` builds a new
  index and swaps the alias (see docs/search.md for the migration path).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

DATABASE_BACKEND = "wagtail.search.backends.database"
URL_BACKENDS = {
    "opensearch": "wagtail.search.backends.opensearch2",
    "elasticsearch": "wagtail.search.backends.elasticsearch9",
}
# Name of the index (an alias, under atomic rebuilds) on OpenSearch / Elasticsearch.
INDEX_PREFIX = "cms"
# English analysis on the external engines too, so that stemming matches PostgreSQL.
ENGLISH_INDEX_SETTINGS: dict[str, Any] = {
    "settings": {
        "analysis": {
            "analyzer": {"default": {"type": "english"}},
        }
    }
}


def search_backends(database_engine: str, search_url: str = "") -> dict[str, dict]:
    """``WAGTAILSEARCH_BACKENDS`` for this database engine and search URL."""
    search_url = (search_url or "").strip()
    if search_url:
        return {"default": url_backend(search_url)}
    params: dict[str, Any] = {"BACKEND": DATABASE_BACKEND}
    if "postgresql" in database_engine:
        # Stemming ("deficiency" finds "deficient") and English stop words.
        params["SEARCH_CONFIG"] = "english"
        # Typo-tolerant matching (Fuzzy queries) uses pg_trgm word similarity.
        params["FUZZY_ALGORITHM"] = "trigram"
        # `update_index` in one transaction: readers keep the old entries until the
        # rebuild commits (`manage.py reindex` does it per batch instead).
        params["ATOMIC_REBUILD"] = True
    return {"default": params}


def url_backend(search_url: str) -> dict[str, Any]:
    """Backend parameters for an OpenSearch / Elasticsearch URL."""
    parts = urlsplit(search_url)
    kind, _, scheme = parts.scheme.rpartition("+")
    kind = kind or "opensearch"
    if kind not in URL_BACKENDS or scheme not in ("http", "https"):
        raise ValueError(
            "SEARCH_URL must be http(s)://host:port, opensearch+http(s)://… or "
            f"elasticsearch+http(s)://…, not {parts.scheme}://…"
        )
    url = urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    return {
        "BACKEND": URL_BACKENDS[kind],
        "URLS": [url],
        "INDEX_PREFIX": f"{INDEX_PREFIX}_",
        "TIMEOUT": 5,
        # Rebuild into a new index, then move the alias: search stays online.
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": ENGLISH_INDEX_SETTINGS,
        "OPTIONS": {},
    }
