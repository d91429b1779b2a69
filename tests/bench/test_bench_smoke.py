"""`make bench-smoke`, end to end: real gunicorn, wrk, PostgreSQL and Redis."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import PIPELINE_KEYS, REQUIRED_KEYS
from tests.support.suite import database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_smoke_writes_every_required_figure(tmp_path):
    assert shutil.which("wrk"), "wrk is needed: apt-get install wrk (make bench does)"
    url = database_url("_bench_smoke")
    out = tmp_path / "smoke.json"
    subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--no-docs"]
        + ["--database-url", url, "--out", str(out)],
        cwd=ROOT,
        check=True,
        timeout=1200,  # a hang guard, not a speed bound (see the budget below)
    )
    results = json.loads(out.read_text())
    assert set(REQUIRED_KEYS) <= results.keys()
    missing = {item["key"] for item in results["missing"]}
    assert {k for k in REQUIRED_KEYS if results[k] is None} <= missing
    # The runner's own servers answered: the floor has a figure in every run.
    assert results["summary"]["floor"]["list"]["warm"]["rps"] > 0
    # The pipeline ran with real workers and beat: every scheduled article went
    # live, every publish became findable and every webhook arrived.
    assert {k: results[k] for k in PIPELINE_KEYS if results[k] is None} == {}
    burst = results["pipeline"]["burst"]
    assert burst["published"] == burst["n"] > 0
    assert results["pipeline"]["freshness"]["webhooks"]["duplicates"] == 0
    # How long it took is the bench's figure (elapsed_vs_smoke_budget), not a
    # condition here: a loaded machine is slower, not wrong.
    assert results["elapsed_vs_smoke_budget"] > 0
