"""Which backend runs where (search/backends.py): configuration only."""

from __future__ import annotations

import pytest

from search.backends import (
    DATABASE_BACKEND,
    FALLBACK_BACKEND,
    OPENSEARCH_BACKEND,
    search_backends,
)

POSTGRES = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def test_without_search_url_the_database_searches():
    backends = search_backends(POSTGRES, "")
    assert list(backends) == ["default"]
    assert backends["default"]["BACKEND"] == DATABASE_BACKEND
    assert backends["default"]["SEARCH_CONFIG"] == "english"
    assert "SEARCH_CONFIG" not in search_backends(SQLITE)["default"]


def test_a_search_url_selects_opensearch_with_the_database_as_fallback():
    backends = search_backends(POSTGRES, "http://opensearch:9200", "site")
    assert backends["default"]["BACKEND"] == OPENSEARCH_BACKEND
    assert backends["default"]["URLS"] == ["http://opensearch:9200"]
    assert backends["default"]["INDEX_PREFIX"] == "site_"
    assert backends["default"]["ATOMIC_REBUILD"] is True
    assert backends[FALLBACK_BACKEND] == search_backends(POSTGRES)["default"]


def test_the_opensearch_scheme_prefix_is_accepted():
    backends = search_backends(POSTGRES, "opensearch+https://user:pw@search:9200/")
    assert backends["default"]["URLS"] == ["https://user:pw@search:9200/"]


@pytest.mark.parametrize(
    "url", ["elasticsearch+https://es:9200", "ftp://search:9200", "search:9200"]
)
def test_other_urls_are_refused(url):
    with pytest.raises(ValueError, match="SEARCH_URL"):
        search_backends(POSTGRES, url)
