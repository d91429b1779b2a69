"""Full-text search over public articles: the one entry point the delivery API calls.

Interface (cms/content/api.py relies on it):

- ``search_articles(queryset, q) -> SearchResults``: ``queryset`` is already limited
  to public, filtered articles; the result holds the matching ids best first, a score
  per id and facets counted over the whole result set, in a fixed number of queries
  (one search query, three facet queries), whatever the number of results.
- ``highlight(article, q) -> dict[str, str]``: fragments of an already-loaded
  article with ``<mark>`` around matches and everything else escaped; no queries.
- ``search_terms(q)``: the words of ``q`` (capped; never raises).

Matching and ranking on PostgreSQL read modelsearch's index table directly (the
title vector, and the body vector of intro, body blocks, author, categories, tags,
all with the English configuration), so that the ranking rules are explicit:

1. articles with every term rank above those with only some;
2. then a term in the title ranks above terms only in the body;
3. then PostgreSQL's ``ts_rank`` (title and body, weighted) orders the rest.

Results are always intersected with ``queryset`` (the public queryset, filtered), so
nothing non-public leaks whatever the index holds. Other databases (SQLite in the
embedded run) and OpenSearch / Elasticsearch use the configured backend's own
``search()`` with the same intersection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    CombinedSearchVector,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Count, F, FloatField, QuerySet, Value, When
from django.utils.html import escape
from wagtail.search.backends import get_search_backend

from cms.content.models import ArticlePage
from cms.content.models.pages import ArticleTag
from search.text import (
    MAX_QUERY_CHARS,
    body_text,
    clean_query,
    content_terms,
    search_terms,
    stem,
)

__all__ = ["SearchResults", "highlight", "search_articles", "search_terms"]

# More results than anyone pages through; keeps a pathological query bounded.
MAX_RESULTS = 1000
SNIPPET_CHARS = 200
# Highlighting reads at most this much of a body: bounded CPU per result.
MAX_HIGHLIGHT_SOURCE = 20_000
TEXT_SEARCH_CONFIG = "english"
# Score tiers (see the module docstring); ts_rank with normalisation 32 is < 1.
ALL_TERMS_BONUS = 2.0
TITLE_BONUS = 1.0


@dataclass
class SearchResults:
    ids: list[int] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    facets: dict[str, list[dict]] = field(
        default_factory=lambda: {"category": [], "tag": [], "author": []}
    )


def search_articles(queryset: QuerySet[ArticlePage], q: str) -> SearchResults:
    terms = content_terms(q)
    if not terms:
        return SearchResults()
    candidates = ArticlePage.objects.filter(pk__in=queryset.values("pk"))
    if uses_postgres_index():
        ranked = _postgres_ranked(candidates, terms)
    else:
        ranked = _backend_ranked(candidates, " ".join(terms))
    ids: list[int] = []
    scores: dict[int, float] = {}
    for pk, score in ranked:
        if pk not in scores:
            ids.append(pk)
            scores[pk] = round(float(score or 0.0), 6)
    return SearchResults(ids=ids, scores=scores, facets=facets_for(ids))


def uses_postgres_index() -> bool:
    backend = get_search_backend()
    return (
        connection.vendor == "postgresql"
        and type(backend).__name__ == "PostgresSearchBackend"
    )


def _postgres_ranked(candidates: QuerySet, terms: list[str]) -> list[tuple]:
    # plainto_tsquery per term: operators in user input are only text to it.
    per_term = [
        SearchQuery(t, search_type="plain", config=TEXT_SEARCH_CONFIG) for t in terms
    ]
    any_term = reduce(or_, per_term)
    every_term = reduce(and_, per_term)
    title, body = F("index_entries__title"), F("index_entries__body")
    score = (
        Case(
            When(_doc=every_term, then=Value(ALL_TERMS_BONUS)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        + Case(
            When(index_entries__title=any_term, then=Value(TITLE_BONUS)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        + SearchRank(title, any_term, normalization=Value(32)) * Value(0.5)
        + SearchRank(body, any_term, normalization=Value(32)) * Value(0.5)
    )
    return list(
        candidates.alias(_doc=_concat(title, body))
        .filter(_doc=any_term)
        .annotate(_score=score)
        .order_by("-_score", "-pk")
        .values_list("pk", "_score")[:MAX_RESULTS]
    )


def _concat(left, right):
    return CombinedSearchVector(
        left, "||", right, config=None, output_field=SearchVectorField()
    )


def _backend_ranked(candidates: QuerySet, text: str) -> list[tuple]:
    backend = get_search_backend()
    results = backend.search(text, candidates.only("pk"), operator="or").annotate_score(
        "_score"
    )
    return [(a.pk, a._score) for a in results[:MAX_RESULTS]]


def facets_for(ids: list[int]) -> dict[str, list[dict]]:
    """Category, tag and author counts over ``ids``: three queries."""
    if not ids:
        return {"category": [], "tag": [], "author": []}
    through = ArticlePage.categories.through
    categories = (
        through.objects.filter(articlepage_id__in=ids)
        .values("category__slug", "category__name")
        .annotate(count=Count("articlepage_id", distinct=True))
        .order_by("-count", "category__name")
    )
    tags = (
        ArticleTag.objects.filter(content_object_id__in=ids)
        .values("tag__slug", "tag__name")
        .annotate(count=Count("content_object_id", distinct=True))
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


# --- Highlighting: plain Python over loaded fields, escaped, bounded ---------------

_WORD = re.compile(r"\w+", re.UNICODE)


def _matcher(q: str):
    terms = content_terms(q)
    stems = {stem(t) for t in terms}
    words = set(terms)

    def matches(word: str) -> bool:
        lowered = word.lower()
        return lowered in words or stem(lowered) in stems

    return matches if terms else None


def mark(text: str, matches) -> str:
    """Escape ``text``, wrapping each word that ``matches`` in ``<mark>``."""
    if matches is None:
        return escape(text)
    out, last = [], 0
    for word in _WORD.finditer(text):
        if matches(word.group(0)):
            out.append(escape(text[last : word.start()]))
            out.append(f"<mark>{escape(word.group(0))}</mark>")
            last = word.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _first_match(text: str, matches) -> int | None:
    for word in _WORD.finditer(text):
        if matches(word.group(0)):
            return word.start()
    return None


def _window(text: str, start_at: int) -> str:
    """About SNIPPET_CHARS of ``text`` around ``start_at``, cut at word boundaries."""
    start = max(0, start_at - SNIPPET_CHARS // 4)
    if start:
        space = text.find(" ", start, start_at)
        start = space + 1 if space >= 0 else start_at
    end = start + SNIPPET_CHARS
    fragment = text[start:end]
    if end < len(text):
        fragment = fragment.rsplit(" ", 1)[0] + "…"
    return ("…" if start else "") + fragment


def highlight(article: ArticlePage, q: str) -> dict[str, str]:
    """``{"title": …, "snippet": …}``: matched fragments, ``<mark>``-ed and escaped.

    ``title`` is present only when the title matches; ``snippet`` is the first
    matching passage of the intro or body (the intro when neither matches).
    """
    matches = _matcher(clean_query(q)[:MAX_QUERY_CHARS])
    out: dict[str, str] = {}
    if matches is not None and _first_match(article.title, matches) is not None:
        out["title"] = mark(article.title, matches)
    intro = article.intro or ""
    snippet = intro
    if matches is not None and _first_match(intro, matches) is None:
        text = body_text(article.body.raw_data)[:MAX_HIGHLIGHT_SOURCE]
        position = _first_match(text, matches)
        if position is not None:
            snippet = _window(text, position)
    out["snippet"] = mark(snippet, matches)
    return out
