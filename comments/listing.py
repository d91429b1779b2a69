"""The approved comments of a public article, oldest first, by key (cursor)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import F

from cms.api_contract import ApiError
from cms.content.models import ArticlePage
from cms.content.visibility import public_articles
from comments.models import Comment
from comments.submission import comments_open
from delivery.pagination import (
    Cursor,
    decode_cursor,
    encode_cursor,
    keyset_page,
    query_fingerprint,
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Keyset paging walks (created_at, id) ascending: delivery.pagination's
# "published_at" ordering over the ``sort_published`` annotation.
ORDERING = "published_at"


def public_article(slug: str) -> ArticlePage:
    article = (
        public_articles()
        .filter(slug=slug)
        .only("pk", "slug", "url_path", "first_published_at")
        .order_by("path")
        .first()
    )
    if article is None:
        raise ApiError("not_found", "No such article.", status=404)
    return article


def fingerprint(article: ArticlePage) -> str:
    return query_fingerprint({"comments-of": [str(article.pk)]})


def approved_page(
    article: ArticlePage, limit: int, cursor_token: str | None
) -> tuple[list[dict], Cursor | None, Cursor | None, int]:
    cursor = None
    if cursor_token is not None:
        cursor = decode_cursor(cursor_token, fingerprint(article), ORDERING)
    approved = Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
    page = keyset_page(
        approved.annotate(sort_published=F("created_at"))
        .select_related("parent")
        .only("pk", "author_name", "body", "created_at", "parent_id", "parent__status"),
        ORDERING,
        limit,
        cursor,
    )
    results = [
        {
            "id": c.pk,
            # A reply whose parent was taken down shows as top-level.
            "parent_id": c.parent_id
            if c.parent_id and c.parent.status == Comment.Status.APPROVED
            else None,
            "author_name": c.author_name,
            "body": c.body,
            "created_at": c.created_at,
        }
        for c in page.items
    ]
    count = approved.count() if (page.next or cursor) else len(results)
    return results, page.next, page.previous, count


def list_data(path: str, slug: str, limit: int, cursor: str | None, query: list):
    """The list response's data; ``query`` is the request's parameters but the
    cursor, kept in the ``next`` and ``previous`` links."""
    article = public_article(slug)
    results, following, previous, count = approved_page(article, limit, cursor)

    def link(at: Cursor | None) -> str | None:
        if at is None:
            return None
        params = [*query, ("cursor", encode_cursor(at, fingerprint(article)))]
        return f"{path}?{urlencode(params)}"

    return {
        "count": count,
        "next": link(following),
        "previous": link(previous),
        "results": results,
        "comments_open": comments_open(article),
    }
