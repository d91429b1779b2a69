"""Full-text search over public articles: the one entry point the delivery API calls.

Interface (kept small on purpose; the search work may replace the internals):

- ``search_articles(queryset, q) -> SearchResults``: ``queryset`` is already limited
  to public, filtered articles; the result holds the matching ids best first, a score
  per id and facets counted over the whole result set, in a fixed number of queries.
- ``highlight(article, q) -> dict[str, str]``: fragments of an already-loaded
  article with ``<mark>`` around matches and everything else escaped; no queries.

First version: Wagtail's configured search backend (its database backend uses
PostgreSQL full text on PostgreSQL) for matching and ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.html import escape, strip_tags
from wagtail.search.backends import get_search_backend

from cms.content.models import ArticlePage
from cms.content.models.pages import ArticleTag

# More results than anyone pages through; keeps a pathological query bounded.
MAX_RESULTS = 1000
SNIPPET_CHARS = 200
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchResults:
    ids: list[int] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    facets: dict[str, list[dict]] = field(
        default_factory=lambda: {"category": [], "tag": [], "author": []}
    )


def search_terms(q: str) -> list[str]:
    return [w.lower() for w in WORD.findall(q)][:32]


def search_articles(queryset: QuerySet[ArticlePage], q: str) -> SearchResults:
    if not search_terms(q):
        return SearchResults()
    candidates = ArticlePage.objects.filter(pk__in=queryset.values("pk")).only("pk")
    backend = get_search_backend()
    results = backend.search(q, candidates, operator="or").annotate_score("_score")
    ids: list[int] = []
    scores: dict[int, float] = {}
    for article in results[:MAX_RESULTS]:
        if article.pk not in scores:
            ids.append(article.pk)
            scores[article.pk] = round(float(article._score or 0.0), 6)
    return SearchResults(ids=ids, scores=scores, facets=facets_for(ids))


def facets_for(ids: list[int]) -> dict[str, list[dict]]:
    """Category, tag and author counts over ``ids``: three queries."""
    if not ids:
        return {"category": [], "tag": [], "author": []}
    through = ArticlePage.categories.through
    categories = (
        through.objects.filter(articlepage_id__in=ids)
        .values("category__slug", "category__name")
        .annotate(count=Count("id"))
        .order_by("-count", "category__name")
    )
    tags = (
        ArticleTag.objects.filter(content_object_id__in=ids)
        .values("tag__slug", "tag__name")
        .annotate(count=Count("id"))
        .order_by("-count", "tag__name")
    )
    authors = (
        ArticlePage.objects.filter(pk__in=ids, author__isnull=False)
        .values("author__slug", "author__name")
        .annotate(count=Count("id"))
        .order_by("-count", "author__name")
    )
    return {
        "category": [
            {
                "slug": r["category__slug"],
                "name": r["category__name"],
                "count": r["count"],
            }
            for r in categories
        ],
        "tag": [
            {"slug": r["tag__slug"], "name": r["tag__name"], "count": r["count"]}
            for r in tags
        ],
        "author": [
            {"slug": r["author__slug"], "name": r["author__name"], "count": r["count"]}
            for r in authors
        ],
    }


def mark(text: str, terms: list[str]) -> str:
    """Escape ``text`` and wrap words starting with any term in ``<mark>``."""
    if not terms:
        return escape(text)
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE
    )
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _body_text(article: ArticlePage) -> str:
    parts: list[str] = []
    for block in article.body.raw_data:
        value = block.get("value")
        if isinstance(value, str):
            parts.append(strip_tags(value))
        elif isinstance(value, dict):
            parts.extend(
                str(value.get(key) or "") for key in ("text", "caption", "attribution")
            )
    return " ".join(p for p in parts if p)


def _window(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    positions = [lowered.find(t) for t in terms if lowered.find(t) >= 0]
    if not positions:
        return ""
    start = max(0, min(positions) - SNIPPET_CHARS // 4)
    # Start and end on word boundaries so that no match is cut in half.
    if start:
        start = text.find(" ", start) + 1 or start
    fragment = text[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + fragment.rsplit(" ", 1)[0] + "…"


def highlight(article: ArticlePage, q: str) -> dict[str, str]:
    terms = search_terms(q)
    out: dict[str, str] = {}
    title = mark(article.title, terms)
    if "<mark>" in title:
        out["title"] = title
    snippet = _window(article.intro, terms) and article.intro
    if not snippet:
        snippet = _window(_body_text(article), terms) or article.intro
    out["snippet"] = mark(snippet, terms)
    return out
