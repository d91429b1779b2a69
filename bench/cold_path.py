"""One endpoint's uncached cost, in-process: the figures behind the cold-path work.

    DATABASE_URL=postgres://…/cms_bench REDIS_URL=redis://… PYTHONPATH=. \\
    DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python -m bench.cold_path \\
        /api/v1/articles/?limit=20 [--requests 200] [--profile out.prof] [--explain N]

Clears the cache (Redis) before every request, as the benchmark's cold run does,
and prints the mean milliseconds per request through Django's test client, then
each SQL query of one more request with its time. ``--profile`` writes cProfile
stats of the timed requests; ``--explain N`` prints ``EXPLAIN ANALYZE`` of the
N-th query.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile")
    parser.add_argument("--explain", type=int)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def cold():
        cache.clear()
        response = client.get(args.url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code
        return response

    for _ in range(5):  # connections, plans, imports
        cold()
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(args.requests):
        cold()
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    elapsed = time.perf_counter() - started
    print(f"{args.url}: {elapsed / args.requests * 1e3:.1f} ms per cold request")
    with CaptureQueriesContext(connection) as queries:
        cold()
    for i, query in enumerate(queries.captured_queries):
        print(f"  [{i}] {float(query['time']) * 1e3:5.1f} ms  {query['sql'][:100]}")
    if args.explain is not None:
        sql = queries.captured_queries[args.explain]["sql"]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
