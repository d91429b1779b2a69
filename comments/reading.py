"""The reader comments below an article in the CMS's reading view
(delivery/reading.py draws what is registered here): the approved comments,
threaded, and the form, which posts to the API as a front end would.

The page is cached with the rest of the reading view and retired by every
approval (comments/events.py), so a comment appears as soon as it is approved.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime

from comments.models import Comment
from comments.submission import HONEYPOT, MAX_BODY, MAX_NAME, comments_open_for

# Shown in full below the article; more are in the API (a front end pages them).
SHOWN = 200


def thread(comments: list[Comment]) -> list[tuple[Comment, int]]:
    """(comment, depth) in reading order: each reply under its parent, oldest
    first; a reply whose parent is not shown stands at the top level."""
    shown = {c.pk for c in comments}
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in shown else None
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[Comment, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for child in children.get(parent, []):
            ordered.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return ordered


def article_comments(request: HttpRequest, document: dict) -> str:
    article_id = document["id"]
    comments = list(
        Comment.objects.filter(article_id=article_id, status=Comment.Status.APPROVED)
        .only("pk", "parent_id", "author_name", "body", "created_at")
        .order_by("created_at", "pk")[:SHOWN]
    )
    return render_to_string(
        "comments/reading.html",
        {
            "comments": thread(comments),
            "count": document.get("comment_count", len(comments)),
            "open": comments_open_for(
                article_id, parse_datetime(document.get("published_at") or "")
            ),
            "api_url": f"/api/v1/articles/{document['slug']}/comments/",
            "honeypot": HONEYPOT,
            "max_name": MAX_NAME,
            "max_body": MAX_BODY,
        },
        request,
    )
