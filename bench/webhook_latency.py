"""Publish → webhook delivered latency, through a real Celery worker and real HTTP.

Publishes N articles one after another through Wagtail (``revision.publish()``, as
the admin does) with R receivers subscribed, and measures for every (article,
receiver) the time from the publish's commit to the POST arriving at the receiver
on 127.0.0.1. Prints p50 / p90 / p99 / max and writes them as JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_bench_webhooks \\
    REDIS_URL=redis://127.0.0.1:6385 \\
    .venv/bin/python -m bench.webhook_latency --publishes 200 --receivers 3

The database is migrated and gets a bench section; use a scratch database. The
worker serves only the ``webhooks`` queue (``--pool prefork|threads``,
``--concurrency``, default prefork × 4).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Arrivals:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_key: dict[tuple[int, int], float] = {}
        self.ids: list[str] = []


def start_receiver(index: int, arrivals: Arrivals) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            at = time.time()
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            data = json.loads(body)
            if data.get("type") == "article.published":
                with arrivals.lock:
                    arrivals.by_key.setdefault((data["data"]["id"], index), at)
                    arrivals.ids.append(self.headers["webhook-id"])
            self.send_response(204)
            self.send_header("Connection", "close")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def start_worker(concurrency: int, pool: str, log: Path) -> subprocess.Popen:
    out = open(log, "wb")  # noqa: SIM115 — lives as long as the worker
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--queues",
            "webhooks",
            "--concurrency",
            str(concurrency),
            "--pool",
            pool,
            "--loglevel",
            "WARNING",
            "--hostname",
            f"bench-webhooks-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process


def wait_ready(process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    from cms.celery_app import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("worker exited:\n" + log.read_text(errors="replace"))
        try:
            if app.control.ping(timeout=0.5):
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise SystemExit("worker did not start:\n" + log.read_text(errors="replace"))


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
    arrivals = Arrivals()
    servers = [start_receiver(i, arrivals) for i in range(receivers)]
    Endpoint.objects.all().delete()
    for server in servers:
        Endpoint.objects.create(
            url=f"http://127.0.0.1:{server.server_address[1]}/hook",
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
        deadline = time.monotonic() + timeout
        while len(arrivals.by_key) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        for server in servers:
            server.shutdown()
        Endpoint.objects.filter(description="bench").delete()
    with arrivals.lock:
        latencies = [
            at - committed[page_id]
            for (page_id, _), at in arrivals.by_key.items()
            if page_id in committed
        ]
        duplicates = len(arrivals.ids) - len(set(arrivals.ids))
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

    from cms.content.models import ArticleIndexPage

    print("migrating…", flush=True)
    call_command("migrate", verbosity=0)
    home = Site.objects.get(is_default_site=True).root_page
    stamp = str(int(time.time()))
    section = home.add_child(
        instance=ArticleIndexPage(title=f"Bench {stamp}", slug=f"bench-{stamp}")
    )
    log = Path(tempfile.mkdtemp()) / "worker.log"
    worker = start_worker(args.concurrency, args.pool, log)
    try:
        wait_ready(worker, log)
        raw = measure(section, args.publishes, args.receivers, args.interval)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    latencies = [s * 1000 for s in raw["latencies_s"]]
    if not latencies:
        raise SystemExit("nothing arrived; see " + str(log))
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
