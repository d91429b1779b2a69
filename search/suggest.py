"""Title suggestions as a reader types: ``suggest(q, limit=10)``.

Public articles whose title has a word starting with the last word of ``q``, newest
first; on PostgreSQL, when fewer than ``limit`` do, titles with a word *like* it
fill up the rest, most similar first (pg_trgm's word similarity ≥ 0.6, its default,
so "magnesim" finds "Magnesium …"). Never raises on odd input.

On PostgreSQL the similar words are looked up in :class:`~search.models.TitleWord`,
the lexicon of title words (a few thousand rows with a trigram index), not by
comparing the typed word with every title (which reads every title). Two
statements: the ids of the public articles (planned on their own: planned inside
the lookup, with a title filter estimated at one row, the visibility anti-join was
re-run per candidate) and the similar lexicon words, then one lookup of the
titles with a word starting with the prefix or with a similar word (through the
trigram index on titles, search/migrations/0002), joined with those ids.
Elsewhere (SQLite), a prefix lookup through the ORM. With OpenSearch as the
``default`` backend, the same two kinds of match run there
(search/opensearch_query.py), and on the database while it does not answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import QuerySet
from wagtail.models import Page

from cms.content.visibility import public_articles
from search import availability, opensearch_query
from search.availability import SearchUnavailable
from search.opensearch_backend import engine_backend
from search.text import search_terms

DEFAULT_LIMIT = 10
# Shorter prefixes have too few trigrams for similarity to mean anything.
MIN_FUZZY_CHARS = 4
# Similar lexicon words looked up per suggest (most similar first).
MAX_SIMILAR_WORDS = 20
# Title words shorter than this are not worth a typo-tolerant match.
MIN_WORD_CHARS = MIN_FUZZY_CHARS
MAX_WORD_CHARS = 64
TITLE_WORD_TABLE = "cms_search_titleword"


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
    engine = engine_backend()
    if engine is not None:
        try:
            return _engine_suggest(engine, base, prefix, limit)
        except SearchUnavailable as error:
            availability.note_fallback(error)  # the database answers meanwhile
    if default_connection.vendor == "postgresql":
        return _postgres_suggest(base, prefix, limit)
    fields = ("pk", "title", "slug", "url_path")
    rows = (
        base.filter(title__iregex=word_start_pattern(prefix))
        .order_by("-first_published_at", "-pk")
        .values_list(*fields)[:limit]
    )
    return [Suggestion(*row) for row in rows]


def _engine_suggest(
    engine, base: QuerySet, prefix: str, limit: int
) -> list[Suggestion]:
    ids = opensearch_query.suggest_ids(
        engine,
        base,
        prefix,
        word_start_pattern(prefix),
        limit,
        fuzzy=len(prefix) >= MIN_FUZZY_CHARS,
    )
    rows = {
        row[0]: row
        for row in base.filter(pk__in=ids).values_list(
            "pk", "title", "slug", "url_path"
        )
    }
    return [Suggestion(*rows[i]) for i in ids if i in rows]


def _postgres_suggest(base: QuerySet, prefix: str, limit: int) -> list[Suggestion]:
    visible_sql, visible_params = base.order_by().values("pk").query.sql_with_params()
    page = Page._meta.db_table
    fuzzy = len(prefix) >= MIN_FUZZY_CHARS
    sql = f"""
        WITH visible AS MATERIALIZED ({visible_sql}),
        similar_words AS MATERIALIZED (
            SELECT w.word FROM {TITLE_WORD_TABLE} w
            WHERE %s AND %s <%% w.word AND NOT starts_with(w.word, %s)
            ORDER BY word_similarity(%s, w.word) DESC, w.word
            LIMIT %s
        ),
        prefix_candidates AS MATERIALIZED (
            SELECT p.id, p.title, p.slug, p.url_path, p.first_published_at
            FROM {page} p WHERE p.title ~* %s
        ),
        alike_candidates AS MATERIALIZED (
            SELECT p.id, p.title, p.slug, p.url_path, p.first_published_at
            FROM {page} p
            WHERE EXISTS (SELECT 1 FROM similar_words) AND p.title ~* (
                SELECT '(^|\\W)(' || string_agg(word, '|') || ')' FROM similar_words
            )
        ),
        prefixed AS (
            SELECT c.*, 0 AS kind, 0.0::real AS similarity
            FROM prefix_candidates c JOIN visible v ON v.pk = c.id
            ORDER BY c.first_published_at DESC NULLS LAST, c.id DESC
            LIMIT %s
        ),
        alike AS (
            SELECT c.*, 1 AS kind, word_similarity(%s, c.title) AS similarity
            FROM alike_candidates c JOIN visible v ON v.pk = c.id
            ORDER BY similarity DESC, c.first_published_at DESC NULLS LAST, c.id DESC
            LIMIT %s
        )
        SELECT id, title, slug, url_path, kind FROM (
            SELECT * FROM prefixed UNION ALL SELECT * FROM alike
        ) found
        ORDER BY kind, similarity DESC, first_published_at DESC NULLS LAST, id DESC
    """  # noqa: S608 (identifiers are ours; every value is a parameter)
    params = [
        *visible_params,
        fuzzy,
        prefix,
        prefix,
        prefix,
        MAX_SIMILAR_WORDS,
        word_start_pattern(prefix),
        limit,
        prefix,
        limit * 2,
    ]
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: list[Suggestion] = []
    seen: set[int] = set()
    # Prefix matches first (already newest first), then the similar ones.
    for pk, title, slug, url_path, _kind in rows:
        if pk in seen:
            continue
        seen.add(pk)
        found.append(Suggestion(pk, title, slug, url_path))
        if len(found) >= limit:
            break
    return found


def refresh_title_words(page_ids=None, connection=None) -> None:
    """Add the words of these articles' titles (of every article when ``None``)
    to the lexicon; a full refresh also drops the words no title has any more.
    PostgreSQL only (elsewhere suggest does not use the lexicon)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    words = f"""
        SELECT DISTINCT left(lower(w), {MAX_WORD_CHARS})
        FROM wagtailcore_page p
        JOIN django_content_type ct ON ct.id = p.content_type_id
        CROSS JOIN LATERAL regexp_split_to_table(p.title, '\\W+') AS w
        WHERE ct.app_label = 'content' AND ct.model = 'articlepage'
          AND length(w) >= {MIN_WORD_CHARS} {{only}}
    """
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if page_ids is None:  # one transaction: readers never see it empty
            cursor.execute(f"DELETE FROM {TITLE_WORD_TABLE}")
            cursor.execute(
                f"INSERT INTO {TITLE_WORD_TABLE} (word) {words.format(only='')}"
                " ON CONFLICT DO NOTHING"
            )
            return
        ids = sorted({int(i) for i in page_ids})
        if ids:
            cursor.execute(
                f"INSERT INTO {TITLE_WORD_TABLE} (word)"
                f" {words.format(only='AND p.id = ANY(%s)')} ON CONFLICT DO NOTHING",
                [ids],
            )
