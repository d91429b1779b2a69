"""Operating search on OpenSearch: reindex with searches answering throughout, and
an outage that neither takes public search down nor loses an update.

Real node (the session's, tests/search/conftest.py), real threads and publishes.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from wagtail.models import Page

from bench.seed import seed_articles
from cms.content.models import ArticlePage
from cms.content.visibility import public_articles
from search import availability, tasks
from search.models import PendingIndexUpdate
from search.opensearch_backend import engine_backend, index_names
from search.query import search_articles
from search.rebuild import reindex
from tests.factories import api_token
from tests.search.conftest import ExternalNode

pytestmark = pytest.mark.search_backends("opensearch")

# Seeded articles (about 800 words each) and the reindex batch: 6 batches.
CORPUS = 300
BATCH = 50
QUERY = "magnesium"


def ids_for(q: str) -> list[int]:
    return search_articles(public_articles(), q).ids


def engine_index():
    return engine_backend().get_index_for_model(ArticlePage)


def engine_ids(pks) -> set[int]:
    """Which of these articles the alias's index holds (asked of OpenSearch)."""
    index = engine_index()
    found = index.es.mget(index=index.name, body={"ids": [str(p) for p in pks]})
    return {int(d["_id"]) for d in found["docs"] if d.get("found")}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reindex_swaps_the_alias_while_every_search_answers_in_full(make_article):
    """A thread searches without pause while `reindex` builds a new index and moves
    the alias: every answer is the whole result set, none comes from the database
    fallback, and an article published mid-build is in the new index."""
    seed_articles(CORPUS, batch_size=100, progress=False)
    reindex(batch_size=BATCH)
    old_live, _ = index_names(engine_index())
    expected = sorted(ids_for(QUERY))
    assert len(expected) > CORPUS // 2
    answers, wrong, errors = [], [], []
    stop = threading.Event()

    def search_without_pause() -> None:
        try:
            while not stop.is_set():
                found = sorted(ids_for(QUERY))
                answers.append(time.perf_counter())
                if found != expected:
                    wrong.append(len(found))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    published = []

    def progress(label: str, done: int, total: int) -> None:
        # Mid-build, on the first backend (OpenSearch): an editor publishes.
        if label == "content.ArticlePage" and done == BATCH and not published:
            published.append(make_article("Zirconium in the new index"))

    fallbacks = availability.fallbacks
    searcher = threading.Thread(target=search_without_pause)
    searcher.start()
    started = time.perf_counter()
    try:
        report = reindex(batch_size=BATCH, progress=progress)
    finally:
        stop.set()
        searcher.join(30)
    seconds = time.perf_counter() - started
    print(f"reindex of {CORPUS} articles: {seconds:.1f} s, {len(answers)} searches")
    assert errors == [] and wrong == []
    assert len(answers) >= 10, (len(answers), seconds)
    assert availability.fallbacks == fallbacks  # every answer was OpenSearch's
    assert report.swapped
    new_live, building = index_names(engine_index())
    assert new_live != old_live and building == []  # the old index is deleted
    assert ids_for("zirconium") == [published[0].pk]


@pytest.fixture
def status_token(django_user_model) -> str:
    user = django_user_model.objects.create_superuser("ops", "ops@example.com", "pw")
    return api_token(user, name="monitoring")


def search_status(client: Client, token: str) -> dict:
    response = client.get(
        "/api/v1/publishing/status/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.slow
@pytest.mark.search_fallback
@pytest.mark.django_db
def test_an_outage_falls_back_to_the_database_and_loses_no_update(
    make_article, opensearch_node, status_token, monkeypatch
):
    if isinstance(opensearch_node, ExternalNode):
        pytest.skip("stops the node: needs the suite's own, not OPENSEARCH_TEST_URL")
    client = Client()
    before = make_article("Magnesium before the outage")
    fallbacks = availability.fallbacks
    assert ids_for("magnesium") == [before.pk]
    assert availability.fallbacks == fallbacks
    assert search_status(client, status_token)["search"]["status"] == "ok"

    opensearch_node.halt()
    try:
        started = time.perf_counter()
        during = [make_article(f"Magnesium during the outage {n}") for n in range(3)]
        # Publishing does not wait on the dead node (the breaker, after one try).
        assert time.perf_counter() - started < 10
        cache.clear()
        response = client.get("/api/v1/articles/", {"q": "magnesium"})
        assert response.status_code == 200
        found = {r["id"] for r in response.json()["results"]}
        assert found == {before.pk, *(a.pk for a in during)}
        assert availability.fallbacks > fallbacks  # answered by the database
        suggest = client.get("/api/v1/search/suggest/", {"q": "magnes"})
        assert suggest.status_code == 200
        assert len(suggest.json()["results"]) == 4
        status = search_status(client, status_token)
        assert status["search"]["backend"] == "opensearch"
        assert status["search"]["status"] == "degraded"
        assert status["search_index_lag_s"] > 0
        # The updates wait in the database.
        waiting = set(PendingIndexUpdate.objects.values_list("page_id", flat=True))
        assert waiting == {a.pk for a in during}
    finally:
        opensearch_node.launch()

    # The node is back: once the breaker's pause is over, the sweep (every 30 s in
    # production, for changes older than 30 s: here at once) writes what waited.
    back = time.perf_counter()
    monkeypatch.setattr(tasks, "SWEEP_AFTER", tasks.SWEEP_AFTER * 0)
    deadline = back + availability.RETRY_AFTER_S + 5
    while not availability.engine_usable() and time.perf_counter() < deadline:
        time.sleep(0.1)
    assert tasks.sweep_pending_index_task() == 3
    caught_up_s = time.perf_counter() - back
    print(f"node back: caught up in {caught_up_s:.1f} s")
    assert caught_up_s < availability.RETRY_AFTER_S + 5
    assert not PendingIndexUpdate.objects.exists()
    assert engine_ids([before.pk, *(a.pk for a in during)]) == {
        before.pk,
        *(a.pk for a in during),
    }
    fallbacks = availability.fallbacks
    assert set(ids_for("magnesium")) == {before.pk, *(a.pk for a in during)}
    assert availability.fallbacks == fallbacks  # OpenSearch's answer again
    status = search_status(client, status_token)
    assert status["search"]["status"] == "ok"
    assert status["search_index_lag_s"] == 0.0
    assert Page.objects.filter(pk__in=[a.pk for a in during], live=True).count() == 3


@pytest.mark.django_db
def test_a_refused_batch_ends_the_rebuild_before_the_swap(make_article, monkeypatch):
    """`reindex` sends one batch while it builds the next (search/rebuild.py): a
    batch the engine refuses still ends the rebuild with its error, and the alias
    keeps the index it had, so search answers in full."""
    from search.opensearch_backend import Index

    articles = [make_article(f"Magnesium note {n}") for n in range(3)]
    live_before, _ = index_names(engine_index())
    real_send = Index.send
    sends: list[int] = []

    def refuse_the_second(self, actions, refresh=True):
        sends.append(len(actions))
        if len(sends) == 2:
            raise RuntimeError("OpenSearch refused documents: a test")
        return real_send(self, actions, refresh=refresh)

    monkeypatch.setattr(Index, "send", refuse_the_second)
    with pytest.raises(RuntimeError, match="refused"):
        reindex(batch_size=1, models=[ArticlePage])
    assert len(sends) >= 2
    assert index_names(engine_index())[0] == live_before
    assert set(ids_for(QUERY)) == {a.pk for a in articles}
