"""Search and delivery as the corpus grows: 10,000 and 100,000 articles, on
PostgreSQL and on OpenSearch (issue 22). Documented, not in CI (about 25 minutes here).

    make bench-scale    # = .venv/bin/python -m bench.scale --fresh
    .venv/bin/python -m bench.scale --sizes 1000,5000 --queries 40   # a quick look

One scratch database (``--database-url``, dropped first with ``--fresh``), a private
Redis and a real OpenSearch node (search/opensearch_node/, 512 MB heap, its data in a
temporary folder). For each size, smallest first, it seeds up to that many published
articles and a tenth as many drafts (bench/seed.py; each step with its own random
stream, so the larger corpus holds no copies), renders the stored delivery documents,
then measures:

* cold list and cold detail, p50/p99: one connection, the cache's Redis database
  flushed before every request (as bench/run.py's cold runs); the list is the first
  page of the default list, each detail request another public article;
* warm throughput: wrk on the list, a detail and a ``q`` search, cache primed;
* per search backend (``database``: PostgreSQL's full-text tables; ``opensearch``):
  ``reindex`` documents per second from an empty index (that backend alone), cold
  ``q`` p50/p99 through the API (a fixed, seeded mix of one- to three-word queries
  from the seeding vocabulary, response cache flushed before each), and publish →
  findable / unpublish → gone p99 with a real indexing worker
  (bench/search_freshness.py). On OpenSearch the node's own search counter must grow
  by at least one search per ``q`` request, so no figure is the database answering
  for it.

Then the growth (largest ÷ smallest) of each figure and the issue's targets. Writes
``bench/results/<date>-scale.json``; ``python -m bench.report`` (and ``make bench``)
put its figures and the plot ``docs/benchmarks-scale.png`` in docs/benchmarks.md.
The web servers are gunicorn as bench/run.py runs them (tests/support/processes.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench.run import (
    GUNICORN_WORKERS,
    OURS_SETTINGS,
    PYTHON,
    django_env,
    ensure_database,
    ensure_wrk,
    gunicorn,
    load_cold,
    load_warm,
    log,
    machine,
    render_documents,
    run_quiet,
)
from bench.words import query_mix
from tests.support.processes import Pipeline, RedisServer

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("database", "opensearch")
INDEX_PREFIX = "benchscale"
DEFAULT_SIZES = (10_000, 100_000)


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = OURS_SETTINGS
    import django

    django.setup()


def detail_paths(count: int) -> list[str]:
    """Detail URLs of ``count`` public articles spread over the whole corpus."""
    from cms.content.visibility import public_articles

    slugs = list(public_articles().order_by("?").values_list("slug", flat=True)[:count])
    return [f"/api/v1/articles/{slug}/" for slug in slugs]


def reindex_one(backend: str, search_url: str) -> dict:
    """``reindex`` of the articles into this backend alone, from an empty index."""
    from django.conf import settings
    from django.test.utils import override_settings

    from cms.content.models import ArticlePage
    from search.backends import database_backend, url_backend
    from search.opensearch_backend import forget_targets
    from search.rebuild import reindex

    engine = settings.DATABASES["default"]["ENGINE"]
    config = (
        {"default": url_backend(search_url, INDEX_PREFIX)}
        if backend == "opensearch"
        else {"default": database_backend(engine)}
    )
    with override_settings(
        WAGTAILSEARCH_BACKENDS=config,
        SEARCH_URL=search_url if backend == "opensearch" else "",
        SEARCH_INDEX_PREFIX=INDEX_PREFIX,
    ):
        forget_targets()
        if backend == "database":
            # Ours skips entries whose text is unchanged: start from an empty table
            # so that every document is written (a rate, not a skip rate).
            from modelsearch.backends import get_search_backend

            index = get_search_backend("default").get_index_for_model(ArticlePage)
            index.entries.all().delete()
        report = reindex(models=[ArticlePage])
    forget_targets()
    return {
        "documents": report.documents,
        "seconds": round(report.seconds, 2),
        "docs_per_s": round(report.documents_per_second, 1),
    }


def engine_searches(node_url: str) -> int:
    """Searches the OpenSearch node has answered on our indices (its own counter)."""
    url = f"{node_url}/{INDEX_PREFIX}_*/_stats/search"
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        stats = json.loads(response.read())
    return int(stats["_all"]["primaries"]["search"]["query_total"])


def freshness(env: dict, publishes: int) -> dict:
    """bench/search_freshness.py in its own process, on this backend's settings."""
    out = run_quiet(
        [PYTHON, "-m", "bench.search_freshness", "--publishes", str(publishes)],
        django_env(OURS_SETTINGS, env),
        900,
    )
    return json.loads(out.strip().splitlines()[-1])


def growth(values: list[float | None]) -> float | None:
    """Largest size's figure ÷ smallest's, unrounded (the report shows it)."""
    if len(values) < 2 or not values[0] or values[-1] is None:
        return None
    return values[-1] / values[0]


def rounded_growth(values: list[float | None]) -> float | None:
    found = growth(values)
    return None if found is None else round(found, 2)


def measure_size(
    size: int,
    step: int,
    args,
    env: dict,
    redis_url: str,
    node,
) -> dict:
    drafts = size // 10
    log(f"scale: seeding up to {size} articles and {drafts} drafts")
    started = time.monotonic()
    # Each step its own random stream (seed.py uses seed and seed + 1): the larger
    # corpus is new articles, not copies of the smaller one's.
    run_quiet(
        [PYTHON, "-m", "bench.seed", "--if-fewer", "--seed", str(8 + 10 * step)]
        + ["--articles", str(size), "--drafts", str(drafts)],
        django_env(OURS_SETTINGS, env),
        7200,
    )
    result: dict = {"seed_s": round(time.monotonic() - started, 1)}
    result["render_documents_s"] = render_documents(env)
    from cms.content.models import ArticlePage

    result["articles"] = ArticlePage.objects.filter(live=True).count()
    result["drafts"] = ArticlePage.objects.filter(live=False).count()
    details = detail_paths(args.cold_requests)
    qs = query_mix(args.queries)
    result["backends"] = {}
    for backend in BACKENDS:
        search_url = node.url if backend == "opensearch" else ""
        log(f"scale: {size} articles, {backend}: reindex")
        reindex = reindex_one(backend, search_url)
        backend_env = {
            **env,
            "SEARCH_URL": search_url,
            "SEARCH_INDEX_PREFIX": INDEX_PREFIX,
        }
        servers = Pipeline(
            env["DATABASE_URL"],
            redis_url,
            Path(tempfile.mkdtemp(prefix=f"bench-scale-{backend}-")),
            VAR_DIR=env["VAR_DIR"],
            SEARCH_URL=search_url,
            SEARCH_INDEX_PREFIX=INDEX_PREFIX,
        )
        try:
            base = gunicorn(servers, OURS_SETTINGS, "/healthz/").url
            part: dict = {"reindex": reindex}
            q_urls = [
                f"{base}/api/v1/articles/?{urllib.parse.urlencode({'q': q})}"
                for q in qs
            ]
            log(f"scale: {size} articles, {backend}: cold q ({len(q_urls)} queries)")
            before = engine_searches(node.url) if backend == "opensearch" else 0
            part["cold_q"] = load_cold(q_urls, redis_url, args.max_seconds, len(q_urls))
            if backend == "opensearch":
                part["engine_searches"] = engine_searches(node.url) - before
                part["answered_by_engine"] = part["engine_searches"] >= len(q_urls)
            part["warm_q"] = load_warm(q_urls[0], args.duration, args.connections)
            if backend == "database":
                # Independent of the search backend: measured once per size.
                list_url = f"{base}/api/v1/articles/?limit=20"
                log(f"scale: {size} articles: cold list and detail")
                result["cold_list"] = load_cold(
                    [list_url], redis_url, args.max_seconds, args.cold_requests
                )
                result["cold_detail"] = load_cold(
                    [base + p for p in details],
                    redis_url,
                    args.max_seconds,
                    args.cold_requests,
                )
                log(f"scale: {size} articles: warm list and detail")
                result["warm_list"] = load_warm(
                    list_url, args.duration, args.connections
                )
                result["warm_detail"] = load_warm(
                    base + details[0], args.duration, args.connections
                )
        finally:
            servers.stop_all()
        log(f"scale: {size} articles, {backend}: publish → findable")
        part["freshness"] = freshness(backend_env, args.publishes)
        result["backends"][backend] = part
    return result


def summarise(results: dict) -> None:
    sizes = sorted(results["sizes"], key=int)
    per = [results["sizes"][s] for s in sizes]

    def p99(part: dict | None) -> float | None:
        return (part or {}).get("p99_ms")

    results["growth"] = {
        "cold_list_p99": rounded_growth([p99(r.get("cold_list")) for r in per]),
        "cold_detail_p99": rounded_growth([p99(r.get("cold_detail")) for r in per]),
        **{
            f"cold_q_p99_{b}": rounded_growth(
                [p99(r["backends"][b].get("cold_q")) for r in per]
            )
            for b in BACKENDS
        },
        **{
            f"reindex_docs_per_s_{b}": rounded_growth(
                [r["backends"][b]["reindex"]["docs_per_s"] for r in per]
            )
            for b in BACKENDS
        },
    }
    last = per[-1]
    results["targets"] = {
        "cold_list_p99_growth": results["growth"]["cold_list_p99"],
        "cold_detail_p99_growth": results["growth"]["cold_detail_p99"],
        "q_p99_ms_opensearch": p99(last["backends"]["opensearch"]["cold_q"]),
        "q_p99_ms_database": p99(last["backends"]["database"]["cold_q"]),
        "reindex_opensearch": last["backends"]["opensearch"]["reindex"]["docs_per_s"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="published articles at each step, comma-separated (a tenth as many"
        " drafts)",
    )
    parser.add_argument("--queries", type=int, default=200, help="cold q requests")
    parser.add_argument("--cold-requests", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=120, help="per cold run")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--publishes", type=int, default=30)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_SCALE_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/cms_bench_scale",
        ),
    )
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes comma-separated whole numbers, e.g. 10000,100000")
    if not sizes or sizes[0] < 100:
        parser.error("--sizes: at least one size, each of 100 articles or more")
    ensure_wrk()
    stamp = datetime.now(UTC)
    out = args.out or ROOT / "bench" / "results" / f"{stamp:%Y-%m-%d}-scale.json"
    results: dict = {
        "date": stamp.isoformat(),
        "command": "python -m bench.scale "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "config": {
            "sizes": sizes,
            "queries": args.queries,
            "cold_requests": args.cold_requests,
            "wrk": f"-t2 -c{args.connections} -d{args.duration}s",
            "publishes": args.publishes,
            "gunicorn_workers": GUNICORN_WORKERS,
        },
        "sizes": {},
    }
    from search import opensearch_node

    with ExitStack() as stack:
        redis = RedisServer().start()
        stack.callback(redis.stop)
        env = {
            "DATABASE_URL": args.database_url,
            "REDIS_URL": redis.url,
            "VAR_DIR": str(ROOT / "var"),
        }
        ensure_database(args.database_url, args.fresh)
        run_quiet(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
            django_env(OURS_SETTINGS, env),
            900,
        )
        log("scale: starting the OpenSearch node")
        started = time.perf_counter()
        node = opensearch_node.start()
        stack.callback(node.stop)
        results["opensearch"] = {
            "version": opensearch_node.OPENSEARCH_VERSION,
            "heap": opensearch_node.HEAP,
            "started_in_s": round(time.perf_counter() - started, 1),
            "rss_mb_at_start": round(node.rss_bytes() / 2**20),
        }
        setup_django(env)
        for step, size in enumerate(sizes):
            results["sizes"][str(size)] = measure_size(
                size, step, args, env, redis.url, node
            )
            results["opensearch"][f"rss_mb_at_{size}"] = round(node.rss_bytes() / 2**20)
            out.write_text(json.dumps(results, indent=1, default=str))
    summarise(results)
    results["load_average_at_end"] = list(os.getloadavg())
    out.write_text(json.dumps(results, indent=1, default=str))
    log(f"scale: written {out}")
    print(json.dumps({"growth": results["growth"], "targets": results["targets"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
