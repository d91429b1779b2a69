"""The public view of an article or release carried by events (CONTRACT section 4).

Only what is public after the event: the live (or last live) version's title and
dates, never a draft's title or text. ``None`` where the article has never been live.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wagtail.models import Page, PageLogEntry


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def article_data(
    page: Page, revision_id: int | None = None, previous_url: str | None = None
) -> dict[str, Any]:
    """``{"id", "slug", "url", "title", "revision_id", "published_at", ...,
    "previous_url"}``: ``previous_url`` is the public path before the event where it
    changed (publishing/changes.py knows it)."""
    ever_live = page.first_published_at is not None
    if ever_live and revision_id is None:
        revision_id = page.live_revision_id or _last_live_revision_id(page.id)
    url = None
    if ever_live:
        parts = page.get_url_parts()
        url = parts[2] if parts else None
    return {
        "id": page.id,
        "slug": page.slug if ever_live else None,
        "url": url,
        # For a page that has been live, the page row holds the live (or last live)
        # content; a draft's title lives only in its revision.
        "title": page.title if ever_live else None,
        "revision_id": revision_id if ever_live else None,
        "published_at": iso(page.first_published_at),
        "last_published_at": iso(page.last_published_at),
        "previous_url": previous_url,
    }


def _last_live_revision_id(page_id: int) -> int | None:
    return (
        PageLogEntry.objects.filter(
            page_id=page_id,
            action__in=["wagtail.publish", "wagtail.publish.scheduled"],
        )
        .order_by("-timestamp", "-id")
        .values_list("revision_id", flat=True)
        .first()
    )


def schedule_data(
    page: Page, publish_at: datetime | None, unpublish_at: datetime | None
) -> dict[str, Any]:
    return {
        **article_data(page),
        "publish_at": iso(publish_at),
        "unpublish_at": iso(unpublish_at),
    }
