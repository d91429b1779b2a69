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
        "category": category.slug if category else None,
        "tag": tag.slug if tag else None,
        "articles": ArticlePage.objects.live().count(),
    }


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


def editor_publish(count: int) -> dict[str, Any]:
    """The admin's "publish" POST, timed, for ``count`` articles (median)."""
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
    timings: list[float] = []
    statuses: list[int] = []
    for page in pages:
        edit_url = f"/admin/pages/{page.pk}/edit/"
        html = client.get(edit_url, HTTP_HOST=HOST).content.decode()
        data = querydict_from_html(html, form_id="page-edit-form")
        # The StreamField editor is drawn client-side: post its fields as it would.
        data.update(nested_form_data({"body": _body_form_data(page)}))
        data["action-publish"] = "action-publish"
        started = time.perf_counter()
        response = client.post(edit_url, data, HTTP_HOST=HOST)
        timings.append(time.perf_counter() - started)
        before = page.live_revision_id
        page.refresh_from_db(fields=["live_revision"])
        # A redirect with a new live revision is a publish; anything else is not.
        published = response.status_code == 302 and page.live_revision_id != before
        statuses.append(response.status_code if published else -response.status_code)
    from django.conf import settings

    return {
        "median_s": statistics.median(timings) if timings else None,
        "timings_s": timings,
        "statuses": statuses,
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
    articles = ArticlePage.objects.count()
    started = time.perf_counter()
    call_command("reindex", stdout=StringIO(), stderr=StringIO())
    seconds = time.perf_counter() - started
    return {"articles": articles, "seconds": seconds, "docs_per_s": articles / seconds}


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


COMMANDS = {
    "targets": lambda args: targets(),
    "queries": lambda args: queries(args),
    "editor-publish": lambda args: editor_publish(int(args[0]) if args else 5),
    "update-index": lambda args: stock_update_index(),
    "reindex": lambda args: our_reindex(),
    "publish-scheduled": lambda args: stock_publish_scheduled(
        int(args[0]) if args else 100
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
