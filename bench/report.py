# ruff: noqa: E501 - the Markdown it writes has long lines of prose and tables
"""docs/benchmarks.md and its plot, from one results file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.scale import growth

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
PLOT = ROOT / "docs" / "benchmarks-latency.png"
SCHEDULE_PLOT = ROOT / "docs" / "benchmarks-schedule.png"
SCALE_PLOT = ROOT / "docs" / "benchmarks-scale.png"
NOTES = ROOT / "bench" / "NOTES.md"

# (figure, key in the results, comparison, target)
TARGETS = [
    ("list, warm: ours ÷ stock v2 (req/s)", "list_warm_vs_stock_v2", ">=", 10),
    ("detail, warm: ours ÷ stock v2", "detail_warm_vs_stock_v2", ">=", 10),
    ("list, warm: ours ÷ floor", "list_warm_vs_floor", ">=", 0.7),
    ("detail, warm: ours ÷ floor", "detail_warm_vs_floor", ">=", 0.7),
    ("list, cold: ours ÷ stock v2", "list_cold_vs_stock_v2", ">=", 2),
    ("detail, cold: ours ÷ stock v2", "detail_cold_vs_stock_v2", ">=", 2),
    ("list, cold: ours ÷ stock v3", "ratios.list_cold_vs_stock_v3", ">=", 1.5),
    ("detail, cold: ours ÷ stock v3", "ratios.detail_cold_vs_stock_v3", ">=", 1.5),
    (
        "deep page (200) ÷ first page, latency",
        "ratios.deep_vs_first_page_latency",
        "<=",
        1.2,
    ),
    ("SQL queries per list request, cold", "queries_per_list_request.cold", "<=", 6),
    (
        "SQL queries per list request (limit 100), cold",
        "queries_per_list_request.cold_limit_100",
        "<=",
        6,
    ),
    ("SQL queries per list request, warm", "queries_per_list_request.warm", "<=", 0),
    ("schedule lateness p99 (s)", "schedule_lateness_p99_s", "<=", 1),
    ("schedule lateness max (s)", "schedule_lateness_max_s", "<=", 2),
    (
        "1,000 due at once: all live within (s)",
        "simultaneous_1000_all_live_s",
        "<=",
        10,
    ),
    (
        "Redis blip: all due live after its return, max (s)",
        "recovery_redis_blip_max_s",
        "<=",
        2,
    ),
    (
        "worker killed at T − 1 s: all due live after its return, max (s)",
        "recovery_worker_kill_max_s",
        "<=",
        2,
    ),
    ("publish → findable p99 (s)", "publish_to_searchable_p99_s", "<=", 2),
    ("publish → webhook p99 (s)", "publish_to_webhook_p99_s", "<=", 2),
    (
        "publish → visible on the front end p99 (s)",
        "frontend_publish_to_visible_p99_s",
        "<=",
        2,
    ),
    ("editor publish request: ours ÷ stock", "editor_publish_vs_stock", "<=", 0.5),
    ("reindex docs/s: ours ÷ stock update_index", "reindex_vs_stock", ">=", 2),
    (
        "q search, warm: ours ÷ stock v2 ?search=",
        "ratios.search_warm_vs_stock_v2",
        ">=",
        10,
    ),
]


def lookup(results: dict, dotted: str):
    value = results
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def verdict(value, op: str, target: float) -> str:
    if value is None:
        return "not measured"
    met = value >= target if op == ">=" else value <= target
    return "met" if met else "**missed**"


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1 else f"{value:,.2f}"
    return str(value)


def plot(results: dict, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    summary = results.get("summary", {})
    labels, series = [], {p: [] for p in ("p50_ms", "p90_ms", "p99_ms")}
    for target in ("ours", "stock_v2", "stock_v3", "floor"):
        for endpoint in ("list", "detail", "search"):
            warm = summary.get(target, {}).get(endpoint, {}).get("warm")
            if not warm or warm.get("p50_ms") is None:
                continue
            labels.append(f"{target}\n{endpoint}")
            for key in series:
                series[key].append(warm.get(key) or 0)
    if not labels:
        return False
    fig, ax = plt.subplots(figsize=(max(6, len(labels) * 0.9), 4.5))
    width = 0.27
    for i, (key, values) in enumerate(series.items()):
        xs = [x + (i - 1) * width for x in range(len(labels))]
        ax.bar(xs, values, width, label=key.removesuffix("_ms"))
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_title("Warm latency percentiles under wrk, same server settings")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def plot_schedule(results: dict, path: Path) -> bool:
    """Schedule lateness: ours (p50/p99/max) beside stock's one-minute cron, and
    the share of N articles due at the same second that are live, by time after T."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    stock = results.get("stock_schedule_lateness_model_s") or {}
    burst = (results.get("pipeline") or {}).get("burst") or {}
    observed = burst.get("observed_s") or []
    bars = [
        ("ours p50", results.get("schedule_lateness_p50_s")),
        ("ours p99", results.get("schedule_lateness_p99_s")),
        ("ours max", results.get("schedule_lateness_max_s")),
        ("stock p50\n(1-min cron)", stock.get("p50")),
        ("stock max\n(1-min cron)", stock.get("max")),
    ]
    bars = [(label, v) for label, v in bars if v is not None]
    if not bars and not observed:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    if bars:
        values = [max(v, 0.001) for _, v in bars]
        colors = ["tab:blue"] * 3 + ["tab:gray"] * 2
        left.bar(range(len(bars)), values, color=colors[: len(bars)])
        left.set_xticks(range(len(bars)), [b[0] for b in bars], fontsize=8)
        left.set_yscale("log")
        left.set_ylabel("lateness (s, log scale; live time − scheduled time)")
        for x, (_, v) in enumerate(bars):
            left.annotate(f"{v:g}", (x, max(v, 0.001)), ha="center", va="bottom")
        left.axhline(1, color="tab:red", lw=0.8, ls="--", label="target p99 1 s")
        left.legend(fontsize=8)
        n = (results.get("config", {}).get("pipeline") or {}).get("spread_publishes")
        left.set_title(f"Schedule lateness, {n} publishes spread", fontsize=10)
    if observed:
        n = len(observed)
        right.step(
            [0.0, *observed], [0, *[(i + 1) / n for i in range(n)]], where="post"
        )
        right.axvline(10, color="tab:red", lw=0.8, ls="--", label="target 10 s")
        right.set_xlabel("seconds after T (database polled every 20 ms)")
        right.set_ylabel("share live")
        right.set_title(
            f"{burst.get('n')} articles due at the same second T", fontsize=10
        )
        right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def pipeline_lines(results: dict) -> list[str]:
    pipe = results.get("pipeline")
    if not pipe:
        return ["Not run (`--no-pipeline`)."]
    cfg = results.get("config", {}).get("pipeline") or {}
    spread = pipe.get("spread") or {}
    burst = pipe.get("burst") or {}
    fresh = pipe.get("freshness") or {}
    search = fresh.get("search") or {}
    hooks = fresh.get("webhooks") or {}
    gone = search.get("unpublish_to_gone") or {}
    return [
        "`celery worker -Q publishing` (concurrency"
        f" {pipe.get('concurrency')}), `celery worker -Q indexing`,"
        " `celery worker -Q webhooks --pool threads` and"
        " `celery beat`, against the bench database and the run's private Redis.",
        "",
        f"- Lateness, {cfg.get('spread_publishes')} publishes spread over"
        f" {fmt(cfg.get('spread_s'))} s (`bench/schedule_lateness.py`; when a"
        " reader first sees each page live, the database polled every"
        f" {fmt(spread.get('poll_s'))} s): p50 {fmt(spread.get('p50_s'))} s, p99"
        f" {fmt(spread.get('p99_s'))} s, max {fmt(spread.get('max_s'))} s"
        f" (from `last_published_at`, stamped before the commit: p50"
        f" {fmt(spread.get('stamped_p50_s'))} s, p99 {fmt(spread.get('stamped_p99_s'))}"
        f" s, max {fmt(spread.get('stamped_max_s'))} s);"
        f" {spread.get('published')} of {spread.get('n')} published,"
        f" {spread.get('early')} stamped before T. {spread.get('error') or ''}",
        f"- {burst.get('n')} due at the same second T, database polled every 20 ms:"
        f" first live after {fmt(burst.get('first_live_s'))} s, half after"
        f" {fmt(burst.get('half_live_s'))} s, all after {fmt(burst.get('all_live_s'))}"
        f" s ({burst.get('published')} of {burst.get('n')}); the latest"
        f" `last_published_at` − T is {fmt(burst.get('last_published_at_minus_t_s'))} s"
        " (stamped before the publish commits); all findable by `q` after"
        f" {fmt(burst.get('all_indexed_s'))} s. Run after the two figures below, so"
        " that its backlog does not delay them. " + (burst.get("error") or ""),
        f"- Publish → findable by `q`, {cfg.get('freshness')} publishes, one at a"
        " time, after the spread's backlog drained"
        f" ({fmt(fresh.get('idle_wait_s'))} s): found {search.get('n')}, p50"
        f" {fmt(search.get('p50_s'))} s, p99 {fmt(search.get('p99_s'))} s, max"
        f" {fmt(search.get('max_s'))} s ({search.get('timed_out')} timed out);"
        f" unpublish → gone p50 {fmt(gone.get('p50_s'))} s, p99"
        f" {fmt(gone.get('p99_s'))} s.",
        f"- Publish → webhook delivered, {cfg.get('webhooks')} publishes ×"
        f" {hooks.get('receivers')} loopback receivers: p50 {fmt(hooks.get('p50_s'))}"
        f" s, p99 {fmt(hooks.get('p99_s'))} s, max {fmt(hooks.get('max_s'))} s"
        f" ({hooks.get('delivered')} of {hooks.get('expected')} delivered,"
        f" {hooks.get('duplicates')} duplicates). {fresh.get('error') or ''}",
    ]


def recovery_lines(results: dict) -> list[str]:
    rec = results.get("recovery")
    if not rec:
        return ["Not run (the smoke run and `--no-pipeline` skip it)."]
    if "error" in rec:
        return [f"Failed: {rec['error']}"]
    blip = rec.get("redis_blip") or {}
    kill = rec.get("worker_kill") or {}
    separate = (
        [
            f"Measured separately from the run above: `{rec.get('command')}` on"
            f" {rec.get('date')}, figures in `{results['recovery_path']}`.",
            "",
        ]
        if results.get("recovery_path")
        else []
    )
    return [
        *separate,
        "`bench/recovery.py`: the production shape (compose's publishing worker,"
        " webhook worker and beat, `tests/support/processes.py`, production settings"
        " and defaults) on a private Redis without persistence, with"
        f" {rec.get('n')} articles due per run, whose reminders the worker holds when"
        " the fault happens. Each figure is the time from the pipeline's return until"
        " a reader (database polled every 20 ms) sees the last of them live; the"
        f" target is two sweep intervals ({fmt(blip.get('target_s'))} s, RELIABILITY R2).",
        "",
        f"- Redis blip (due 0.5 s into a 1 s outage; Redis back with its data), from"
        f" Redis answering again, {blip.get('runs')} runs: p50"
        f" {fmt(blip.get('p50_s'))} s, max {fmt(blip.get('max_s'))} s"
        f" (each: {', '.join(fmt(v) for v in blip.get('after_return_s') or [])});"
        " worker, webhook worker and beat the same processes throughout:"
        f" {'yes' if blip.get('same_processes') else 'no'}.",
        f"- Worker SIGKILLed with its pool at T − 1 s, started again 2 s later, from"
        f" its `ready`, {kill.get('runs')} runs: p50 {fmt(kill.get('p50_s'))} s, max"
        f" {fmt(kill.get('max_s'))} s"
        f" (each: {', '.join(fmt(v) for v in kill.get('after_return_s') or [])}).",
        f"- Publishes beyond one per article: {rec.get('extra_publishes')}. Load"
        f" average (1, 5, 15 min) before {rec.get('load_average_before')}, after"
        f" {rec.get('load_average_after')} ({results.get('machine', {}).get('cores')}"
        " cores, shared).",
    ]


def with_recovery(results: dict, recovery_path: Path) -> dict:
    """The run's results with the figures of a separate `bench.recovery` run."""
    rec = json.loads(recovery_path.read_text())
    merged = {**results, "recovery": rec}
    merged["recovery_path"] = (
        recovery_path.relative_to(ROOT)
        if recovery_path.is_relative_to(ROOT)
        else recovery_path
    )
    for fault in ("redis_blip", "worker_kill"):
        for figure in ("p50", "max"):
            merged[f"recovery_{fault}_{figure}_s"] = rec[fault].get(f"{figure}_s")
    merged["missing"] = [
        m for m in results.get("missing", []) if not m["key"].startswith("recovery_")
    ]
    return merged


def with_frontend(results: dict) -> dict:
    """The run's results with the newest `bench.frontend_latency` figures
    (bench/results/*-frontend.json), a separate run of the reference front end."""
    found = sorted(RESULTS_DIR.glob("*-frontend.json"))
    if not found:
        return results
    front = json.loads(found[-1].read_text())
    merged = {
        **results,
        "frontend": front,
        "frontend_path": found[-1].relative_to(ROOT),
    }
    merged["frontend_publish_to_visible_p99_s"] = (
        front["publish_to_visible"]["p99_ms"] / 1000
    )
    return merged


def frontend_lines(results: dict) -> list[str]:
    front = results.get("frontend")
    if not front:
        return ["Not run (`python -m bench.frontend_latency`)."]
    vis = front["publish_to_visible"]
    warm = front["ttfb_warm"]
    after = front.get("ttfb_first_request_after_revalidation") or {}
    api = front["api_requests_per_revalidation"]
    load = ", ".join(f"{v:.2f}" for v in front.get("load_average_at_end", []))
    return [
        f"Measured separately: `{front.get('command')}` on {front.get('date')},"
        f" figures in `{results['frontend_path']}`. `bench/frontend_latency.py`: the"
        " production shape (gunicorn, compose's publishing and webhook workers and"
        " beat, `tests/support/processes.py`) and `next start` of the reference front"
        " end (docs/frontend.md), which reads the CMS through a counting proxy. Each"
        " publish changes an article's intro through Wagtail, as the admin does; a"
        f" reader polls the article's URL every {front.get('poll_interval_s')} s until"
        " the new text shows. Every page is served from Next's cache until the"
        " signed `article.published` webhook revalidates it.",
        "",
        f"- Publish → visible, {vis['n']} publishes: p50 {vis['p50_ms']} ms, p90"
        f" {vis['p90_ms']} ms, p99 {vis['p99_ms']} ms, max {vis['max_ms']} ms"
        f" ({front.get('not_visible_within_timeout')} not visible within the timeout).",
        f"- Time to first byte of an article page from Next's cache (warm), {warm['n']}"
        f" requests: p50 {warm['p50_ms']} ms, p99 {warm['p99_ms']} ms.",
        f"- Time to first byte of the first request after a revalidation (the page"
        f" rendered again), {after.get('n')} requests: p50 {after.get('p50_ms')} ms,"
        f" p99 {after.get('p99_ms')} ms.",
        f"- API requests per revalidation (at the proxy, from the publish until the"
        f" page is rendered again and 0.5 s more): mean {api['mean']}, min"
        f" {api['min']}, max {api['max']}; the last ten by endpoint:"
        f" {api['last_10_by_endpoint']}. Only the article's page is asked for here:"
        " the home, section and tag pages the same event made stale are rendered"
        " again on their next request, at one list request and the navigation's"
        " `sections/` each.",
        f"- With {vis['n']} publishes, p99 is the slowest of them; the"
        " polling adds up to its interval.",
        f"- Load average (1, 5, 15 min) at the end: {load}"
        f" ({front.get('cpus')} cores, shared with other work).",
    ]


def newest_scale() -> tuple[dict, Path] | None:
    """The newest `bench.scale` run (bench/results/*-scale.json) that finished."""
    for path in sorted(RESULTS_DIR.glob("*-scale.json"), reverse=True):
        scale = json.loads(path.read_text())
        if scale.get("targets"):
            return scale, path
    return None


def plot_scale(scale: dict, path: Path) -> bool:
    """p50 and p99 against the corpus size, both axes logarithmic."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = sorted(scale["sizes"], key=int)
    runs = [scale["sizes"][s] for s in sizes]
    xs = [r.get("articles") or int(s) for s, r in zip(sizes, runs, strict=True)]
    series = {
        "cold list": [r.get("cold_list") for r in runs],
        "cold detail": [r.get("cold_detail") for r in runs],
        "cold q, PostgreSQL": [r["backends"]["database"].get("cold_q") for r in runs],
        "cold q, OpenSearch": [r["backends"]["opensearch"].get("cold_q") for r in runs],
    }
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, (label, parts) in enumerate(series.items()):
        colour = f"C{i}"
        for key, style in (("p99_ms", "-o"), ("p50_ms", ":o")):
            ys = [(p or {}).get(key) for p in parts]
            if any(y is None for y in ys):
                continue
            ax.plot(
                xs,
                ys,
                style,
                color=colour,
                label=f"{label} {key.removesuffix('_ms')}",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(xs, [f"{x:,}" for x in xs])
    ax.set_xlabel("public articles (and a tenth as many drafts)")
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_title("Cold latency against corpus size (response cache empty)")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


SCALE_TARGETS = [
    ("cold list p99, growth", "cold_list_p99_growth", "<=", 1.3),
    ("cold detail p99, growth", "cold_detail_p99_growth", "<=", 1.3),
    ("`q` p99, largest corpus, OpenSearch (ms)", "q_p99_ms_opensearch", "<=", 150),
    ("`q` p99, largest corpus, PostgreSQL (ms)", "q_p99_ms_database", "<=", 300),
    ("reindex, largest corpus, OpenSearch (docs/s)", "reindex_opensearch", ">=", 1000),
]


def scale_lines() -> list[str]:
    found = newest_scale()
    if found is None:
        return ["Not run yet (`make bench-scale`)."]
    scale, path = found
    has_plot = plot_scale(scale, SCALE_PLOT)
    sizes = sorted(scale["sizes"], key=int)
    runs = [scale["sizes"][s] for s in sizes]
    cfg = scale.get("config", {})
    node = scale.get("opensearch", {})
    load = ", ".join(f"{v:.2f}" for v in scale.get("load_average_at_end", []))
    head = " | ".join(f"{r.get('articles'):,} articles" for r in runs)
    growth_head = f"growth {sizes[-1]} ÷ {sizes[0]}"
    lines = [
        f"Measured separately: `{scale.get('command')}` on {scale.get('date')}, figures"
        f" in `{path.relative_to(ROOT)}` (`bench/scale.py`). Each corpus has a tenth"
        " as many drafts beside it. Cold: one connection, the cache's Redis database"
        f" flushed before every request, {cfg.get('cold_requests')} list and detail"
        f" requests (each detail another article) and {cfg.get('queries')} `q`"
        " queries of one to three words from the seeding vocabulary (about 250"
        " words, so most words occur in most articles: the worst case for ranking)."
        f" Warm: wrk `{cfg.get('wrk')}` on one URL, cache primed. Publish → findable:"
        f" {cfg.get('publishes')} publishes through Wagtail with a real indexing"
        " worker. Reindex: the articles into that backend alone, from an empty"
        " index. OpenSearch"
        f" {node.get('version')}, heap {node.get('heap')}, one node: started in"
        f" {node.get('started_in_s')} s, resident memory {node.get('rss_mb_at_start')}"
        " MB at start, "
        + ", ".join(
            f"{node.get(f'rss_mb_at_{s}')} MB after the {int(s):,} step" for s in sizes
        )
        + f". Load average at the end: {load} ({scale['machine'].get('cores')} cores).",
        "",
        "| target | measured | target | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for label, key, op, target in SCALE_TARGETS:
        value = scale["targets"].get(key)
        lines.append(
            f"| {label} | {fmt(value)} | {op.replace('>=', '≥').replace('<=', '≤')}"
            f" {target} | {verdict(value, op, target)} |"
        )
    lines += [
        "",
        f"| figure | {head} | {growth_head} |",
        "| --- | " + " | ".join("---" for _ in runs) + " | --- |",
    ]

    def row(label: str, values: list, grow=None) -> None:
        lines.append(
            f"| {label} | " + " | ".join(fmt(v) for v in values) + f" | {fmt(grow)} |"
        )

    def get(part, key):
        return (part or {}).get(key)

    for name, key in (("cold list", "cold_list"), ("cold detail", "cold_detail")):
        for pct in ("p50_ms", "p99_ms"):
            values = [get(r.get(key), pct) for r in runs]
            row(f"{name} {pct.replace('_ms', ' (ms)')}", values, growth(values))
    for name, key in (("warm list", "warm_list"), ("warm detail", "warm_detail")):
        values = [get(r.get(key), "rps") for r in runs]
        row(f"{name} (req/s)", values, growth(values))
    for backend, title in (("database", "PostgreSQL"), ("opensearch", "OpenSearch")):
        parts = [r["backends"][backend] for r in runs]
        for pct in ("p50_ms", "p99_ms"):
            values = [get(p.get("cold_q"), pct) for p in parts]
            row(
                f"cold `q` {pct.replace('_ms', ' (ms)')}, {title}",
                values,
                growth(values),
            )
        values = [get(p.get("warm_q"), "rps") for p in parts]
        row(f"warm `q` (req/s), {title}", values, growth(values))
        values = [
            get(get(p.get("freshness"), "publish_to_found"), "p99_s") for p in parts
        ]
        row(f"publish → findable p99 (s), {title}", values, growth(values))
        values = [
            get(get(p.get("freshness"), "unpublish_to_gone"), "p99_s") for p in parts
        ]
        row(f"unpublish → gone p99 (s), {title}", values, growth(values))
        values = [get(p.get("reindex"), "docs_per_s") for p in parts]
        row(f"reindex (docs/s), {title}", values, growth(values))
    engine = [r["backends"]["opensearch"].get("answered_by_engine") for r in runs]
    lines += [
        "",
        "Every OpenSearch `q` figure was answered by the node (its own search counter"
        " grew by at least one search per request): "
        + ("yes" if all(engine) else f"no ({engine})")
        + ".",
    ]
    if has_plot:
        lines += ["", f"![Cold latency against corpus size]({SCALE_PLOT.name})"]
    return lines


def write_report(results: dict, results_path: Path) -> None:
    results = with_frontend(results)
    has_plot = plot(results, PLOT)
    has_schedule_plot = plot_schedule(results, SCHEDULE_PLOT)
    m = results.get("machine", {})
    cfg = results.get("config", {})
    lines = [
        "# Benchmarks",
        "",
        "The product's delivery API against stock Wagtail 8 (API v2 and v3, same database",
        "rows) and a floor (a constant JSON view of our list's size), served by the same",
        "gunicorn settings, loaded in the same run. Generated by `bench/run.py`; do not",
        "edit the figures by hand.",
        "",
        "## How to reproduce",
        "",
        "```",
        "make bench          # = .venv/bin/python -m bench.run (10,000 articles)",
        "make bench-smoke    # 200 articles, short runs (CI)",
        "make bench-scale    # 10,000 then 100,000 articles, PostgreSQL and OpenSearch",
        "```",
        "",
        f"This run: `{results.get('command')}` on {results.get('date')}; figures in",
        f"`{results_path.relative_to(ROOT) if results_path.is_relative_to(ROOT) else results_path}`.",
        "",
        f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('memory')}, {m.get('os')},",
        f"Python {m.get('python')}. Shared and noisy: ratios are taken pair by pair within",
        "each round, then the median over rounds.",
        "",
        f"Set-up: {cfg.get('articles')} articles (seeding took {results.get('seed_s')} s),",
        f"gunicorn `{' '.join(cfg.get('gunicorn', []))}`,",
        f"wrk `-t2 -c{cfg.get('wrk_connections')} -d{cfg.get('wrk_duration_s')}s`,",
        f"{cfg.get('rounds')} rounds; the deep page is page {results.get('deep_page')}"
        " of the default list (fewer articles give fewer pages). Warm: cache primed, wrk. Cold: one connection, the",
        "cache's Redis database flushed before every request (stock has no response",
        "cache; the flush still clears its rendition cache).",
        "",
        "## Targets",
        "",
        "| figure | measured | target | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for label, key, op, target in TARGETS:
        value = lookup(results, key)
        lines.append(
            f"| {label} | {fmt(value)} | {op.replace('>=', '≥').replace('<=', '≤')}"
            f" {target} | {verdict(value, op, target)} |"
        )
    lines += ["", "## Throughput and latency (medians over rounds)", ""]
    lines += [
        "| server | endpoint | mode | req/s | p50 ms | p90 ms | p99 ms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for target, endpoints in results.get("summary", {}).items():
        for endpoint, modes in endpoints.items():
            for mode, s in modes.items():
                lines.append(
                    f"| {target} | {endpoint} | {mode} | {fmt(s.get('rps'))} | "
                    f"{fmt(s.get('p50_ms'))} | {fmt(s.get('p90_ms'))} | "
                    f"{fmt(s.get('p99_ms'))} |"
                )
    if has_plot:
        lines += ["", f"![Warm latency percentiles]({PLOT.name})"]
    if has_schedule_plot:
        lines += ["", f"![Schedule lateness]({SCHEDULE_PLOT.name})"]
    lines += ["", "## SQL queries per request (cold / warm)", ""]
    lines += [
        "| server | request | status | cold | warm |",
        "| --- | --- | --- | --- | --- |",
    ]
    for server, urls in results.get("queries", {}).items():
        for url, q in urls.items():
            if isinstance(q, dict):
                lines.append(
                    f"| {server} | `{url}` | {q.get('status')} | {q.get('cold')} | "
                    f"{q.get('warm')} |"
                )
    ed = results.get("editor_publish", {})
    ri = results.get("reindex", {})
    ps = results.get("stock_publish_scheduled", {})
    lines += [
        "",
        "## Editor, indexing and scheduling",
        "",
        f"- Admin publish POST, median: stock {fmt(ed.get('stock', {}).get('median_s'))} s"
        f" (`{ed.get('stock', {}).get('tasks_backend')}`), ours"
        f" {fmt(ed.get('ours', {}).get('median_s'))} s"
        f" (`{ed.get('ours', {}).get('tasks_backend')}`); per round (stock and ours"
        " alternating), ours ÷ stock: "
        + (", ".join(fmt(r.get("ratio")) for r in ed.get("rounds", [])) or "—")
        + ".",
        f"- Stock `update_index`: {fmt(ri.get('stock_update_index', {}).get('docs_per_s'))}"
        f" articles/s; our `reindex`: {fmt(ri.get('ours', {}).get('docs_per_s'))}"
        f" {ri.get('ours', {}).get('missing', '')}.",
        f"- Stock `publish_scheduled`: {ps.get('due')} revisions due, published"
        f" {ps.get('published')} in {fmt(ps.get('seconds'))} s"
        f" ({fmt(ps.get('pages_per_s'))} pages/s). Under the hourly cron Wagtail's docs"
        " suggest, or a one-minute cron, lateness is what the cadence makes it:"
        f" modelled p50/max for a one-minute cron {results.get('stock_schedule_lateness_model_s')} s.",
        "",
        "## Publishing pipeline (real workers and beat)",
        "",
        *pipeline_lines(results),
        "",
        "## Recovery after a Redis blip and a worker kill",
        "",
        *recovery_lines(results),
        "",
        "## The reference front end",
        "",
        *frontend_lines(results),
        "",
        "## Search and delivery at 10,000 and 100,000 articles",
        "",
        *scale_lines(),
        "",
        "## Phases (wall time, s)",
        "",
        "| phase | s |",
        "| --- | --- |",
        *[
            f"| {k.removesuffix('_s')} | {fmt(v)} |"
            for k, v in results.get("phases", {}).items()
        ],
        "",
        "## Not measured in this run",
        "",
    ]
    for item in results.get("missing", []):
        lines.append(f"- `{item['key']}`: {item['why']}")
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip()]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    # python -m bench.report RESULTS [RECOVERY]: RECOVERY, the JSON of a separate
    # `python -m bench.recovery --json` run, stands in for the run's own.
    path = Path(sys.argv[1])
    results = json.loads(path.read_text())
    if len(sys.argv) > 2:
        results = with_recovery(results, Path(sys.argv[2]))
    write_report(results, path)
