"""Sync for static builds (CONTRACT.md section 5), after Contentful's sync API.

``GET /api/v1/sync/`` (no ``since``) lists every public article as an ``upsert``;
``GET /api/v1/sync/?since=<token>`` lists the change log's lines after the token
(publishing/changes.py: written in the transaction of each change, in commit
order), deletions included. Pages hold at most :data:`PAGE_SIZE` changes; ``next``
is the URL of the following page, ``since`` the token to keep for next time (after
the last page, or to resume mid-way).

A token is signed (``django.core.signing``) and holds the last log id it covers,
when it was issued, and, during the first listing, the last article id listed. The
first listing is not one snapshot: an article published meanwhile is either listed
or logged after the starting id (and so in a later page), one unpublished meanwhile
is logged too, so applying every page in order ends with the public articles.
A token older than ``SYNC_RETENTION_DAYS`` (the log is pruned past it) is a 410.

Served through the response cache like the rest of the API: every change that
logs a line also bumps the content version (delivery/signal_handlers.py).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Max
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cms.api_contract import ApiError, ErrorOut, check_query
from cms.content.visibility import public_articles
from delivery.cache import cached_response
from delivery.richtext import public_url_for_path
from delivery.schemas import SyncPage, render
from publishing.models import ArticleChange

router = Router(tags=["delivery"])
PAGE_SIZE = 1000
SALT = "delivery.sync.token"


class SyncParams(Schema):
    since: str | None = Field(
        None, description="a token from an earlier response's since or next"
    )


def issue_token(change_id: int, after_article: int | None = None) -> str:
    payload = {"c": change_id, "t": int(time.time())}
    if after_article is not None:
        payload["a"] = after_article
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int | None]:
    """(last change id, last article listed or None); 400 or 410."""
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        payload = None
    valid = (
        isinstance(payload, dict)
        and isinstance(payload.get("c"), int)
        and isinstance(payload.get("t"), int)
        and isinstance(payload.get("a", 0), int)
    )
    if not valid:
        raise ApiError(
            "invalid_parameter", "since is not a token this server issued", "since"
        )
    if time.time() - payload["t"] > settings.SYNC_RETENTION_DAYS * 86400:
        raise ApiError(
            "sync_token_expired",
            f"since is older than {settings.SYNC_RETENTION_DAYS} days: the changes "
            "it needs are gone; sync from scratch (GET /api/v1/sync/ without since).",
            field="since",
            status=410,
        )
    return payload["c"], payload.get("a")


def _link(request: HttpRequest, token: str) -> str:
    return f"{request.path}?{urlencode({'since': token})}"


def _first_listing(request: HttpRequest, change_id: int | None, after: int) -> dict:
    """A page of every public article as an upsert, by id."""
    # The log's position and the articles read in one snapshot (where this is
    # the transaction's first statement: not inside a test's transaction).
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if change_id is None:
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            change_id = ArticleChange.objects.aggregate(m=Max("id"))["m"] or 0
        rows = list(
            public_articles()
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list(
                "pk", "slug", "url_path", "last_published_at", "first_published_at"
            )[: PAGE_SIZE + 1]
        )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    changes = [
        {
            "id": pk,
            "slug": slug,
            "url": public_url_for_path(url_path) or url_path,
            "change": "upsert",
            "at": published or first,
        }
        for pk, slug, url_path, published, first in rows
    ]
    token = issue_token(change_id, rows[-1][0] if more else None)
    return {
        "changes": changes,
        "next": _link(request, token) if more else None,
        "since": token,
    }


def _changes_since(request: HttpRequest, change_id: int) -> dict:
    rows = list(
        ArticleChange.objects.filter(id__gt=change_id)
        .order_by("id")
        .values_list("id", "article_id", "slug", "url", "change", "at")[: PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    changes = [
        {"id": article, "slug": slug, "url": url, "change": change, "at": at}
        for _, article, slug, url, change, at in rows
    ]
    token = issue_token(rows[-1][0] if rows else change_id)
    return {
        "changes": changes,
        "next": _link(request, token) if more else None,
        "since": token,
    }


@router.get(
    "sync/",
    response={200: SyncPage, 400: ErrorOut, 410: ErrorOut, 429: ErrorOut},
    summary="What changed since a sync token, deletions included",
    operation_id="syncArticles",
)
def sync(request: HttpRequest, params: Query[SyncParams]):
    check_query(request, {"since"})
    since = request.GET.get("since")
    position = read_token(since) if since is not None else None

    def render_page():
        if position is None:
            data = _first_listing(request, None, 0)
        elif position[1] is not None:
            data = _first_listing(request, position[0], position[1])
        else:
            data = _changes_since(request, position[0])
        return render(SyncPage, data), None

    return cached_response(request, render_page)
