"""The measurements that run inside Django, one settings module per process.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.inprocess queries URL...

Each subcommand prints one JSON object on its last line; bench/run.py reads it. The
product and the stock baseline need different settings (URLs, task backend), hence a
process each.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from typing import Any

HOST = "127.0.0.1"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def targets() -> dict[str, Any]:
    """Ids, slugs and filters that exist in the seeded data, for building URLs."""
    from django.db.models import Count

    from cms.content.models import ArticlePage, Category

    page = ArticlePage.objects.live().order_by("-first_published_at").first()
    if page is None:
        return {}
    category = Category.objects.annotate(n=Count("articles")).order_by("-n").first()
    tag = page.tags.order_by("name").first()
    return {
        "id": page.pk,
        "slug": page.slug,
        # The public path (below the site root), for routes/?path=.
        "path": "/" + page.url_path.split("/", 2)[2],
        "category": category.slug if category else None,
        "tag": tag.slug if tag else None,
        "articles": ArticlePage.objects.live().count(),
    }


def _top_level_keys(content: bytes) -> list[str]:
    """The response's top-level JSON keys: the run checks that every detail
    endpoint really carries the detail fields (body, related links)."""
    try:
        data = json.loads(content)
    except ValueError:
        return []
    return sorted(data) if isinstance(data, dict) else []


def queries(urls: list[str]) -> dict[str, Any]:
    """SQL queries per request, cold (cache cleared first) and warm (just primed)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out: dict[str, Any] = {}
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            first = client.get(url, HTTP_HOST=HOST)
        with CaptureQueriesContext(connection) as warm:
            client.get(url, HTTP_HOST=HOST)
        out[url] = {
            "status": first.status_code,
            "bytes": len(first.content),
            "keys": _top_level_keys(first.content),
            "cold": len(cold),
            "warm": len(warm),
        }
    return out


def _body_form_data(page) -> dict:
    from wagtail.test.utils.form_data import rich_text, streamfield

    items = []
    for block in page.body:
        value = block.value
        if block.block_type == "paragraph":
            items.append(("paragraph", rich_text(value.source)))
        elif block.block_type == "list":
            entries = streamfield([("item", item) for item in value["items"]])
            items.append(("list", {"style": value["style"], "items": entries}))
        else:
            items.append((block.block_type, dict(value)))
    return streamfield(items)


def editor_publish(count: int, profile: str | None = None) -> dict[str, Any]:
    """The admin's "publish" POST, timed, for ``count`` articles (median).

    With ``profile`` (a path), the POSTs also run under cProfile, whose stats are
    dumped there, and the SQL queries of each POST are counted.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html

    from cms.content.models import ArticlePage

    User = get_user_model()
    user = User.objects.filter(username="bench-editor").first()
    if user is None:
        user = User.objects.create_superuser("bench-editor", "bench@example.com", None)
    client = Client()
    client.force_login(user)
    pages = list(ArticlePage.objects.live().order_by("pk")[:count])
    profiler = None
    query_counts: list[int] = []
    if profile:
        import cProfile

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        profiler = cProfile.Profile()
    timings: list[float] = []
    statuses: list[int] = []
    for page in pages:
        edit_url = f"/admin/pages/{page.pk}/edit/"
        html = client.get(edit_url, HTTP_HOST=HOST).content.decode()
        data = querydict_from_html(html, form_id="page-edit-form")
        # The StreamField editor is drawn client-side: post its fields as it would.
        data.update(nested_form_data({"body": _body_form_data(page)}))
        data["action-publish"] = "action-publish"
        if profiler is not None:
            with CaptureQueriesContext(connection) as captured:
                profiler.enable()
                started = time.perf_counter()
                response = client.post(edit_url, data, HTTP_HOST=HOST)
                timings.append(time.perf_counter() - started)
                profiler.disable()
            query_counts.append(len(captured))
        else:
            started = time.perf_counter()
            response = client.post(edit_url, data, HTTP_HOST=HOST)
            timings.append(time.perf_counter() - started)
        before = page.live_revision_id
        page.refresh_from_db(fields=["live_revision"])
        # A redirect with a new live revision is a publish; anything else is not.
        published = response.status_code == 302 and page.live_revision_id != before
        statuses.append(response.status_code if published else -response.status_code)
    from django.conf import settings

    if profiler is not None:
        profiler.dump_stats(profile)
    return {
        "median_s": statistics.median(timings) if timings else None,
        "timings_s": timings,
        "statuses": statuses,
        **({"queries": query_counts} if profile else {}),
        "tasks_backend": settings.TASKS["default"]["BACKEND"],
    }


def stock_update_index() -> dict[str, Any]:
    """Wagtail's ``update_index`` over everything, in articles per second."""
    from io import StringIO

    from django.core.management import call_command

    from cms.content.models import ArticlePage

    articles = ArticlePage.objects.count()
    started = time.perf_counter()
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    seconds = time.perf_counter() - started
    return {"articles": articles, "seconds": seconds, "docs_per_s": articles / seconds}


def our_reindex() -> dict[str, Any]:
    """Our ``reindex`` command, if the search app has one yet."""
    from io import StringIO

    from django.core.management import call_command, get_commands

    from cms.content.models import ArticlePage

    if "reindex" not in get_commands():
        return {"missing": "no `reindex` management command yet"}
    from modelsearch.backends import get_search_backends

    articles = ArticlePage.objects.count()
    # Ours skips entries whose text is unchanged, and stock update_index has just
    # written them all: start from an empty table so that ours writes every
    # document too, as stock did (a fair rate, not a skip rate).
    for backend in get_search_backends():
        index = backend.get_index_for_model(ArticlePage)
        if hasattr(index, "entries"):
            index.entries.all().delete()
    started = time.perf_counter()
    call_command("reindex", stdout=StringIO(), stderr=StringIO())
    seconds = time.perf_counter() - started
    return {
        "articles": articles,
        "seconds": seconds,
        "docs_per_s": articles / seconds,
        "from_empty_index": True,
    }


def stock_publish_scheduled(count: int) -> dict[str, Any]:
    """Wagtail's own ``publish_scheduled`` with ``count`` revisions due now.

    The publishing app overrides the command's name, so Wagtail's class is called
    directly.
    """
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.management.commands.publish_scheduled import Command

    from cms.content.models import ArticlePage

    due = timezone.now() - timedelta(seconds=1)
    pages = list(ArticlePage.objects.live().order_by("-pk")[:count])
    for page in pages:
        page.title = f"{page.title} (updated)"[:255]
        page.save_revision(approved_go_live_at=due)
    started = time.perf_counter()
    Command().handle(dryrun=False)
    seconds = time.perf_counter() - started
    published = ArticlePage.objects.filter(
        pk__in=[p.pk for p in pages], has_unpublished_changes=False
    ).count()
    return {
        "due": len(pages),
        "published": published,
        "seconds": seconds,
        "pages_per_s": published / seconds if seconds else None,
    }


@contextmanager
def pipeline_workers(concurrency: int):
    """Publishing, indexing and webhooks workers and beat, as in production.

    Started as bench/schedule_lateness.py starts them, against this process's
    database and Redis; yields once the three workers answer a ping.
    """
    import signal
    import subprocess
    import tempfile
    from pathlib import Path

    from bench.schedule_lateness import start_workers
    from cms.celery_app import app

    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    procs = start_workers(tmp, concurrency, f"bench-{os.getpid()}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if len(app.control.ping(timeout=0.5)) >= 3:
                    break
            except Exception:  # the broker answers before the workers do
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"pipeline workers did not start, logs in {tmp}")
            time.sleep(0.2)
        yield tmp
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


def _guarded(name: str, func, *args) -> dict[str, Any]:
    started = time.perf_counter()
    print(f"pipeline: {name}", file=sys.stderr, flush=True)
    try:
        result = func(*args)
    except Exception as exc:  # one phase failing leaves the others' figures
        result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def wait_for_idle_workers(timeout: float, since) -> float | None:
    """Seconds until the indexing and webhooks queues are empty and no search
    update is pending (the previous phase's backlog), or None after ``timeout``."""
    from cms.celery_app import app
    from search.models import PendingIndexUpdate

    started = time.monotonic()
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        while time.monotonic() - started < timeout:
            queued = sum(channel._size(q) for q in ("indexing", "webhooks"))
            pending = PendingIndexUpdate.objects.filter(changed_at__gte=since)
            if not queued and not pending.exists():
                return round(time.monotonic() - started, 1)
            time.sleep(0.5)
    return None


def burst_observed(articles: list[tuple[int, int]], lead: float) -> dict[str, Any]:
    """``articles`` (page, revision) all due at T = now + ``lead``; workers running.

    The time until all are live is observed by polling the database (what a reader
    sees: the publish has committed), not taken from ``last_published_at``, which
    Wagtail stamps before the publishing transaction commits. Both are returned.
    """
    from datetime import timedelta

    from django.db.models import Max
    from django.utils import timezone
    from wagtail.models import Revision

    from cms.content.models import ArticlePage

    ids = [page_id for page_id, _ in articles]
    t0 = timezone.now() + timedelta(seconds=lead)
    Revision.objects.filter(id__in=[rev for _, rev in articles]).update(
        approved_go_live_at=t0
    )
    seen: dict[int, float] = {}
    deadline = time.monotonic() + lead + 120 + len(ids) / 5
    while len(seen) < len(ids) and time.monotonic() < deadline:
        live = ArticlePage.objects.filter(id__in=ids, live=True).values_list(
            "id", flat=True
        )
        now = (timezone.now() - t0).total_seconds()
        for page_id in live:
            seen.setdefault(page_id, now)
        time.sleep(0.02)
    stamped = ArticlePage.objects.filter(id__in=ids, live=True).aggregate(
        m=Max("last_published_at")
    )["m"]
    # Then until the search index has caught up with all of them: the indexing
    # task deletes an article's pending row once its entry is written.
    from search.models import PendingIndexUpdate

    indexed_s = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not PendingIndexUpdate.objects.filter(page_id__in=ids).exists():
            indexed_s = round((timezone.now() - t0).total_seconds(), 3)
            break
        time.sleep(0.2)
    observed = sorted(seen.values())
    return {
        "n": len(ids),
        "published": len(seen),
        "poll_interval_s": 0.02,
        "early": sum(1 for x in observed if x < 0),
        "first_live_s": round(observed[0], 3) if observed else None,
        "half_live_s": round(observed[len(observed) // 2], 3) if observed else None,
        "all_live_s": round(observed[-1], 3) if len(seen) == len(ids) else None,
        "last_published_at_minus_t_s": round((stamped - t0).total_seconds(), 3)
        if stamped
        else None,
        "all_indexed_s": indexed_s,
        "observed_s": [round(x, 3) for x in observed],
    }


def pipeline(
    spread_n: int, spread_s: float, burst_n: int, fresh_n: int, hooks_n: int
) -> dict[str, Any]:
    """Scheduling, search freshness and webhook latency with real workers and beat.

    * schedule lateness: ``spread_n`` publishes spread over ``spread_s`` seconds
      (bench/schedule_lateness.py ``run``, which seeds its drafts and starts its own
      workers + beat; lateness from ``last_published_at``);
    * then one worker set (:func:`pipeline_workers`) for: publish → findable by
      ``q`` (bench/search_freshness.py ``measure``, ``fresh_n`` publishes); publish
      → webhook delivered to loopback receivers (bench/webhook_latency.py
      ``measure``, ``hooks_n`` publishes × 3 receivers); last, ``burst_n`` drafts
      seeded by schedule_lateness ``seed``, all due at the same second, polled
      until all are live and then until all are indexed (:func:`burst_observed`).

    Every page it adds is deleted at the end, so that the next run's delivery
    figures see the seeded articles only.
    """
    from django.db.models import Max
    from django.test.utils import override_settings
    from wagtail.models import Page, Site

    from bench import schedule_lateness, search_freshness, webhook_latency
    from cms.content.models import ArticleIndexPage

    concurrency = 2 * (os.cpu_count() or 1)
    # Time from scheduling to the first due time: schedule_lateness.run() updates
    # one revision at a time after picking T, which takes a few seconds for 300.
    lead = 3.0 if max(spread_n, burst_n) <= 100 else 5.0
    from django.utils import timezone

    first_new = (Page.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    phase_start = timezone.now()
    out: dict[str, Any] = {"concurrency": concurrency, "lead_s": lead}
    try:
        out["spread"] = _guarded(
            f"schedule lateness, {spread_n} over {spread_s:g} s",
            schedule_lateness.run, spread_n, "spread", spread_s, concurrency, lead,
        )  # fmt: skip

        def freshness_and_webhooks() -> dict[str, Any]:
            root = Site.objects.get(is_default_site=True).root_page
            section = root.add_child(
                instance=ArticleIndexPage(
                    title="Bench freshness", slug=f"bench-fresh-{time.time_ns()}"
                )
            )
            result: dict[str, Any] = {}
            with pipeline_workers(concurrency):
                # The spread's index updates and events may still be queued.
                result["idle_wait_s"] = wait_for_idle_workers(180, phase_start)
                print(f"pipeline: {fresh_n} publish → findable", file=sys.stderr)
                raw = search_freshness.measure(section, fresh_n)
                found = [v for v in raw["publish_to_found"] if v is not None]
                result["search"] = {
                    **search_freshness.summary(found),
                    "timed_out": len(raw["publish_to_found"]) - len(found),
                    "unpublish_to_gone": search_freshness.summary(
                        [v for v in raw["unpublish_to_gone"] if v is not None]
                    ),
                }
                print(f"pipeline: {hooks_n} publish → webhook", file=sys.stderr)
                hooks = webhook_latency.measure(section, hooks_n, receivers=3)
                lat = hooks.pop("latencies_s")
                result["webhooks"] = {
                    **hooks,
                    "receivers": 3,
                    "p50_s": round(webhook_latency.percentile(lat, 50), 3)
                    if lat
                    else None,
                    "p99_s": round(webhook_latency.percentile(lat, 99), 3)
                    if lat
                    else None,
                    "max_s": round(max(lat), 3) if lat else None,
                }
                # Last, so that its backlog on the workers does not delay the two
                # figures above (they are steady-state latencies).
                print(f"pipeline: {burst_n} due at once", file=sys.stderr, flush=True)
                burst_started = time.perf_counter()
                result["burst"] = burst_observed(burst, lead)
                result["burst"]["wall_s"] = round(
                    time.perf_counter() - burst_started, 1
                )
            return result

        seed_started = time.perf_counter()
        burst = schedule_lateness.seed(burst_n)
        out["burst_seed_s"] = round(time.perf_counter() - seed_started, 1)
        out["workers"] = _guarded(
            f"{burst_n} due at once, publish → findable, publish → webhook",
            freshness_and_webhooks,
        )
        out["burst"] = out["workers"].pop(
            "burst", {"error": out["workers"].get("error")}
        )
        out["freshness"] = out.pop("workers")
    finally:
        started = time.perf_counter()
        immediate = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        with override_settings(TASKS=immediate):
            for section in ArticleIndexPage.objects.filter(id__gte=first_new):
                section.delete()
        out["cleanup_s"] = round(time.perf_counter() - started, 1)
    return out


COMMANDS = {
    "targets": lambda args: targets(),
    "queries": lambda args: queries(args),
    "editor-publish": lambda args: editor_publish(
        int(args[0]) if args else 5, args[1] if len(args) > 1 else None
    ),
    "update-index": lambda args: stock_update_index(),
    "reindex": lambda args: our_reindex(),
    "publish-scheduled": lambda args: stock_publish_scheduled(
        int(args[0]) if args else 100
    ),
    "pipeline": lambda args: pipeline(
        int(args[0]), float(args[1]), int(args[2]), int(args[3]), int(args[4])
    ),
}


def main(argv: list[str]) -> int:
    _setup()
    name, args = argv[0], argv[1:]
    try:
        result = COMMANDS[name](args)
    except Exception as exc:  # the harness records a failure, it does not stop
        result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
