"""Freshness with a real `celery worker`: publish → findable, unpublish → gone.

The test process publishes through Wagtail with the Celery task backend (as in
production), so every index update runs on the worker against the test database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from bench.search_freshness import (
    CELERY_BACKEND,
    measure,
    purge_indexing_queue,
    start_worker,
    wait_until,
)
from cms.content.visibility import public_articles
from search.freshness import index_lag_seconds
from search.query import search_articles
from tests.factories import ArticlePageFactory, publish
from tests.support.processes import Pipeline
from tests.support.suite import database_url, suite_env

pytestmark = [
    pytest.mark.slow,
    # Committed data for the worker; the serialized rollback keeps the root page
    # and site that the migrations created for the tests after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The bound: findable within 2 s of going live, gone within 2 s of leaving.
FRESHNESS_BOUND_S = 2.0


@pytest.fixture
def worker(tmp_path: Path):
    pipeline = Pipeline(
        database_url(),
        settings.REDIS_URL,
        tmp_path,
        **suite_env(
            # The backend this test runs on (tests/search/conftest.py: search_backend).
            SEARCH_URL=settings.SEARCH_URL,
            SEARCH_INDEX_PREFIX=settings.SEARCH_INDEX_PREFIX,
            DB_CONN_MAX_AGE="0",
        ),
    )
    purge_indexing_queue()
    proc = start_worker(pipeline)
    try:
        with override_settings(TASKS=CELERY_BACKEND):
            yield proc
    finally:
        pipeline.stop_all()


def test_published_articles_are_findable_and_unpublished_gone_within_2s(
    worker, section
):
    latencies = measure(section, publishes=5, timeout=2 * FRESHNESS_BOUND_S)
    for kind, values in latencies.items():
        assert None not in values, (kind, values)
        assert max(values) < FRESHNESS_BOUND_S, (kind, values)
    # The worker clears what it indexed: the lag the status endpoint shows returns
    # to zero once the last unpublish is indexed.
    assert wait_until(lambda: index_lag_seconds() == 0.0, FRESHNESS_BOUND_S)


# Where the update runs, and that expiry needs no index update, do not depend on the
# backend (the intersection with the public queryset is tested on both elsewhere):
# once is enough for a test that starts a worker.
@pytest.mark.search_backends("database")
def test_index_update_runs_on_the_worker_not_in_the_request(worker, section):
    article = ArticlePageFactory(parent=section, title="Molybdenum", live=False)
    from search.models import PendingIndexUpdate

    worker.stop()
    publish(article)
    # Live, but the index has not heard of it: the publish did not index inline.
    assert search_articles(public_articles(), "molybdenum").ids == []
    assert PendingIndexUpdate.objects.filter(page_id=article.pk).exists()
    assert index_lag_seconds() > 0.0


@pytest.mark.search_backends("database")
def test_expired_articles_vanish_at_once(worker, section):
    article = publish(ArticlePageFactory(parent=section, title="Chromium", live=False))
    measure_ids = lambda: search_articles(public_articles(), "chromium").ids  # noqa: E731
    assert wait_until(lambda: measure_ids() == [article.pk], 5.0) is not None
    article.expire_at = timezone.now()
    article.save(update_fields=["expire_at"])
    assert measure_ids() == []
