"""RELIABILITY R28: anonymous input cannot grow a process's memory.

The compiled-SQL cache (delivery/prepared.py) was keyed by the list's limit,
ordering and how many times each filter repeats, with no bound: about 20 KB a shape,
never released. It is now least-recently-used, and a filter takes at most 20 values.
"""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from django.db import connection
from django.test import Client

from delivery import prepared


@pytest.fixture(autouse=True)
def _empty_statement_cache():
    prepared._CACHE.clear()
    yield
    prepared._CACHE.clear()


def statement_of_20_kb(values: dict) -> tuple[str, list]:
    return "SELECT %s /*" + "x" * 20_000 + "*/", [values["slug"]]


def test_memory_stays_flat_over_10000_distinct_query_shapes(db):
    def shape(n: int):
        return prepared.prepare(("list", n), statement_of_20_kb, {"slug": str})

    tracemalloc.start()
    try:
        for n in range(prepared.MAX_STATEMENTS):  # warm: the cache is full
            shape(n)
        gc.collect()
        full, _ = tracemalloc.get_traced_memory()
        for n in range(prepared.MAX_STATEMENTS, prepared.MAX_STATEMENTS + 10_000):
            shape(n)
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(prepared._CACHE) == prepared.MAX_STATEMENTS
    # Unbounded, this grew by 10,000 × 20 KB = 200 MB.
    assert after - full < 1_000_000, (full, after)


def test_the_most_recently_used_statements_stay(db):
    hot = prepared.prepare(("hot",), statement_of_20_kb, {"slug": str})
    for n in range(prepared.MAX_STATEMENTS * 2):
        prepared.prepare(("cold", n), statement_of_20_kb, {"slug": str})
        assert prepared.prepare(("hot",), statement_of_20_kb, {"slug": str}) is hot


def test_distinct_list_shapes_through_the_api_stay_bounded(make_article, category):
    if connection.vendor != "postgresql":
        pytest.skip("the compiled list statement is PostgreSQL's path")
    make_article(title="Magnesium", categories=[category])
    client = Client()
    shapes = 0
    for limit in range(1, 101):
        for ordering in ("-published_at", "published_at", "title"):
            response = client.get(
                "/api/v1/articles/", {"limit": limit, "ordering": ordering}
            )
            assert response.status_code == 200
            shapes += 1
    assert shapes > prepared.MAX_STATEMENTS
    assert 0 < len(prepared._CACHE) <= prepared.MAX_STATEMENTS


@pytest.mark.parametrize("name", ["category", "tag", "author"])
def test_a_filter_takes_at_most_20_values(db, name):
    ok = Client().get("/api/v1/articles/", {name: [f"s{n}" for n in range(20)]})
    assert ok.status_code == 200
    response = Client().get("/api/v1/articles/", {name: [f"s{n}" for n in range(21)]})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == name
