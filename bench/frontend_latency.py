"""Publish → visible on the reference front end, through the revalidation webhook.

The real stack from tests/support/processes.py on a scratch database and a private
Redis: gunicorn (production settings), the publishing and webhook workers and beat,
and ``next start`` of the front end's production build (cms.frontend.ensure_build),
which reads the CMS through a counting proxy. For each of N publishes (an article's
intro changed and published through Wagtail, as the admin does), a reader polls the
article's URL until the new text shows; the time from the publish's commit to that
answer is the figure. Also: the time to first byte of a page served from Next's
cache (warm) and of the first request after a revalidation, and how many API
requests one revalidation costs (counted at the proxy).

    .venv/bin/python -m bench.frontend_latency --publishes 50 \\
        --database-url postgres://postgres@127.0.0.1:5432/cms_bench_frontend

The database is migrated and gets a bench section; use a scratch database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class CountingProxy:
    """A loopback HTTP proxy in front of the CMS that counts the API requests."""

    def __init__(self, target: str) -> None:
        self.target = urlsplit(target)
        self.lock = threading.Lock()
        self.paths: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                with proxy.lock:
                    proxy.paths.append(self.path)
                upstream = http.client.HTTPConnection(
                    proxy.target.hostname, proxy.target.port, timeout=30
                )
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() != "connection"
                }
                upstream.request("GET", self.path, headers=headers)
                response = upstream.getresponse()
                body = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in {"connection", "transfer-encoding"}:
                        self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)
                upstream.close()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self) -> int:
        with self.lock:
            return len(self.paths)

    def since(self, start: int) -> list[str]:
        with self.lock:
            return self.paths[start:]


def fetch(base: str, path: str) -> tuple[int, float, float, dict, str]:
    """GET: status, time to first byte, total time (s), headers, body."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()  # returns once the status line is read
    first_byte = time.perf_counter() - started
    body = response.read().decode(errors="replace")
    total = time.perf_counter() - started
    headers = {k.lower(): v for k, v in response.getheaders()}
    connection.close()
    return response.status, first_byte, total, headers, body


def summary(values: list[float]) -> dict:
    ms = [v * 1000 for v in values]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p90_ms": round(percentile(ms, 90), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
    }


def run(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Site

    from cms import frontend
    from cms.content.models import ArticleIndexPage, ArticlePage
    from publishing.webhooks import encryption
    from publishing.webhooks.models import Endpoint
    from publishing.webhooks.signing import generate_secret
    from tests.support.processes import Pipeline, free_port

    call_command("migrate", verbosity=0)
    build = frontend.ensure_build()
    home = Site.objects.get(is_default_site=True).root_page
    stamp = str(time.time_ns())[-8:]
    section = home.add_child(
        instance=ArticleIndexPage(title=f"Bench {stamp}", slug=f"bench-{stamp}")
    )
    section.save_revision().publish()
    articles = []
    for i in range(args.articles):
        page = section.add_child(
            instance=ArticlePage(
                title=f"Front-end bench {stamp} {i}",
                slug=f"front-end-bench-{stamp}-{i}",
                intro="Version 0.",
                live=False,
            )
        )
        page.save_revision().publish()
        articles.append(page.pk)
    print(f"[bench] {len(articles)} articles in /{section.slug}/", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="cms-bench-frontend-"))
    front_port = free_port()
    front_url = f"http://127.0.0.1:{front_port}"
    secret = generate_secret()
    Endpoint.objects.all().delete()
    Endpoint.objects.create(
        url=f"{front_url}/api/revalidate/",
        events=["article.published", "article.updated", "article.unpublished"],
        secret=secret,
        description="bench: the reference front end",
    )
    pipeline = Pipeline(
        os.environ["DATABASE_URL"],
        os.environ["REDIS_URL"],
        tmp,
        FRONTEND_BASE_URL=front_url,
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        WEBHOOK_REQUIRE_HTTPS="false",
        API_RATE_LIMIT="",
        # Plain http on loopback: production would send the front end to https.
        SECURE_SSL_REDIRECT="false",
        NEXT_TELEMETRY_DISABLED="1",
        # The endpoint's secret is encrypted here: the processes decrypt it so.
        WEBHOOK_SECRET_KEYS=encryption.keys()[0].decode(),
    )
    try:
        pipeline.worker(concurrency=2)
        pipeline.webhook_worker(concurrency=4)
        pipeline.beat()
        web = pipeline.web(workers=2)
        proxy = CountingProxy(web.url)
        frontend.clear_data_cache()
        pipeline.next_start(
            build, port=front_port, CMS_URL=proxy.url, CMS_WEBHOOK_SECRET=secret
        )
        paths = {
            pk: f"/{section.slug}/{ArticlePage.objects.get(pk=pk).slug}/"
            for pk in articles
        }
        # The seeding's own webhooks first (they revalidate these pages).
        from publishing.models import Event
        from publishing.webhooks.models import Delivery

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (
            Delivery.objects.filter(status="pending").exists()
            or Event.objects.filter(completed_at__isnull=True).exists()
        ):
            time.sleep(0.2)
        # Warm every page into Next's cache.
        for path in paths.values():
            fetch(front_url, path)
            fetch(front_url, path)
        warm = []
        for _ in range(args.warm_requests):
            for path in list(paths.values())[:5]:
                status, ttfb, _, headers, _ = fetch(front_url, path)
                if status == 200 and headers.get("x-nextjs-cache") == "HIT":
                    warm.append(ttfb)

        visible, first_after, api_requests, misses = [], [], [], 0
        for n in range(args.publishes):
            pk = articles[n % len(articles)]
            path = paths[pk]
            marker = f"Version {n + 1} of {stamp}."
            page = ArticlePage.objects.get(pk=pk)
            page.intro = marker
            revision = page.save_revision()
            before = proxy.count()
            revision.publish()
            committed = time.perf_counter()
            seen_miss = None
            while True:
                status, ttfb, _, headers, body = fetch(front_url, path)
                if headers.get("x-nextjs-cache") != "HIT" and seen_miss is None:
                    seen_miss = ttfb
                if marker in body:
                    visible.append(time.perf_counter() - committed)
                    if seen_miss is not None:
                        first_after.append(seen_miss)
                    break
                if time.perf_counter() - committed > args.timeout:
                    misses += 1
                    break
                time.sleep(args.poll)
            time.sleep(args.settle)
            api_requests.append(len(proxy.since(before)))
            if (n + 1) % 10 == 0:
                print(
                    f"[bench] {n + 1}/{args.publishes}: p50 "
                    f"{percentile(visible, 50) * 1000:.0f} ms",
                    flush=True,
                )
        by_endpoint = Counter(
            p.split("?")[0] for p in proxy.paths[-sum(api_requests[-10:]) :]
        )
    finally:
        pipeline.stop_all()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "publishes": args.publishes,
        "not_visible_within_timeout": misses,
        "poll_interval_s": args.poll,
        "publish_to_visible": summary(visible),
        "ttfb_warm": summary(warm),
        "ttfb_first_request_after_revalidation": summary(first_after)
        if first_after
        else None,
        "api_requests_per_revalidation": {
            "mean": round(statistics.fmean(api_requests), 2),
            "max": max(api_requests),
            "min": min(api_requests),
            "last_10_by_endpoint": dict(by_endpoint),
        },
        "load_average_at_end": os.getloadavg(),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishes", type=int, default=50)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--warm-requests", type=int, default=40)
    parser.add_argument("--poll", type=float, default=0.02, help="seconds")
    parser.add_argument("--settle", type=float, default=0.5, help="seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds")
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT
        / "bench"
        / "results"
        / f"{datetime.now(UTC).date().isoformat()}-frontend.json",
    )
    args = parser.parse_args()

    from tests.support.processes import RedisServer

    # A SIGTERM unwinds like Ctrl-C, so that the processes started are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    redis = RedisServer().start()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DEBUG="false",
        DATABASE_URL=args.database_url,
        REDIS_URL=redis.url,
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
    )
    try:
        result = run(args)
    finally:
        redis.stop()
    result["command"] = (
        f"python -m bench.frontend_latency --publishes {args.publishes} "
        f"--articles {args.articles} --database-url <scratch database>"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
