"""Full-text search over public articles: the one entry point the delivery API calls.

Interface (delivery/api.py relies on it):

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
nothing non-public leaks whatever the index holds. With OpenSearch as the ``default``
backend the same rules run there (search/opensearch_query.py), and while it does not
answer the database's index, kept up to date beside it, answers instead
(search/availability.py). SQLite (the embedded run) uses modelsearch's ``search()``
with the same intersection.
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
from search import availability, opensearch_query
from search.availability import SearchUnavailable
from search.backends import FALLBACK_BACKEND
from search.opensearch_backend import engine_backend
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
# Hits of the lowest tier that makes the cut, newest first, ranked on their body.
RANK_WINDOW = 2000
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
    ranked = _ranked(queryset, terms)
    ids: list[int] = []
    scores: dict[int, float] = {}
    for pk, score in ranked:
        if pk not in scores:
            ids.append(pk)
            scores[pk] = round(float(score or 0.0), 6)
    return SearchResults(ids=ids, scores=scores, facets=facets_for(ids))


def _ranked(queryset: QuerySet, terms: list[str]) -> list[tuple]:
    engine = engine_backend()
    if engine is not None:
        try:
            return opensearch_query.ranked(
                engine, queryset, terms, MAX_RESULTS, ALL_TERMS_BONUS, TITLE_BONUS
            )
        except SearchUnavailable as error:
            # The database's index, kept beside OpenSearch, answers.
            availability.note_fallback(error)
    if uses_postgres_index():
        return _postgres_ranked(queryset, terms)
    candidates = ArticlePage.objects.filter(pk__in=queryset.values("pk"))
    return _backend_ranked(candidates, " ".join(terms))


def database_search_backend():
    """The database's backend: ``default``, or the fallback beside OpenSearch."""
    if engine_backend() is not None:
        return get_search_backend(FALLBACK_BACKEND)
    return get_search_backend()


def uses_postgres_index() -> bool:
    backend = database_search_backend()
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

    What costs is reading body vectors (each a TOASTed value, so a pass over all
    of them is slow at scale: docs/benchmarks-optimisations.md), so the search
    reads as few as it can:

    1. ``matched``: for each term, the entries with it in the title or the body,
       from a bitmap OR of the GIN indexes on the ``title`` and ``body`` vectors (the
       bitmaps are exact: no vector is read), counted per entry; an entry found for
       every term has every term;
    2. ``tiered``: the matched entries of ``queryset`` (its ids, computed once, in
       a hash join), each with its tier: +2 with every term, +1 with a term in the
       title (from the title GIN index);
    3. ``cut``: the tier of the ``MAX_RESULTS``-th hit. Hits below it cannot be in
       the result. Hits above it are all ranked; of the hits *in* the cut tier, the
       ``RANK_WINDOW`` newest are (when a query matches nearly every article, as a
       common word does, ranking every one would read every body);
    4. the candidates are scored with ``ts_rank`` on their title and body vectors.

    Order and scores are exactly those of ranking every hit whenever the cut tier
    holds at most ``RANK_WINDOW`` hits. PostgreSQL's planner does not count the cost
    of reading a TOASTed vector, so it prefers sequential scans that read every body
    to the GIN bitmaps that read none; the search is planned with sequential scans
    discouraged (set by a first statement, restored by the search itself as it
    starts executing). Two statements in all.
    """
    # modelsearch's index table, whichever app defines it (wagtail.search here).
    index_entry = ArticlePage._meta.get_field("index_entries").related_model
    entries = connection.ops.quote_name(index_entry._meta.db_table)
    any_q, any_params = _tsquery(terms)
    visible = queryset.order_by().values("pk")
    visible_sql, visible_params = visible.query.sql_with_params()
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    # One bitmap scan per term (no vector is read), counted per entry: an entry
    # found by every term's scan has every term. (One scan with the AND of the
    # per-term ORs gets planned as one bitmap and a filter that reads every body.)
    per_term_sql, per_term_params = [], []
    for term in terms:
        one, one_params = _tsquery([term])
        per_term_sql.append(
            f"SELECT e.id, e.object_id FROM {entries} e WHERE e.content_type_id = %s"
            f" AND (e.title @@ {one} OR e.body @@ {one})"
        )
        per_term_params += [content_type, *one_params, *one_params]
    sql = f"""
        WITH visible AS MATERIALIZED ({visible_sql}),
        matched AS MATERIALIZED (
            SELECT id, object_id, count(*) AS terms FROM (
                {" UNION ALL ".join(per_term_sql)}
            ) per_term
            GROUP BY id, object_id
        ),
        titled AS MATERIALIZED (
            SELECT e.id FROM {entries} e
            WHERE e.content_type_id = %s AND e.title @@ {any_q}
        ),
        tiered AS MATERIALIZED (
            SELECT m.id, m.object_id::integer AS pk,
                   CASE WHEN m.terms >= %s THEN %s ELSE 0.0 END
                   + CASE WHEN t.id IS NULL THEN 0.0 ELSE %s END AS tier
            FROM matched m
            JOIN visible v ON v.pk = m.object_id::integer
            LEFT JOIN titled t ON t.id = m.id
        ),
        cut AS MATERIALIZED (
            SELECT COALESCE(
                (SELECT tier FROM tiered ORDER BY tier DESC OFFSET %s LIMIT 1), 0.0
            ) AS tier
        ),
        candidates AS MATERIALIZED (
            SELECT t.id, t.pk, t.tier FROM tiered t, cut WHERE t.tier > cut.tier
            UNION ALL
            (SELECT t.id, t.pk, t.tier FROM tiered t, cut WHERE t.tier = cut.tier
             ORDER BY t.pk DESC LIMIT %s)
        )
        SELECT c.pk,
               c.tier + ts_rank(e.title, {any_q}, 32) * 0.5
                      + ts_rank(e.body, {any_q}, 32) * 0.5 AS score
        FROM candidates c JOIN {entries} e ON e.id = c.id
        ORDER BY score DESC, c.pk DESC
        LIMIT (
            SELECT %s::bigint FROM (
                SELECT set_config('enable_seqscan', %s, false),
                       set_config('jit', %s, false)
            ) restored
        )
    """  # noqa: S608 (identifiers are ours; every value is a parameter)
    params = [
        *visible_params,
        *per_term_params,
        content_type,
        *any_params,
        len(terms),
        ALL_TERMS_BONUS,
        TITLE_BONUS,
        MAX_RESULTS - 1,
        RANK_WINDOW,
        *any_params,
        *any_params,
        MAX_RESULTS,
        None,  # the previous enable_seqscan
        None,  # the previous jit
    ]
    with connection.cursor() as cursor:
        # Planned with the session's settings; discourages sequential scans for the
        # next statement once executed. (Every plan's cost becomes huge, which would
        # also trigger JIT compilation, hundreds of ms for a few-ms query: off too.)
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('jit'),"
            " set_config('enable_seqscan', 'off', false),"
            " set_config('jit', 'off', false)"
        )
        seqscan, jit = cursor.fetchone()[:2]
        params[params.index(None)] = seqscan
        params[params.index(None)] = jit
        try:
            # The search restores both settings as it starts executing (its LIMIT),
            # after its own planning: two statements in all.
            cursor.execute(sql, params)
            return cursor.fetchall()
        except Exception:
            if not connection.needs_rollback and not connection.in_atomic_block:
                cursor.execute(
                    "SELECT set_config('enable_seqscan', %s, false),"
                    " set_config('jit', %s, false)",
                    [seqscan, jit],
                )
            raise  # in a transaction, its rollback restores them


def _backend_ranked(candidates: QuerySet, text: str) -> list[tuple]:
    backend = database_search_backend()
    results = backend.search(text, candidates.only("pk"), operator="or").annotate_score(
        "_score"
    )
    rows = [(a.pk, a._score) for a in results[:MAX_RESULTS]]
    if type(backend).__name__ == "SQLiteSearchBackend":
        # FTS5's bm25 is negative, best first; the contract's score grows with
        # relevance, as PostgreSQL's and OpenSearch's do.
        rows = [(pk, -(score or 0.0)) for pk, score in rows]
    return rows


def facets_for(ids: list[int]) -> dict[str, list[dict]]:
    """Category, tag and author counts over ``ids``: one query.

    Reads only the link tables and the names (never an article's body), joined
    with ``ids`` as an array (a hash join, however many ids).
    """
    facets: dict[str, list[dict]] = {"category": [], "tag": [], "author": []}
    if not ids:
        return facets
    rows = (
        _facet_rows_pg(ids) if connection.vendor == "postgresql" else _facet_rows(ids)
    )
    for kind, slug, name, count in sorted(rows, key=lambda r: (r[0], -r[3], r[2])):
        facets[kind].append({"slug": slug, "name": name, "count": count})
    return facets


def _facet_rows(ids: list[int]) -> list[tuple]:
    """The facet counts with the ORM, for the other databases (SQLite): 3 queries."""
    through = ArticlePage.categories.through
    groups = [
        (
            "category",
            through.objects.filter(articlepage_id__in=ids),
            ("category__slug", "category__name"),
            "articlepage_id",
        ),
        (
            "tag",
            ArticleTag.objects.filter(content_object_id__in=ids),
            ("tag__slug", "tag__name"),
            "content_object_id",
        ),
        (
            "author",
            ArticlePage.objects.filter(pk__in=ids, author__isnull=False),
            ("author__slug", "author__name"),
            "pk",
        ),
    ]
    return [
        (kind, slug, name, count)
        for kind, rows, names, counted in groups
        for slug, name, count in rows.order_by()
        .values_list(*names)
        .annotate(n=Count(counted, distinct=True))
        .values_list(*names, "n")
    ]


def _facet_rows_pg(ids: list[int]) -> list[tuple]:
    qn = connection.ops.quote_name
    through = ArticlePage.categories.through
    category = through._meta.get_field("category").related_model
    tag = ArticleTag._meta.get_field("tag").related_model
    author_field = ArticlePage._meta.get_field("author")
    author = author_field.related_model
    article_col = qn(through._meta.get_field("articlepage").column)
    category_col = qn(through._meta.get_field("category").column)
    tagged_col = qn(ArticleTag._meta.get_field("content_object").column)
    tag_col = qn(ArticleTag._meta.get_field("tag").column)
    pk_col = qn(ArticlePage._meta.pk.column)
    sql = f"""
        WITH chosen AS MATERIALIZED (SELECT DISTINCT pk FROM unnest(%s::integer[]) pk)
        SELECT 'category', c.slug, c.name, count(DISTINCT l.{article_col})
        FROM chosen i JOIN {qn(through._meta.db_table)} l ON l.{article_col} = i.pk
        JOIN {qn(category._meta.db_table)} c ON c.id = l.{category_col}
        GROUP BY c.id, c.slug, c.name
        UNION ALL
        SELECT 'tag', t.slug, t.name, count(DISTINCT l.{tagged_col})
        FROM chosen i JOIN {qn(ArticleTag._meta.db_table)} l ON l.{tagged_col} = i.pk
        JOIN {qn(tag._meta.db_table)} t ON t.id = l.{tag_col}
        GROUP BY t.id, t.slug, t.name
        UNION ALL
        SELECT 'author', a.slug, a.name, count(*)
        FROM chosen i JOIN {qn(ArticlePage._meta.db_table)} p ON p.{pk_col} = i.pk
        JOIN {qn(author._meta.db_table)} a ON a.id = p.{qn(author_field.column)}
        GROUP BY a.id, a.slug, a.name
    """  # noqa: S608 (identifiers are the models' tables; ids are a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids)])
        return cursor.fetchall()


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
