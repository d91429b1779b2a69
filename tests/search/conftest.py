"""Fixtures for the search tests: articles made and published through Wagtail, and
the backend they run on.

Every test of tests/search/ that uses the database runs twice: on the database's own
full-text backend (PostgreSQL) and on OpenSearch (a real node, started once per
session from search/opensearch_node/, on free ports, bound to 127.0.0.1, stopped at
the end). ``@pytest.mark.search_backends("database")`` limits a test to the backends
it names, for what only one of them has (PostgreSQL's planner, its lexicon table).

``SEARCH_TEST_BACKENDS=database`` runs the database half only (no Java needed);
``OPENSEARCH_TEST_URL=http://…`` uses a node that is already running instead of
starting one (its ``test<pid>_*`` indices are deleted as the tests go).
"""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings
from django.test.utils import override_settings
from wagtail.rich_text import RichText

from cms.content.models import ArticlePage
from search import availability
from search.backends import search_backends
from search.opensearch_backend import engine_backend, forget_targets
from tests.factories import ArticlePageFactory, AuthorFactory, publish

SEARCH_BACKENDS = ("database", "opensearch")


def enabled_backends() -> tuple[str, ...]:
    wanted = os.environ.get("SEARCH_TEST_BACKENDS", "").replace(",", " ").split()
    return tuple(b for b in SEARCH_BACKENDS if not wanted or b in wanted)


def pytest_generate_tests(metafunc):
    """Each database test once per backend (``search_backend`` is autouse)."""
    if "search_backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("django_db") is None:
        return  # no index involved: runs once
    marker = metafunc.definition.get_closest_marker("search_backends")
    names = marker.args if marker else SEARCH_BACKENDS
    metafunc.parametrize(
        "search_backend",
        [name for name in names if name in enabled_backends()],
        indirect=True,
    )


class ExternalNode:
    """A node someone else runs (``OPENSEARCH_TEST_URL``)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.started_in_s = 0.0

    def rss_bytes(self) -> int:
        return 0

    def stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def opensearch_node(request):
    """One OpenSearch node for the session (or the one at OPENSEARCH_TEST_URL)."""
    from search import opensearch_node as node_module

    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("OPENSEARCH_TEST_URL"):
        yield ExternalNode(os.environ["OPENSEARCH_TEST_URL"])
        return
    started = time.perf_counter()
    built = node_module.is_built()
    node = node_module.start()
    ready_s = time.perf_counter() - started
    rss_at_start = node.rss_bytes()
    yield node
    rss_at_end = node.rss_bytes()
    node.stop()
    if reporter is not None:
        reporter.write_line(
            f"OpenSearch {node_module.OPENSEARCH_VERSION} test node: "
            f"{'built and ' if not built else ''}started in {ready_s:.1f} s "
            f"(the JVM until it answered: {node.started_in_s:.1f} s), RSS "
            f"{rss_at_start / 2**20:.0f} MB at start, {rss_at_end / 2**20:.0f} MB at "
            "the end of the session"
        )


def test_index_prefix() -> str:
    return f"test{os.getpid()}"


test_index_prefix.__test__ = False


def empty_test_indices(url: str, prefix: str) -> None:
    """Delete the documents of the test indices (deleting and creating the indices
    for each test cost ~0.5 s a test; delete-by-query is not in the node's modules)."""
    from opensearchpy import OpenSearch
    from opensearchpy.helpers import bulk

    client = OpenSearch(hosts=[url], timeout=30)
    found = client.search(
        index=f"{prefix}_*",
        body={"query": {"match_all": {}}, "size": 10_000, "_source": False},
        allow_no_indices=True,
        ignore_unavailable=True,
    )["hits"]["hits"]
    if found:
        actions = [
            {"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]}
            for hit in found
        ]
        bulk(client, actions, refresh=True)


@pytest.fixture(autouse=True)
def search_backend(request):
    """The backend this test runs on: ``database`` or ``opensearch``.

    On OpenSearch the test's settings point ``default`` at the session's node (the
    database backend beside it as the fallback, as in production) with indices of
    its own, emptied before each test.
    """
    name = getattr(request, "param", "database")
    if name == "database":
        yield name
        return
    node = request.getfixturevalue("opensearch_node")
    prefix = test_index_prefix()
    backends = search_backends(
        settings.DATABASES["default"]["ENGINE"], node.url, prefix
    )
    empty_test_indices(node.url, prefix)
    forget_targets()
    availability.mark_up()
    fallbacks = availability.fallbacks
    with override_settings(
        WAGTAILSEARCH_BACKENDS=backends,
        SEARCH_URL=node.url,
        SEARCH_INDEX_PREFIX=prefix,
    ):
        # The alias and its index, as `reindex` leaves them on a new cluster
        # (without them every search falls back to the database).
        engine_backend().get_index_for_model(ArticlePage).write_targets()
        yield name
    availability.mark_up()
    # The database answering for OpenSearch would make the test prove nothing
    # about OpenSearch: only tests of the fallback may see one.
    if request.node.get_closest_marker("search_fallback") is None:
        assert availability.fallbacks == fallbacks, "answered by the database"


def paragraphs(*texts: str) -> list:
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in texts]


@pytest.fixture
def make_article(section, django_capture_on_commit_callbacks):
    """A published article under the section; ``body`` is a list of paragraphs.

    After-commit callbacks run, as they would in production: that is where the
    index update for the publish is enqueued (inline here: TASKS is immediate).
    """

    def make(
        title: str,
        body: tuple[str, ...] = ("Nothing to see here.",),
        intro: str = "A short introduction.",
        categories=(),
        tags=(),
        live: bool = True,
        **kwargs,
    ):
        kwargs.setdefault("author", AuthorFactory(name="Sam Writer", slug="sam"))
        article = ArticlePageFactory(
            parent=kwargs.pop("parent", section),
            title=title,
            intro=intro,
            body=paragraphs(*body),
            live=live,
            **kwargs,
        )
        if categories:
            article.categories.set(categories)
        if tags:
            article.tags.set(tags)
        if live:
            with django_capture_on_commit_callbacks(execute=True):
                return publish(article)
        article.save_revision()
        return article

    return make
