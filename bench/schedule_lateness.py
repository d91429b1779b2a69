"""Schedule lateness with real workers: p50/p99/max, and N publishes due at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_bench_schedule \\
    REDIS_URL=redis://127.0.0.1:6379 \\
    .venv/bin/python -m bench.schedule_lateness --n 200 --mode spread --spread 30
    .venv/bin/python -m bench.schedule_lateness --n 1000 --mode burst

It migrates the database it is given (use a scratch one: it adds articles), starts
``celery worker`` and ``celery beat`` processes (tests/support/processes.py),
schedules N draft articles through Wagtail's own schedule
(``Revision.approved_go_live_at``), and reads when each went live
(``last_published_at``, set inside the publish).

* ``spread``: N publishes evenly over ``--spread`` seconds, starting 10 s ahead:
  lateness = the time a reader first sees the page live (committed, polled every
  20 ms) - scheduled time, p50/p99/max; ``stamped_*`` from ``last_published_at``
  (set inside the publish, before its commit), and ``early`` counts stamps before T.
* ``burst``: N publishes due at the same second: the time from T until all are live
  (throughput), and the lateness distribution within the burst.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from tests.support.processes import Pipeline

ROOT = Path(__file__).resolve().parent.parent
# How often the database is read for pages gone live (the lateness resolution).
POLL = 0.02


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("TASKS_BACKEND", "cms.tasks_backend.CeleryBackend")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(n: int) -> list[tuple[int, int]]:
    from django.test import override_settings
    from wagtail.models import Site

    from tests.factories import ArticleIndexPageFactory, ArticlePageFactory

    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    out = []
    with override_settings(TASKS=dummy):
        home = Site.objects.get(is_default_site=True).root_page
        section = ArticleIndexPageFactory(
            parent=home, title="Bench", slug=f"bench-{time.time_ns()}"
        )
        for i in range(n):
            # Slugs are unique across the site: a run on a database that kept an
            # earlier run's articles must not reuse the factory's "article-N".
            page = ArticlePageFactory(
                parent=section, live=False, slug=f"{section.slug}-{i}"
            )
            out.append((page.id, page.save_revision().id))
            if (i + 1) % 100 == 0:
                print(f"  seeded {i + 1}/{n}", file=sys.stderr, flush=True)
    return out


def start_workers(pipeline: Pipeline, concurrency: int, tag: str) -> None:
    """Publishing, indexing and webhooks workers and beat, as docs/operations.md
    recommends: publishing on its own worker, so that the index updates and event
    fan-out every publish causes never queue before it, and webhook deliveries on a
    thread pool of their own, so they never queue behind index updates. Returns
    once each is ready; ``pipeline.stop_all()`` stops them."""
    pipeline.worker(f"{tag}-publish", queues="publishing", concurrency=concurrency)
    pipeline.worker(f"{tag}-indexing", queues="indexing", concurrency=2)
    pipeline.webhook_worker(f"{tag}-webhooks", queues="webhooks", concurrency=8)
    pipeline.beat(f"{tag}-beat")


def workers_pipeline(prefix: str) -> Pipeline:
    """The harness on this process's configuration, with the bench's worker
    environment: DEBUG off, persistent connections, the app logging warnings."""
    from bench.processes import pipeline

    return pipeline(prefix, DEBUG="false", DB_CONN_MAX_AGE="60", LOG_LEVEL="WARNING")


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run(n: int, mode: str, spread: float, concurrency: int, lead: float) -> dict:
    from django.utils import timezone
    from wagtail.models import Revision

    from cms.content.models import ArticlePage

    print(f"seeding {n} draft articles…", file=sys.stderr, flush=True)
    articles = seed(n)
    pipeline = workers_pipeline("bench-schedule-")
    try:
        start_workers(pipeline, concurrency, "schedule")
        t0 = timezone.now() + timedelta(seconds=lead)
        step = 0 if mode == "burst" else spread / max(n - 1, 1)
        planned = {}
        for i, (page_id, revision_id) in enumerate(articles):
            planned[page_id] = t0 + timedelta(seconds=step * i)
            Revision.objects.filter(id=revision_id).update(
                approved_go_live_at=planned[page_id]
            )
        last_due = max(planned.values())
        deadline = time.monotonic() + lead + spread + 120 + n / 5
        done: dict = {}
        seen: dict = {}
        observed = None
        while time.monotonic() < deadline and len(done) < n:
            done = dict(
                ArticlePage.objects.filter(id__in=list(planned), live=True).values_list(
                    "id", "last_published_at"
                )
            )
            # When a reader first sees each page live (committed), not just when
            # its publish stamped last_published_at (before the commit): the
            # lateness figures are these, an upper bound by the poll interval.
            now = timezone.now()
            for page_id in done:
                seen.setdefault(page_id, now)
            if len(done) == n:
                observed = now
            print(f"\r  live {len(done)}/{n}", end="", file=sys.stderr, flush=True)
            time.sleep(POLL)
        print(file=sys.stderr)
        late = sorted((seen[p] - planned[p]).total_seconds() for p in done)
        stamped = sorted((done[p] - planned[p]).total_seconds() for p in done)
        return {
            "n": n,
            "mode": mode,
            "concurrency": concurrency,
            "published": len(done),
            "early": sum(1 for x in stamped if x < 0),
            "poll_s": POLL,
            "p50_s": round(percentile(late, 50), 3),
            "p99_s": round(percentile(late, 99), 3),
            "max_s": round(late[-1], 3),
            "stamped_p50_s": round(percentile(stamped, 50), 3),
            "stamped_p99_s": round(percentile(stamped, 99), 3),
            "stamped_max_s": round(stamped[-1], 3),
            "all_live_after_last_due_s": round(
                (max(done.values()) - last_due).total_seconds(), 3
            ),
            "all_live_observed_after_last_due_s": (
                round((observed - last_due).total_seconds(), 3) if observed else None
            ),
        }
    finally:
        pipeline.stop_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--mode", choices=["spread", "burst"], default="spread")
    parser.add_argument("--spread", type=float, default=30.0)
    parser.add_argument("--lead", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = run(args.n, args.mode, args.spread, args.concurrency, args.lead)
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
