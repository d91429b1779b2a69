"""Publish → searchable and unpublish → gone latency, with a real Celery worker.

    DATABASE_URL=postgres://…/cms REDIS_URL=redis://127.0.0.1:6379 \
        .venv/bin/python -m bench.search_freshness --publishes 20

Starts one ``celery worker`` on the ``indexing`` queue (tests/support/processes.py,
on the database and Redis of the environment), then N times: publishes a new
article through Wagtail with the Celery task backend (as in production: the index
update is enqueued after commit and runs on the worker) and polls
``search_articles`` until the article is found; then unpublishes it and polls until
it is gone. The clock starts when the publish (or unpublish) has committed. Prints
p50/p99/max of both, as JSON on the last line.
The test in tests/search/test_worker_freshness.py runs :func:`measure` on a few
publishes against the test database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid

from tests.support.processes import Pipeline, Process

CELERY_BACKEND = {"default": {"BACKEND": "cms.tasks_backend.CeleryBackend"}}
POLL_INTERVAL = 0.01


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_s": round(statistics.median(values), 3) if values else None,
        "p99_s": round(percentile(values, 99), 3) if values else None,
        "max_s": round(max(values), 3) if values else None,
    }


def start_worker(pipeline: Pipeline) -> Process:
    """One worker on the indexing queue (tests/support/processes.py), ready."""
    return pipeline.worker(
        f"search-{uuid.uuid4().hex[:6]}",
        queues="indexing",
        concurrency=2,
        pool="prefork",
    )


def purge_indexing_queue() -> None:
    from cms.celery_app import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("indexing")


def wait_until(predicate, timeout: float) -> float | None:
    """Seconds until ``predicate()`` holds, or None after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if predicate():
            return time.perf_counter() - started
        time.sleep(POLL_INTERVAL)
    return None


def measure(section, publishes: int, timeout: float = 10.0) -> dict:
    """Publish, find, unpublish, miss: latencies in seconds (None = timed out).

    Needs the Celery task backend in effect and a worker on the indexing queue.
    """
    from cms.content.visibility import public_articles
    from search.query import search_articles
    from tests.factories import ArticlePageFactory

    found: list[float | None] = []
    gone: list[float | None] = []
    for n in range(publishes):
        word = f"fresh{uuid.uuid4().hex[:10]}"
        article = ArticlePageFactory(
            parent=section, title=f"Story {n}", body=[], live=False
        )
        article.intro = f"An article about {word}."
        article.save_revision().publish()

        def findable(pk=article.pk, word=word) -> bool:
            return pk in search_articles(public_articles(), word).ids

        found.append(wait_until(findable, timeout))
        article.refresh_from_db()
        article.unpublish()
        gone.append(wait_until(lambda f=findable: not f(), timeout))
    return {"publish_to_found": found, "unpublish_to_gone": gone}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishes", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings
    from wagtail.models import Site

    from bench.processes import pipeline
    from tests.factories import ArticleIndexPageFactory

    purge_indexing_queue()
    workers = pipeline("search-freshness-", DB_CONN_MAX_AGE="0")
    start_worker(workers)
    try:
        root = Site.objects.get(is_default_site=True).root_page
        section = ArticleIndexPageFactory(
            parent=root, title=f"Freshness {uuid.uuid4().hex[:6]}"
        )
        with override_settings(TASKS=CELERY_BACKEND):
            raw = measure(section, args.publishes)
        section.delete()
    finally:
        workers.stop_all()
    result = {
        "database": settings.DATABASES["default"]["ENGINE"],
        "publish_to_found": summary([v for v in raw["publish_to_found"] if v]),
        "unpublish_to_gone": summary([v for v in raw["unpublish_to_gone"] if v]),
        "timed_out": sum(v is None for vs in raw.values() for v in vs),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
