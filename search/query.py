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

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, QuerySet
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
    if uses_postgres_index():
        ranked = _postgres_ranked(queryset, terms)
    else:
        candidates = ArticlePage.objects.filter(pk__in=queryset.values("pk"))
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


def _tsquery(terms: list[str]) -> tuple[str, list]:
    """``plainto_tsquery`` of each term, OR-ed: SQL and parameters."""
    sql = " || ".join(["plainto_tsquery(%s::regconfig, %s)"] * len(terms))
    params: list = []
    for term in terms:
        params += [TEXT_SEARCH_CONFIG, term]
    return f"({sql})", params


def _postgres_ranked(queryset: QuerySet, terms: list[str]) -> list[tuple]:
    """Ranked ``(pk, score)`` of ``queryset``'s articles matching any of ``terms``.

    One statement, shaped so that PostgreSQL uses the GIN indexes on the index
    table's ``title`` and ``body`` vectors and reads as few body vectors as it can:

    1. ``hits``: entries with a term in the title or in the body (a bitmap OR of
       the two GIN indexes; ``title || body`` builds a new vector per row, which no
       index serves), intersected with ``queryset`` (a hash semi-join on the ids);
    2. ``tiered``: the tier of each hit, +2 with every term (another bitmap: the
       AND of per-term ORs, no vector read), +1 with a term in the title;
    3. ``cut``: the tier of the ``MAX_RESULTS``-th hit. Hits below it cannot be in
       the result, so only the others are ranked with ``ts_rank``.

    Order and scores are exactly those of ranking every hit.
    """
    # modelsearch's index table, whichever app defines it (wagtail.search here).
    index_entry = ArticlePage._meta.get_field("index_entries").related_model
    entries = connection.ops.quote_name(index_entry._meta.db_table)
    any_q, any_params = _tsquery(terms)
    visible = queryset.order_by().values("pk")
    visible_sql, visible_params = visible.query.sql_with_params()
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    if len(terms) > 1:
        every_sql, every_params = [], []
        for term in terms:
            one, one_params = _tsquery([term])
            every_sql.append(f"(e.title @@ {one} OR e.body @@ {one})")
            every_params += one_params * 2
        every_cte = (
            f", every AS MATERIALIZED (SELECT e.id FROM {entries} e"
            f" WHERE e.content_type_id = %s AND {' AND '.join(every_sql)})"
        )
        every_params = [content_type, *every_params]
        every_join = "LEFT JOIN every v ON v.id = h.id"
        every_bonus = "CASE WHEN v.id IS NULL THEN 0.0 ELSE %s END"
    else:  # one term: every hit has every term
        every_cte, every_params, every_join, every_bonus = "", [], "", "%s"
    sql = f"""
        WITH hits AS MATERIALIZED (
            SELECT e.id, e.object_id, e.title @@ {any_q} AS in_title
            FROM {entries} e
            WHERE e.content_type_id = %s
              AND (e.title @@ {any_q} OR e.body @@ {any_q})
              AND e.object_id IN (SELECT (v.pk)::varchar FROM ({visible_sql}) v)
        ){every_cte},
        tiered AS MATERIALIZED (
            SELECT h.id, h.object_id::integer AS pk,
                   {every_bonus} + CASE WHEN h.in_title THEN %s ELSE 0.0 END AS tier
            FROM hits h {every_join}
        ),
        cut AS (
            SELECT COALESCE(
                (SELECT tier FROM tiered ORDER BY tier DESC OFFSET %s LIMIT 1), 0.0
            ) AS tier
        )
        SELECT t.pk,
               t.tier + ts_rank(e.title, {any_q}, 32) * 0.5
                      + ts_rank(e.body, {any_q}, 32) * 0.5 AS score
        FROM tiered t JOIN {entries} e ON e.id = t.id, cut
        WHERE t.tier >= cut.tier
        ORDER BY score DESC, t.pk DESC
        LIMIT %s
    """  # noqa: S608 (identifiers are ours; every value is a parameter)
    params = [
        *any_params,
        content_type,
        *any_params,
        *any_params,
        *visible_params,
        *every_params,
        ALL_TERMS_BONUS,
        TITLE_BONUS,
        MAX_RESULTS - 1,
        *any_params,
        *any_params,
        MAX_RESULTS,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
