"""Keyset (cursor) paging for article lists.

A cursor is signed (so the server only accepts its own), bound to a hash of the query
it was issued for, and holds the sort key of the row it continues from — so page 500
costs what page 1 costs and a newly published article never shifts a reader's place.
With ``q`` and relevance order the ranking is computed whole for each request (it is
needed for the facets anyway) and the cursor holds the id of the article it continues
from (its anchor), plus its position as a fallback for an anchor that has since left
the results. A document's rank depends on that document alone, so an article
published meanwhile never moves the anchor: nothing appears twice or vanishes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from cms.api_contract import ApiError

SALT = "cms.content.cursor"
# ordering name -> (sort field, descending)
ORDERINGS: dict[str, tuple[str, bool]] = {
    "-published_at": ("sort_published", True),
    "published_at": ("sort_published", False),
    "-updated_at": ("sort_updated", True),
    "updated_at": ("sort_updated", False),
    "title": ("title", False),
    "-title": ("title", True),
}
TIME_SORT_FIELDS = {"sort_published", "sort_updated"}


@dataclass(frozen=True)
class Cursor:
    direction: str  # "after" or "before"
    key: tuple[Any, int] | None = None  # (sort value, pk) for keyset paging
    position: int | None = None  # offset in a relevance ranking
    anchor: int | None = None  # in a relevance ranking: the id it continues from


def query_fingerprint(params: dict[str, list[str]]) -> str:
    """A short hash of what a cursor is valid for: every parameter but paging."""
    canonical = "&".join(
        f"{name}={','.join(sorted(values))}"
        for name, values in sorted(params.items())
        if name not in ("cursor", "limit")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode_cursor(cursor: Cursor, fingerprint: str) -> str:
    payload: dict[str, Any] = {"d": cursor.direction, "h": fingerprint}
    if cursor.key is not None:
        value, pk = cursor.key
        payload["k"] = [
            value.isoformat() if isinstance(value, datetime) else value,
            pk,
        ]
    if cursor.position is not None:
        payload["p"] = cursor.position
    if cursor.anchor is not None:
        payload["a"] = cursor.anchor
    return signing.dumps(payload, salt=SALT, compress=True)


def decode_cursor(token: str, fingerprint: str, ordering: str | None) -> Cursor:
    def bad(message: str) -> ApiError:
        return ApiError("invalid_cursor", message, field="cursor")

    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise bad("cursor was not issued by this server.") from exc
    if not isinstance(payload, dict) or payload.get("h") != fingerprint:
        raise bad("cursor was issued for another query.")
    direction = payload.get("d")
    if direction not in ("after", "before"):
        raise bad("cursor is malformed.")
    if "p" in payload:
        position = payload["p"]
        anchor = payload.get("a")
        if not isinstance(position, int) or position < 0:
            raise bad("cursor is malformed.")
        if not isinstance(anchor, int):
            raise bad("cursor is malformed.")
        return Cursor(direction, position=position, anchor=anchor)
    key = payload.get("k")
    if not (isinstance(key, list) and len(key) == 2 and isinstance(key[1], int)):
        raise bad("cursor is malformed.")
    value = key[0]
    if ORDERINGS.get(ordering or "-published_at", ("",))[0] in TIME_SORT_FIELDS:
        try:
            value = datetime.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise bad("cursor is malformed.") from exc
    elif not isinstance(value, str):
        raise bad("cursor is malformed.")
    return Cursor(direction, key=(value, key[1]))


def with_sort_keys(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        sort_published=Coalesce(
            F("first_published_at"), F("latest_revision_created_at")
        ),
        sort_updated=Coalesce(
            F("last_published_at"),
            F("first_published_at"),
            F("latest_revision_created_at"),
        ),
    )


@dataclass
class Page:
    items: list
    next: Cursor | None
    previous: Cursor | None


def keyset_slice(
    queryset: QuerySet, ordering: str, limit: int, cursor: Cursor | None
) -> QuerySet:
    """The rows of one page (and one more, to know if there is a next) in reading
    order: the query :func:`keyset_page` runs."""
    field, descending = ORDERINGS[ordering]
    backwards = cursor is not None and cursor.direction == "before"
    # Walking backwards reads the order reversed, then flips the page.
    read_descending = descending != backwards
    if cursor is not None and cursor.key is not None:
        value, pk = cursor.key
        op = "lt" if read_descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk})
        )
    prefix = "-" if read_descending else ""
    return queryset.order_by(f"{prefix}{field}", f"{prefix}pk")[: limit + 1]


def keyset_result(
    rows: list,
    limit: int,
    cursor: Cursor | None,
    key: Callable[[Any], tuple[Any, int]],
) -> Page:
    """The page from the rows :func:`keyset_slice` read; ``key`` gives a row's
    (sort value, id)."""
    backwards = cursor is not None and cursor.direction == "before"
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    if not rows:
        return Page(rows, None, None)
    if backwards:
        previous = Cursor("before", key=key(rows[0])) if more else None
        following = Cursor("after", key=key(rows[-1]))
    else:
        following = Cursor("after", key=key(rows[-1])) if more else None
        previous = Cursor("before", key=key(rows[0])) if cursor is not None else None
    return Page(rows, following, previous)


def keyset_page(
    queryset: QuerySet, ordering: str, limit: int, cursor: Cursor | None
) -> Page:
    """One page of ``queryset`` (annotated by :func:`with_sort_keys`): one query."""
    field = ORDERINGS[ordering][0]
    rows = list(keyset_slice(queryset, ordering, limit, cursor))
    return keyset_result(rows, limit, cursor, lambda row: (getattr(row, field), row.pk))


def ranked_page(ids: list[int], limit: int, cursor: Cursor | None) -> tuple:
    """A page of a relevance ranking: (ids, next cursor, previous cursor).

    The page starts right after (or ends right before) the cursor's anchor where
    it is still ranked, else at the cursor's position.
    """
    if cursor is None:
        start = 0
    else:
        where = ids.index(cursor.anchor) if cursor.anchor in ids else None
        if cursor.direction == "after":
            start = where + 1 if where is not None else cursor.position or 0
        else:
            end = where if where is not None else cursor.position or 0
            start = max(0, end - limit)
    page = ids[start : start + limit]
    end = start + len(page)
    following = (
        Cursor("after", position=end, anchor=page[-1])
        if page and end < len(ids)
        else None
    )
    previous = (
        Cursor("before", position=start, anchor=page[0]) if page and start > 0 else None
    )
    return page, following, previous
