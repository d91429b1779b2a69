"""Matching, ranking and suggest on OpenSearch, with the rules of the database path.

search/query.py and search/suggest.py call these when OpenSearch is the ``default``
backend; highlights and facets stay in Python and SQL over the ids found here, so
they are the same on both backends by construction.

Ranking: the same three rules as on PostgreSQL (search/query.py), in one ``_msearch``
of up to four searches, one per tier, each restricted to the candidate articles
(an ``ids`` filter: results never leave the public, filtered queryset):

1. every term (+``all_terms_bonus``) — each term matched in some field;
2. a term in the title (+``title_bonus``);
3. within a tier, OpenSearch's BM25 over modelsearch's boosted fields (title ×10,
   intro ×3, …), squashed to [0, 1) so that it never crosses a tier.

Each tier is its own search, sorted by score, so the cut at ``limit`` takes the best
of the highest tiers exactly, with no score arithmetic across tiers in float32.

The candidates travel as an ``ids`` filter only while there are at most
:data:`IDS_FILTER_MAX` of them. Beyond that (at 100,000 public articles the list is
~800 KB per search, and reading it from the database costs as much again) each
search runs over the whole index and its hits are checked against the queryset in
one SQL query, a page at a time (:func:`_hits_in_scope`): the same hits in the same
order, since a filter does not change scores. A queryset that keeps few of the hits
(a narrow filter over a large site) goes back to the ``ids`` filter after
:data:`POST_FILTER_PAGES` pages.

Suggest: titles with a word starting with the typed prefix (the title's edge
n-grams, the prefix folded as they are; each hit checked against the same
word-start pattern as on PostgreSQL and SQLite, so "elan" still does not find
"Élan" there, as it does not on the database), newest
first, then, for prefixes of 4+ characters, titles with a word within OpenSearch's
``AUTO`` edit distance of it (1 edit up to 5 characters, 2 beyond), most similar
first. PostgreSQL measures "similar" by trigrams (word similarity ≥ 0.6); the two
agree on ordinary typos, not on every pair of words (docs/search.md).
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from modelsearch.query import PlainText

from cms.content.models import ArticlePage
from search.backends import PREFIX_ANALYZER
from search.opensearch_backend import SEARCH_TIMEOUT_S, SearchBackend, engine_call

# The edge n-grams of modelsearch's autocomplete field stop at 15 characters.
MAX_GRAM = 15
# Above this many candidates, search the whole index and keep the hits in the
# queryset instead of sending every candidate's id (docs/search.md, "At scale").
IDS_FILTER_MAX = 10_000
# Pages of hits checked against the queryset before going back to the ids filter.
POST_FILTER_PAGES = 3


def _content_type(backend: SearchBackend) -> dict:
    compiler = backend.query_compiler_class(ArticlePage.objects.all(), PlainText(""))
    return compiler.get_content_type_filter()


def _with_filters(body: dict, filters: list[dict]) -> dict:
    query = body["query"]["bool"]
    return {**body, "query": {"bool": {**query, "filter": query["filter"] + filters}}}


def _hits_in_scope(
    backend: SearchBackend,
    queryset: QuerySet,
    bodies: list[dict],
    wanted: int | None = None,
) -> list[list[dict]]:
    """Each search's hits among ``queryset``'s articles, best first, up to its
    ``size``: one ``_msearch`` with the ids filter while there are few candidates,
    else over the whole index with the hits checked in SQL. ``wanted``: once this
    many hits are kept over the searches so far, the rest are not paged further."""
    index = backend.get_index_for_model(ArticlePage).name
    articles = queryset.order_by().values_list("pk", flat=True)
    articles_only = [_content_type(backend)]
    bodies = [_with_filters(b, articles_only) for b in bodies]
    ids = list(articles[: IDS_FILTER_MAX + 1])
    if not ids:
        return [[] for _ in bodies]
    if len(ids) > IDS_FILTER_MAX:
        found = _post_filtered(backend, index, articles, bodies, wanted)
        if found is not None:
            return found
        ids = list(articles)
    scope = [{"ids": {"values": [str(i) for i in ids]}}]
    return _msearch(backend, index, [_with_filters(b, scope) for b in bodies])


def _post_filtered(
    backend: SearchBackend,
    index: str,
    articles: QuerySet,
    bodies: list[dict],
    wanted: int | None,
) -> list[list[dict]] | None:
    """:func:`_hits_in_scope` without the ids filter; None when the queryset keeps
    too few of the hits for that to pay."""

    def in_queryset(pages: list[list[dict]]) -> set[int]:
        hit_ids = {int(hit["_id"]) for hits in pages for hit in hits}
        return set(articles.filter(pk__in=hit_ids)) if hit_ids else set()

    first = _msearch(backend, index, bodies)
    kept_ids = in_queryset(first)
    found: list[list[dict]] = []
    total = 0
    for body, hits in zip(bodies, first, strict=True):
        size = body["size"]
        kept: list[dict] = []
        offset = 0
        while True:
            kept += [hit for hit in hits if int(hit["_id"]) in kept_ids]
            done = wanted is not None and total + len(kept) >= wanted
            if len(kept) >= size or len(hits) < size or done:
                break
            offset += size
            if offset >= size * POST_FILTER_PAGES:
                return None
            hits = _msearch(backend, index, [{**body, "from": offset}])[0]
            kept_ids |= in_queryset([hits])
        found.append(kept[:size])
        total += len(found[-1])
    return found


def _term_query(backend: SearchBackend, term: str) -> dict:
    """modelsearch's query for one term over every searchable field, with boosts."""
    compiler = backend.query_compiler_class(
        ArticlePage.objects.all(), PlainText(term, operator="or")
    )
    return compiler.get_inner_query()


def _msearch(backend: SearchBackend, index: str, bodies: list[dict]) -> list[list]:
    lines: list[dict] = []
    for body in bodies:
        lines += [{"index": index}, body]
    response = engine_call(
        backend.es.msearch, body=lines, request_timeout=SEARCH_TIMEOUT_S
    )
    hits = []
    for answer in response["responses"]:
        if "error" in answer:
            from opensearchpy.exceptions import TransportError

            engine_call(_raise, TransportError(answer.get("status"), answer["error"]))
        hits.append(answer["hits"]["hits"])
    return hits


def _raise(error: Exception) -> None:
    raise error


def ranked(
    backend: SearchBackend,
    queryset: QuerySet,
    terms: list[str],
    limit: int,
    all_terms_bonus: float,
    title_bonus: float,
) -> list[tuple[int, float]]:
    """``(pk, score)`` of ``queryset``'s articles matching any term, best first."""
    if not terms:
        return []
    per_term = [_term_query(backend, t) for t in terms]
    some = {"bool": {"should": per_term, "minimum_should_match": 1}}
    every = {"bool": {"must": per_term}}
    title = {"match": {"title": {"query": " ".join(terms)}}}

    def tier(filters: list[dict], excluded: list[dict]) -> dict:
        return {
            "query": {"bool": {"must": some, "filter": filters, "must_not": excluded}},
            "size": limit,
            "_source": False,
            "track_total_hits": False,
            "sort": [{"_score": "desc"}, {"id_filter": "desc"}],
        }

    tiers = [
        (all_terms_bonus + title_bonus, tier([every, title], [])),
        (all_terms_bonus, tier([every], [title])),
    ]
    if len(terms) > 1:  # with one term, "some" is "every"
        tiers += [
            (title_bonus, tier([title], [every])),
            (0.0, tier([], [every, title])),
        ]
    answers = _hits_in_scope(backend, queryset, [b for _t, b in tiers], limit)
    found: list[tuple[int, float]] = []
    for (bonus, _body), hits in zip(tiers, answers, strict=True):
        for hit in hits:
            score = float(hit["_score"] or 0.0)
            found.append((int(hit["_id"]), bonus + score / (score + 1.0)))
            if len(found) >= limit:
                return found
    return found


def suggest_ids(
    backend: SearchBackend,
    queryset: QuerySet,
    prefix: str,
    pattern: str,
    limit: int,
    fuzzy: bool,
) -> list[int]:
    """Ids of ``queryset``'s articles to suggest for ``prefix``, in order."""
    starts = {
        "match": {
            "title_edgengrams": {
                "query": prefix[:MAX_GRAM],
                "analyzer": PREFIX_ANALYZER,
            }
        }
    }
    bodies = [
        {
            "query": {"bool": {"must": starts, "filter": []}},
            # Hits the word-start check drops (a prefix longer than the grams)
            # must not leave the list short.
            "size": limit * 3,
            "_source": ["title"],
            "track_total_hits": False,
            "sort": [{"first_published_at_filter": "desc"}, {"id_filter": "desc"}],
        }
    ]
    if fuzzy:
        alike = {"match": {"title": {"query": prefix, "fuzziness": "AUTO"}}}
        bodies.append(
            {
                "query": {"bool": {"must": alike, "filter": [], "must_not": [starts]}},
                "size": limit,
                "_source": False,
                "track_total_hits": False,
                "sort": [
                    {"_score": "desc"},
                    {"first_published_at_filter": "desc"},
                    {"id_filter": "desc"},
                ],
            }
        )
    answers = _hits_in_scope(backend, queryset, bodies)
    word_start = re.compile(pattern, re.IGNORECASE)
    chosen: list[int] = []
    for hit in answers[0]:
        if word_start.search((hit.get("_source") or {}).get("title") or ""):
            chosen.append(int(hit["_id"]))
    for hits in answers[1:]:
        chosen += [int(hit["_id"]) for hit in hits]
    seen: set[int] = set()
    ordered = [i for i in chosen if not (i in seen or seen.add(i))]
    return ordered[:limit]
