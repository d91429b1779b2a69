"""Recovery: from the pipeline's return after a fault to every due article live.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_bench_recovery \\
      .venv/bin/python -m bench.recovery --runs 5 --n 100

The production shape (tests/support/processes.py: compose's publishing worker,
webhook worker and beat, the production settings and their defaults) on the given
database (created and migrated if needed; use a scratch one) and a private Redis without
persistence that this module kills. Two faults, each ``--runs`` times, each with
``--n`` fresh draft articles whose reminders the worker holds when it happens:

* ``redis_blip``: they fall due 0.5 s into a 1 s outage (Redis killed, started
  again with its data, as a persistent Redis restarts); timed from Redis answering;
* ``worker_kill``: they fall due at T; the worker is SIGKILLed with its pool at
  T - 1 s and started again 2 s later (compose's restart); timed from its "ready".

Each run's figure is the time until a reader (the database polled every 20 ms)
sees the last of them live; p50 and max over the runs, against the target of two
sweep intervals (RELIABILITY R2). Also: whether the worker, webhook worker and beat
of the blips are the same processes at the end (R25), and publishes beyond one per
article (0). Every page it adds is deleted at the end. ``make bench`` runs it after
the pipeline phase (bench/run.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POLL = 0.02


def setup_django(redis_url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # This process only seeds, schedules and reads the database; the processes it
    # starts share its Redis, the one it kills.
    os.environ["REDIS_URL"] = redis_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def log(message: str) -> None:
    print(f"recovery: {message}", file=sys.stderr, flush=True)


def _schedule(articles: list[tuple[int, int]], at) -> None:
    from wagtail.models import Revision

    Revision.objects.filter(id__in=[rev for _, rev in articles]).update(
        approved_go_live_at=at
    )


def _all_live_at(page_ids: list[int], timeout: float):
    """When a reader first sees every one of them live, or None."""
    from django.utils import timezone

    from cms.content.models import ArticlePage

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ArticlePage.objects.filter(id__in=page_ids, live=True).count() == len(
            page_ids
        ):
            return timezone.now()
        time.sleep(POLL)
    return None


def _sleep_until(at) -> None:
    from django.utils import timezone

    time.sleep(max(0.0, (at - timezone.now()).total_seconds()))


def redis_blip(pipeline, redis, articles, timeout: float) -> float | None:
    from django.utils import timezone

    down = timezone.now() + timedelta(seconds=4)
    _schedule(articles, down + timedelta(seconds=0.5))
    _sleep_until(down)  # the sweep has handed the reminders out by now
    redis.restart(down_for=1.0, keep_data=True)
    back = timezone.now()
    live = _all_live_at([p for p, _ in articles], timeout)
    return round((live - back).total_seconds(), 3) if live else None


def worker_kill(pipeline, redis, articles, timeout: float) -> float | None:
    from django.utils import timezone

    at = timezone.now() + timedelta(seconds=5)
    _schedule(articles, at)
    _sleep_until(at - timedelta(seconds=1))
    pipeline.kill("worker")
    time.sleep(2)
    pipeline.worker("worker")
    back = timezone.now()
    live = _all_live_at([p for p, _ in articles], timeout)
    return round((live - back).total_seconds(), 3) if live else None


def summary(values: list[float | None], target: float) -> dict[str, Any]:
    done = sorted(v for v in values if v is not None)
    return {
        "runs": len(values),
        "recovered": len(done),
        "after_return_s": values,
        "p50_s": round(statistics.median(done), 3) if done else None,
        "max_s": done[-1] if len(done) == len(values) and done else None,
        "target_s": target,
    }


def run(runs: int, n: int, redis) -> dict[str, Any]:
    from django.conf import settings
    from django.db.models import Count
    from wagtail.models import PageLogEntry

    from bench.schedule_lateness import seed
    from tests.support.processes import Pipeline

    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-schedules"]["schedule"]
    target = 2 * sweep
    database_url = os.environ["DATABASE_URL"]
    log(f"seeding {2 * runs * n} draft articles")
    drafts = seed(2 * runs * n)
    batches = [drafts[i * n : (i + 1) * n] for i in range(2 * runs)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-recovery-"))
    pipeline = Pipeline(database_url, redis.url, tmp)
    out: dict[str, Any] = {
        "n": n,
        "sweep_s": sweep,
        "logs": str(tmp),
        # The machine is shared: what else was running shows here.
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        processes = [
            pipeline.worker("worker"),
            pipeline.webhook_worker("webhook-worker"),
            pipeline.beat("beat"),
        ]
        pids = {p.name: p.pid for p in processes}
        blips = []
        for i in range(runs):
            blips.append(redis_blip(pipeline, redis, batches[i], timeout=60))
            log(f"Redis blip {i + 1}/{runs}: all live {blips[-1]} s after its return")
        out["redis_blip"] = summary(blips, target)
        out["redis_blip"]["same_processes"] = all(
            pipeline.procs[name].alive() and pipeline.procs[name].pid == pid
            for name, pid in pids.items()
        )
        kills = []
        for i in range(runs):
            kills.append(worker_kill(pipeline, redis, batches[runs + i], timeout=60))
            log(f"worker kill {i + 1}/{runs}: all live {kills[-1]} s after its return")
        out["worker_kill"] = summary(kills, target)
        out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        pipeline.stop_all()
        page_ids = [p for p, _ in drafts]
        out["extra_publishes"] = sum(
            row["n"] - 1
            for row in PageLogEntry.objects.filter(
                page_id__in=page_ids, action="wagtail.publish.scheduled"
            )
            .values("page_id")
            .annotate(n=Count("id"))
        )
        _delete_sections(page_ids)
    return out


def _delete_sections(page_ids: list[int]) -> None:
    from django.test.utils import override_settings
    from wagtail.models import Page

    immediate = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    parents = {
        page.get_parent().id for page in Page.objects.filter(id__in=page_ids[:1])
    }
    with override_settings(TASKS=immediate):
        for section in Page.objects.filter(id__in=parents):
            section.delete()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=100, help="articles due per run")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error(
            "set DATABASE_URL to a scratch PostgreSQL database, e.g. "
            "postgres://postgres@127.0.0.1:5432/cms_bench_recovery"
        )
    from bench.run import ensure_database
    from tests.support.processes import RedisServer

    ensure_database(os.environ["DATABASE_URL"], fresh=False)

    redis = RedisServer().start()
    try:
        setup_django(redis.url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        result = run(args.runs, args.n, redis)
    finally:
        redis.stop()
    result["command"] = "python -m bench.recovery " + " ".join(argv or sys.argv[1:])
    from django.utils import timezone

    result["date"] = timezone.now().isoformat()
    if args.json:
        print(json.dumps(result, default=str))
    else:
        for fault in ("redis_blip", "worker_kill"):
            r = result[fault]
            print(
                f"{fault}: p50 {r['p50_s']} s, max {r['max_s']} s"
                f" (target {r['target_s']} s; {r['recovered']}/{r['runs']} runs)"
            )
        print(f"extra publishes: {result['extra_publishes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
