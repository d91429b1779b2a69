"""Publish → webhook delivered latency, through a real Celery worker and real HTTP.

Publishes N articles one after another through Wagtail (``revision.publish()``, as
the admin does) with R receivers subscribed, and measures for every (article,
receiver) the time from the publish's commit to the POST arriving at the receiver
on 127.0.0.1. Prints p50 / p90 / p99 / max and writes them as JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_bench_webhooks \\
    REDIS_URL=redis://127.0.0.1:6385 \\
    .venv/bin/python -m bench.webhook_latency --publishes 200 --receivers 3

The database is migrated and gets a bench section; use a scratch database. The
worker (tests/support/processes.py) serves only the ``webhooks`` queue
(``--pool prefork|threads``, ``--concurrency``, default prefork × 4); the
receivers are tests/support/receiver.py's.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from tests.support.processes import wait_for
from tests.support.receiver import Receiver

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def make_drafts(section, count: int) -> list:
    """``count`` draft articles under ``section``, each with a saved revision."""
    from django.utils.text import slugify

    from cms.content.models import ArticlePage

    stamp = str(time.time_ns())
    drafts = []
    for i in range(count):
        title = f"Webhook bench {stamp} {i}"
        page = section.add_child(
            instance=ArticlePage(
                title=title, slug=slugify(title), intro="Bench.", live=False
            )
        )
        drafts.append(page.save_revision())
    return drafts


def arrivals(servers: list[Receiver]) -> tuple[dict, list[str]]:
    """When each (article, receiver) first got ``article.published``, and the
    webhook ids of every such POST (a repeat is a duplicate)."""
    first: dict[tuple[int, int], float] = {}
    ids: list[str] = []
    for index, server in enumerate(servers):
        for request in server.received():
            data = json.loads(request.body)
            if data.get("type") == "article.published":
                first.setdefault((data["data"]["id"], index), request.at)
                ids.append(request.headers["webhook-id"])
    return first, ids


def measure(
    section,
    publishes: int,
    receivers: int = 3,
    interval: float = 0.05,
    timeout: float = 120,
) -> dict:
    """Publish ``publishes`` drafts and time each POST's arrival, in seconds.

    Needs workers on the ``publishing`` (outbox fan-out) and ``webhooks`` queues.
    Replaces every webhook endpoint with ``receivers`` loopback receivers and
    deletes them again at the end. Returns the raw latencies and the counts.
    """
    from publishing.webhooks.models import Endpoint
    from publishing.webhooks.signing import generate_secret

    drafts = make_drafts(section, publishes)
    servers = [Receiver().start() for _ in range(receivers)]
    Endpoint.objects.all().delete()
    for server in servers:
        Endpoint.objects.create(
            url=server.url("/hook"),
            events=["article.published"],
            secret=generate_secret(),
            description="bench",
        )
    expected = len(drafts) * receivers
    committed: dict[int, float] = {}
    try:
        for revision in drafts:
            revision.publish()
            committed[int(revision.object_id)] = time.time()
            time.sleep(interval)
        wait_for(lambda: len(arrivals(servers)[0]) >= expected, timeout, 0.05)
    finally:
        for server in servers:
            server.stop()
        Endpoint.objects.filter(description="bench").delete()
    first, ids = arrivals(servers)
    latencies = [
        at - committed[page_id]
        for (page_id, _), at in first.items()
        if page_id in committed
    ]
    duplicates = len(ids) - len(set(ids))
    return {
        "latencies_s": latencies,
        "expected": expected,
        "delivered": len(latencies),
        "duplicates": duplicates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishes", type=int, default=200)
    parser.add_argument("--receivers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--pool", choices=["prefork", "threads"], default="prefork")
    parser.add_argument(
        "--interval", type=float, default=0.05, help="seconds between publishes"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench" / "results" / "webhook_latency_prefork.json",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["DEBUG"] = "false"
    # The receivers are on loopback; the metadata address stays refused.
    os.environ["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "true"
    if "DATABASE_URL" not in os.environ or "REDIS_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL (a scratch database) and REDIS_URL")
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Site

    from bench.processes import pipeline
    from cms.content.models import ArticleIndexPage

    print("migrating…", flush=True)
    call_command("migrate", verbosity=0)
    home = Site.objects.get(is_default_site=True).root_page
    stamp = str(int(time.time()))
    section = home.add_child(
        instance=ArticleIndexPage(title=f"Bench {stamp}", slug=f"bench-{stamp}")
    )
    workers = pipeline("bench-webhooks-")
    try:
        workers.webhook_worker(
            f"bench-webhooks-{os.getpid()}",
            queues="webhooks",
            concurrency=args.concurrency,
            pool=args.pool,
        )
        raw = measure(section, args.publishes, args.receivers, args.interval)
    finally:
        workers.stop_all()
    latencies = [s * 1000 for s in raw["latencies_s"]]
    if not latencies:
        raise SystemExit(f"nothing arrived; see {workers.tmp}")
    result = {
        "publishes": args.publishes,
        "receivers": args.receivers,
        "expected": raw["expected"],
        "delivered": raw["delivered"],
        "duplicates": raw["duplicates"],
        "worker_pool": args.pool,
        "worker_concurrency": args.concurrency,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p90_ms": round(percentile(latencies, 90), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
