"""The delivery API router (CONTRACT.md section 1): thin doors onto the functions in
visibility, serializers, pagination, cache and search.query.

Parameters are declared for the OpenAPI document, but each handler first checks the
raw query string (``check_query``): unknown names, repeats of single-valued ones and
NUL bytes are refused before anything else. Responses are rendered through the
declared schemas and served through the shared cache with an ETag.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.http import HttpRequest, QueryDict
from ninja import Field, Query, Router, Schema
from ninja.responses import NinjaJSONEncoder

from cms.api_contract import ApiError, ErrorOut, check_query, parse_aware_datetime
from cms.content.models import ArticleIndexPage, ArticlePage, Author, Category
from cms.content.models.pages import ArticleTag
from cms.content.preview import preview_dates, read_preview_token
from cms.content.visibility import public_articles, under_parent_with
from cms.digits import ascii_digits
from delivery import prepared, ratelimit, read_model, serializers
from delivery.cache import (
    CachedResponse,
    build_response,
    cached_response,
    etag_for,
)
from delivery.pagination import (
    ORDERINGS,
    TIME_SORT_FIELDS,
    Cursor,
    decode_cursor,
    encode_cursor,
    keyset_page,
    keyset_result,
    keyset_slice,
    query_fingerprint,
    ranked_page,
    with_sort_keys,
)
from delivery.related import related_articles
from delivery.schemas import (
    ArticleDetail,
    ArticleList,
    AuthorList,
    AuthorOut,
    CategoryList,
    PreviewDetail,
    SuggestList,
    TagList,
    render,
)
from search import query as search_query
from search import suggest as search_suggest

router = Router(tags=["delivery"])
# Each route names its OpenAPI operationId: ninja's default is the handler's module
# and name, and generated clients name their methods after it, so it must not change
# when the module moves.

LIST_PARAMS = {
    "category",
    "tag",
    "author",
    "section",
    "updated_after",
    "published_after",
    "published_before",
    "q",
    "ordering",
    "limit",
    "cursor",
}
REPEATABLE = {"category", "tag", "author", "section"}
# Values per repeatable filter: a bound on the compiled queries' shapes too.
MAX_FILTER_VALUES = 20
MAX_Q = 256
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SUGGEST_LIMIT = 10
ERRORS = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}

Ordering = Literal[
    "-published_at", "published_at", "-updated_at", "updated_at", "title", "-title"
]


class ArticleListParams(Schema):
    """Declared for the OpenAPI document; the handler reads the raw query strictly."""

    category: list[str] | None = Field(
        None, description="category slug; repeat for any of (at most 20)"
    )
    tag: list[str] | None = Field(
        None, description="tag slug; repeat for any of (at most 20)"
    )
    author: list[str] | None = Field(
        None, description="author slug; repeat for any of (at most 20)"
    )
    section: list[str] | None = Field(
        None, description="section slug; repeat for any of (at most 20)"
    )
    updated_after: datetime | None = Field(
        None, description="updated_after <= updated_at; ISO 8601 with an offset"
    )
    published_after: datetime | None = Field(
        None, description="published_after <= published_at; with an offset"
    )
    published_before: datetime | None = Field(
        None, description="published_at < published_before; with an offset"
    )
    q: str | None = Field(None, max_length=MAX_Q, description="full-text search")
    ordering: Ordering | None = None
    limit: int | None = Field(None, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, description="from next / previous")


class PreviewParams(Schema):
    token: str = Field(..., min_length=1, max_length=4096)


class SuggestParams(Schema):
    q: str = Field(..., min_length=1, max_length=MAX_Q)


def parse_time(name: str, value: str | None) -> datetime | None:
    return None if value is None else parse_aware_datetime(value, name)


def parse_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if not ascii_digits(value) or not 1 <= int(value) <= MAX_LIMIT:
        raise ApiError(
            "invalid_parameter",
            f"limit must be an integer from 1 to {MAX_LIMIT}",
            field="limit",
        )
    return int(value)


def parse_q(value: str | None, required: bool = False) -> str | None:
    if value is None or not value.strip():
        if required:
            raise ApiError("invalid_parameter", "q is required", field="q")
        return None
    if len(value) > MAX_Q:
        raise ApiError(
            "invalid_parameter", f"q is longer than {MAX_Q} characters", field="q"
        )
    return value.strip()


class CountOf(Subquery):
    """``(SELECT count(*) FROM (<subquery>))``: a row count inside another query."""

    template = "(SELECT count(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def filtered_articles(params: QueryDict):
    """Public articles narrowed by the list's filters (no query runs yet)."""
    queryset = public_articles()
    if categories := params.getlist("category"):
        queryset = queryset.filter(
            Exists(
                ArticlePage.categories.through.objects.filter(
                    articlepage_id=OuterRef("pk"), category__slug__in=categories
                )
            )
        )
    if tags := params.getlist("tag"):
        queryset = queryset.filter(
            Exists(
                ArticleTag.objects.filter(
                    content_object_id=OuterRef("pk"), tag__slug__in=tags
                )
            )
        )
    if authors := params.getlist("author"):
        queryset = queryset.filter(author__slug__in=authors)
    if sections := params.getlist("section"):
        queryset = queryset.filter(
            under_parent_with(ArticleIndexPage.objects.filter(slug__in=sections))
        )
    queryset = with_sort_keys(queryset)
    after = parse_time("published_after", params.get("published_after"))
    before = parse_time("published_before", params.get("published_before"))
    updated = parse_time("updated_after", params.get("updated_after"))
    if after:
        queryset = queryset.filter(sort_published__gte=after)
    if before:
        queryset = queryset.filter(sort_published__lt=before)
    if updated:
        queryset = queryset.filter(sort_updated__gte=updated)
    return queryset


TIME_SLOTS = {
    "published_after": "after",
    "published_before": "before",
    "updated_after": "updated",
}


def check_filter_counts(params: QueryDict) -> None:
    for name in sorted(REPEATABLE):
        if len(params.getlist(name)) > MAX_FILTER_VALUES:
            raise ApiError(
                "invalid_parameter",
                f"{name} may be given at most {MAX_FILTER_VALUES} times.",
                field=name,
            )


def stored_list_page(
    params: QueryDict, ordering: str, limit: int, cursor: Cursor | None
) -> tuple[list[str], Cursor | None, Cursor | None, int] | None:
    """A keyset page of stored summaries (delivery/read_model.py) in one query
    compiled once per shape of request (delivery/prepared.py): (summaries,
    next, previous, total). None where a row has no current document, the page
    is empty, or the database is not PostgreSQL (SQLite's driver returns times as
    text): the caller then renders the rows."""
    if connection.vendor != "postgresql":
        return None
    after = parse_time("published_after", params.get("published_after"))
    before = parse_time("published_before", params.get("published_before"))
    updated = parse_time("updated_after", params.get("updated_after"))
    field = ORDERINGS[ordering][0]
    direction = cursor.direction if cursor is not None else None
    counts = {name: len(params.getlist(name)) for name in sorted(REPEATABLE)}
    slots: dict[str, type] = {"format": str}
    for name, n in counts.items():
        slots.update((f"{name}{i}", str) for i in range(n))
    if after is not None:
        slots["after"] = datetime
    if before is not None:
        slots["before"] = datetime
    if updated is not None:
        slots["updated"] = datetime
    if direction is not None:
        slots["cursor_value"] = datetime if field in TIME_SORT_FIELDS else str
        slots["cursor_pk"] = int

    def build(values: dict) -> tuple[str, list]:
        shaped = QueryDict(mutable=True)
        for name, n in counts.items():
            for i in range(n):
                shaped.appendlist(name, values[f"{name}{i}"])
        for name, slot in TIME_SLOTS.items():
            if slot in values:
                shaped[name] = values[slot].isoformat()
        queryset = filtered_articles(shaped)
        queryset = queryset.annotate(
            total_count=CountOf(queryset.order_by().values("pk")),
            stored_summary=read_model.stored_summary(values["format"]),
        ).values_list("pk", field, "stored_summary", "total_count")
        shaped_cursor = (
            Cursor(direction, key=(values["cursor_value"], values["cursor_pk"]))
            if direction is not None
            else None
        )
        sliced = keyset_slice(queryset, ordering, limit, shaped_cursor)
        return sliced.query.sql_with_params()

    key = ("list", ordering, limit, direction, *counts.values(), *slots)
    values = {"format": read_model.document_format()}
    for name in counts:
        values.update(
            (f"{name}{i}", value) for i, value in enumerate(params.getlist(name))
        )
    values.update(after=after, before=before, updated=updated)
    if cursor is not None:
        values["cursor_value"], values["cursor_pk"] = cursor.key
    rows = prepared.prepare(key, build, slots).fetchall(values)
    if not rows or any(row[2] is None for row in rows):
        return None
    page = keyset_result(rows, limit, cursor, lambda row: (row[1], row[0]))
    return [row[2] for row in page.items], page.next, page.previous, rows[0][3]


def stored_list_data(
    request: HttpRequest,
    fingerprint: str,
    summaries: list[str],
    following: Cursor | None,
    previous: Cursor | None,
    count: int,
) -> dict:
    """The list's data with stored summaries, spliced in by :func:`render_list`."""
    return {
        "count": count,
        "next": page_link(request, following, fingerprint),
        "previous": page_link(request, previous, fingerprint),
        "results": [],
        "facets": None,
        "stored_results": summaries,
    }


def page_link(request: HttpRequest, cursor, fingerprint: str) -> str | None:
    if cursor is None:
        return None
    params = [
        (name, value)
        for name in request.GET
        if name != "cursor"
        for value in request.GET.getlist(name)
    ]
    params.append(("cursor", encode_cursor(cursor, fingerprint)))
    return f"{request.path}?{urlencode(params)}"


RESULTS_TAIL = b'"results": []}'


def render_list(request: HttpRequest) -> bytes:
    data = list_articles_data(request)
    stored = data.pop("stored_results", None)
    data = ArticleList.model_validate(data).model_dump(mode="json")
    # Search-only fields appear only with q.
    if data["facets"] is None:
        del data["facets"]
    for result in data["results"]:
        if result.get("search") is None:
            result.pop("search", None)
    body = json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False).encode()
    if stored is None:
        return body
    # Stored summaries (rendered through the same schema) spliced into the
    # envelope, whose last key is the empty results list.
    results = ", ".join(stored).encode()
    return body[: -len(RESULTS_TAIL)] + b'"results": [' + results + b"]}"


def list_articles_data(request: HttpRequest) -> dict:
    params = request.GET
    ordering = params.get("ordering")
    if ordering is not None and ordering not in ORDERINGS:
        raise ApiError(
            "invalid_parameter",
            f"ordering must be one of {', '.join(ORDERINGS)}",
            field="ordering",
        )
    limit = parse_limit(params.get("limit"))
    check_filter_counts(params)
    q = parse_q(params.get("q"))
    fingerprint = query_fingerprint({n: params.getlist(n) for n in params})
    cursor = None
    if params.get("cursor") is not None:
        relevance = q is not None and ordering is None
        cursor = decode_cursor(params["cursor"], fingerprint, ordering)
        if (cursor.position is not None) != relevance:
            raise ApiError(
                "invalid_cursor", "cursor was issued for another query.", "cursor"
            )
    if q is None and (
        stored := stored_list_page(params, ordering or "-published_at", limit, cursor)
    ):
        return stored_list_data(request, fingerprint, *stored)
    queryset = filtered_articles(params)
    facets = None
    hits = None
    if q is not None:
        hits = search_query.search_articles(queryset, q)
        facets = hits.facets
        queryset = queryset.filter(pk__in=hits.ids)
    if q is not None and ordering is None:
        count = len(hits.ids)
        ids, following, previous = ranked_page(hits.ids, limit, cursor)
        by_id = {
            a.pk: a
            for a in serializers.summary_queryset(
                ArticlePage.objects.filter(pk__in=ids), with_body=True
            )
        }
        rows = [by_id[i] for i in ids if i in by_id]
    else:
        # The total rides on the page's query (an uncorrelated subquery, computed
        # once); only an empty page needs a query of its own for it.
        page = keyset_page(
            serializers.summary_queryset(queryset, with_body=hits is not None).annotate(
                total_count=CountOf(queryset.order_by().values("pk")),
                stored_summary=read_model.stored_summary(),
            ),
            ordering or "-published_at",
            limit,
            cursor,
        )
        rows, following, previous = page.items, page.next, page.previous
        count = rows[0].total_count if rows else queryset.count()
        # Every row's stored summary current (delivery/read_model.py): served
        # as stored, without rendering the rows.
        stored = [row.stored_summary for row in rows]
        if hits is None and None not in stored:
            return stored_list_data(
                request, fingerprint, stored, following, previous, count
            )
    results = serializers.summaries(rows)
    if hits is not None:
        for row, result in zip(rows, results, strict=True):
            result["search"] = {
                "score": hits.scores.get(row.pk, 0.0),
                "highlight": search_query.highlight(row, q),
            }
    return {
        "count": count,
        "next": page_link(request, following, fingerprint),
        "previous": page_link(request, previous, fingerprint),
        "results": results,
        "facets": facets,
    }


@router.get(
    "articles/",
    response={200: ArticleList, **ERRORS},
    summary="List public articles",
    operation_id="listArticles",
)
def list_articles(request: HttpRequest, params: Query[ArticleListParams]):
    check_query(request, LIST_PARAMS, REPEATABLE)
    return cached_response(request, lambda: (render_list(request), None))


def article_detail_data(slug: str) -> tuple[dict, float | None]:
    article = (
        public_articles()
        .filter(slug=slug)
        .select_related("author")
        .order_by("path")
        .first()
    )
    if article is None:
        raise ApiError("not_found", "No such article.", status=404)
    related = related_articles(article)
    serializers.load_terms([article, *related])
    data = serializers.detail(article, related)
    modified = article.last_published_at or article.first_published_at
    return data, modified.timestamp() if modified else None


def render_preview(article: ArticlePage, dates: tuple[datetime, datetime]) -> bytes:
    """A draft (a revision as an object, or the admin's unsaved form) in the
    preview shape, dated ``(published_at, updated_at)``: the API's preview and the
    reading view's (delivery/reading.py) alike."""
    related = related_articles(article, draft=True)
    serializers.load_terms(related)
    data = serializers.detail(article, related)
    data["id"] = article.pk or 0  # a page the editor has not saved yet has none
    data["published_at"], data["updated_at"] = dates
    data["preview"] = True
    return render(PreviewDetail, data)


@router.get(
    "preview/",
    response={200: PreviewDetail, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    summary="The draft an editor is previewing (signed token)",
    operation_id="getPreview",
)
def preview(request: HttpRequest, params: Query[PreviewParams]):
    check_query(request, {"token"})
    grant = read_preview_token(request.GET["token"])
    # Per editor the token was minted for, whatever the address.
    reader = f"user:{grant.user_id}"
    limited = ratelimit.limit("preview", reader, settings.PREVIEW_RATE_LIMIT)
    if limited is not None:
        return limited
    revision = grant.revision()
    article = revision.as_object()
    if not isinstance(article, ArticlePage):
        raise ApiError(
            "invalid_token", "The preview token is not for an article.", status=401
        )
    body = render_preview(article, preview_dates(article, revision))
    # Never in a shared cache: no store at all, whatever sits in front of us.
    return build_response(request, CachedResponse(body, etag_for(body)), public=False)


@router.get(
    "articles/{slug}/",
    response={200: ArticleDetail, **ERRORS},
    summary="One public article in full",
    operation_id="getArticle",
)
def get_article(request: HttpRequest, slug: str):
    check_query(request, ())

    return cached_response(request, lambda: render_detail(slug))


def render_detail(slug: str) -> tuple[bytes, float | None]:
    """The public article's detail JSON and Last-Modified: from its stored
    document, else rendered from the pages; 404 if it is not public. The API and
    the reading view (delivery/reading.py) serve this same document."""
    try:
        stored = read_model.detail_document(slug)
    except read_model.NotPublic:
        raise ApiError("not_found", "No such article.", status=404) from None
    if stored is not None:
        return stored
    data, modified = article_detail_data(slug)
    return render(ArticleDetail, data), modified


@router.get(
    "categories/",
    response={200: CategoryList, **ERRORS},
    operation_id="listCategories",
)
def list_categories(request: HttpRequest):
    check_query(request, ())

    def render_categories():
        public = public_articles().values("pk")
        categories = Category.objects.annotate(
            article_count=Count(
                "articles", filter=Q(articles__in=public), distinct=True
            )
        ).order_by("name")
        results = [
            {
                "slug": c.slug,
                "name": c.name,
                "description": c.description,
                "article_count": c.article_count,
            }
            for c in categories
        ]
        return render(CategoryList, {"results": results}), None

    return cached_response(request, render_categories)


@router.get(
    "authors/",
    response={200: AuthorList, **ERRORS},
    operation_id="listAuthors",
)
def list_authors(request: HttpRequest):
    check_query(request, ())

    def render_authors():
        authors = list(Author.objects.order_by("name"))
        return render(AuthorList, {"results": serializers.authors_out(authors)}), None

    return cached_response(request, render_authors)


@router.get(
    "authors/{slug}/",
    response={200: AuthorOut, **ERRORS},
    operation_id="getAuthor",
)
def get_author(request: HttpRequest, slug: str):
    check_query(request, ())

    def render_author():
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            raise ApiError("not_found", "No such author.", status=404)
        return render(AuthorOut, serializers.authors_out([author])[0]), None

    return cached_response(request, render_author)


@router.get("tags/", response={200: TagList, **ERRORS}, operation_id="listTags")
def list_tags(request: HttpRequest):
    check_query(request, ())

    def render_tags():
        rows = (
            ArticleTag.objects.filter(content_object__in=public_articles().values("pk"))
            .values("tag__slug", "tag__name")
            .annotate(count=Count("content_object", distinct=True))
            .order_by("tag__name")
        )
        results = [
            {"slug": r["tag__slug"], "name": r["tag__name"], "count": r["count"]}
            for r in rows
        ]
        return render(TagList, {"results": results}), None

    return cached_response(request, render_tags)


def suggest_data(q: str) -> dict:
    # Prefix match on title words, typo-tolerant on PostgreSQL (search/suggest.py).
    return {
        "results": [
            {
                "id": s.id,
                "title": s.title,
                "slug": s.slug,
                "url": serializers.article_url(s),
            }
            for s in search_suggest.suggest(q, limit=SUGGEST_LIMIT)
        ]
    }


@router.get(
    "search/suggest/",
    response={200: SuggestList, **ERRORS},
    operation_id="suggestArticles",
)
def suggest(request: HttpRequest, params: Query[SuggestParams]):
    check_query(request, {"q"})
    text = parse_q(request.GET.get("q"), required=True)
    return cached_response(
        request, lambda: (render(SuggestList, suggest_data(text)), None)
    )
