"""`make bench-scale` in miniature (on its own database: `make bench-scale`'s
takes 20 minutes to seed): two small corpora, real gunicorn, wrk, a real
indexing worker, PostgreSQL, Redis and an OpenSearch node. The figures are the
profile's (docs/benchmarks.md); this checks that every one of them is produced, on
the backend it names."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import SCALE_TARGETS
from tests.support.suite import database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_scale_measures_both_backends_at_each_size(tmp_path):
    assert shutil.which("wrk"), "wrk is needed: apt-get install wrk (make bench does)"
    url = database_url("_bench_scale_test")
    out = tmp_path / "scale.json"
    subprocess.run(
        [sys.executable, "-m", "bench.scale", "--fresh", "--sizes", "100,300"]
        + ["--queries", "8", "--cold-requests", "8", "--duration", "1"]
        + ["--publishes", "2", "--database-url", url, "--out", str(out)],
        cwd=ROOT,
        check=True,
        timeout=1200,  # a hang guard, not a speed bound
    )
    results = json.loads(out.read_text())
    assert sorted(results["sizes"], key=int) == ["100", "300"]
    for size, run in results["sizes"].items():
        # Each step added articles up to its size, and a tenth as many drafts.
        assert run["articles"] == int(size)
        assert run["drafts"] == int(size) // 10
        for figure in ("cold_list", "cold_detail"):
            assert run[figure]["status"] == 200 and run[figure]["p99_ms"] > 0
        for figure in ("warm_list", "warm_detail"):
            assert run[figure]["rps"] > 0
        for backend in ("database", "opensearch"):
            part = run["backends"][backend]
            assert part["cold_q"]["status"] == 200, (size, backend, part["cold_q"])
            assert part["warm_q"]["rps"] > 0
            # Every article went into the index being measured.
            assert part["reindex"]["documents"] >= int(size)
            fresh = part["freshness"]
            assert fresh["timed_out"] == 0 and fresh["publish_to_found"]["n"] == 2
        # OpenSearch answered the OpenSearch figures, not the database fallback.
        assert run["backends"]["opensearch"]["answered_by_engine"] is True
    assert {key for _, key, _, _ in SCALE_TARGETS} <= results["targets"].keys()
    assert all(v is not None for v in results["targets"].values()), results["targets"]
