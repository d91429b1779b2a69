"""Title suggestions as a reader types: ``suggest(q, limit=10)``.

Public articles whose title has a word starting with the last word of ``q``, newest
first; on PostgreSQL, when fewer than ``limit`` do, titles with a word *like* it
(pg_trgm's ``%>``: word similarity ≥ 0.6, its default, so "magnesim" finds
"Magnesium …") fill up the rest, most similar first. Both lookups use the
trigram GIN index on page titles (search/migrations/0002). Two queries at most;
never raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import QuerySet

from cms.content.visibility import public_articles
from search.text import search_terms

DEFAULT_LIMIT = 10
# Shorter prefixes have too few trigrams for similarity to mean anything.
MIN_FUZZY_CHARS = 4


@dataclass(frozen=True)
class Suggestion:
    id: int
    title: str
    slug: str
    url_path: str


def word_start_pattern(prefix: str) -> str:
    """A regex: some word of the text starts with ``prefix`` (escaped, literal)."""
    return r"(^|\W)" + re.escape(prefix)


def suggest(
    q: str, limit: int = DEFAULT_LIMIT, queryset: QuerySet | None = None
) -> list[Suggestion]:
    words = search_terms(q)
    if not words or limit < 1:
        return []
    prefix = words[-1]
    base = queryset if queryset is not None else public_articles()
    fields = ("pk", "title", "slug", "url_path")
    found = list(
        base.filter(title__iregex=word_start_pattern(prefix))
        .order_by("-first_published_at", "-pk")
        .values_list(*fields)[:limit]
    )
    if (
        len(found) < limit
        and connection.vendor == "postgresql"
        and len(prefix) >= MIN_FUZZY_CHARS
    ):
        seen = [row[0] for row in found]
        found += list(
            base.exclude(pk__in=seen)
            .filter(title__trigram_word_similar=prefix)
            .annotate(_similarity=TrigramWordSimilarity(prefix, "title"))
            .order_by("-_similarity", "-first_published_at", "-pk")
            .values_list(*fields)[: limit - len(found)]
        )
    return [Suggestion(*row) for row in found]
