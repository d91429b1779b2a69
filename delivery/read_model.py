"""Stored delivery documents: each live article rendered once, on the workers,
and served from the database in two queries however cold the cache.

Why: an uncached detail rendered from the page takes a query per kind of thing it
shows (ranking, related rows, categories and tags, renditions, sites, link targets)
and most of its time in Django compiling them and in serialising. A document holds
what depends on the article's live revision alone (its summary, and its detail
around the ``related`` list), rendered through the same serializers and schemas as
the live path.

What is never stored, and so is decided on every read:

- **visibility**: every read joins the one public query (cms/content/visibility.py),
  for the article itself, its related posts and its links;
- **related posts**: ranked on each read (the ranking changes with every publish),
  each then served from its own document;
- **links to other pages**: kept as markers (delivery/richtext.py) and resolved
  against the public pages on read: a link to a page that is not public now loses
  its ``<a>``, as in the live path.

A document is served only while it still describes its page (same live revision,
publication times and ``url_path``), under the current :class:`DocumentEpoch` and
:func:`document_format`. Otherwise, or when there is none yet, the API renders
from the pages as before (the fallback is the old path, unchanged), and the worker
renders the document: after each publish and after an epoch bump (the listeners
of delivery/signal_handlers.py enqueue delivery/tasks.py), and from the beat sweep
(:func:`render_stale_documents`), which also heals a lost task.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from wagtail.models import Site

from cms.content.models import ArticleDocument, ArticlePage, DocumentEpoch
from cms.content.renditions import BODY_IMAGE_SPEC, HERO_SPEC
from cms.content.visibility import public_articles, public_pages
from delivery import prepared, related, serializers
from delivery.richtext import (
    marker_targets,
    public_url_for_path,
    remembered_site_roots,
    resolve_marked_links,
)
from delivery.schemas import ArticleDetail, ArticleSummary, render

logger = logging.getLogger(__name__)

# Bump when the rendering changes shape: every stored document is then retired.
FORMAT_VERSION = 2
# Articles rendered per transaction (one query each for terms and images).
RENDER_BATCH = 100
# At most this many per sweep task; a larger backlog re-enqueues the task.
SWEEP_LIMIT = 1000
RELATED_KEY = b'"related": '
EMPTY_RELATED = RELATED_KEY + b"[]"


class NotPublic(Exception):
    """No public article answers to that slug."""


def document_format() -> str:
    """What else shapes a document: the format version and the origins it names."""
    raw = (
        f"{FORMAT_VERSION}|{settings.FRONTEND_BASE_URL}|"
        f"{settings.WAGTAILADMIN_BASE_URL}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


# --- The epoch ----


def _epoch_sql() -> str:
    return (
        f"COALESCE((SELECT value FROM {DocumentEpoch._meta.db_table}"
        " ORDER BY id LIMIT 1), 0)"
    )


def current_epoch() -> int:
    return (
        DocumentEpoch.objects.order_by("pk").values_list("value", flat=True).first()
        or 0
    )


def bump_epoch() -> None:
    """Retire every stored document, in the caller's transaction (the caller has
    them rendered again once it commits: ``delivery.tasks.enqueue_sweep``)."""
    if not DocumentEpoch.objects.filter(pk=1).update(value=F("value") + 1):
        try:
            with transaction.atomic():
                DocumentEpoch.objects.create(pk=1, value=1)
        except IntegrityError:  # created meanwhile: bump that one
            DocumentEpoch.objects.filter(pk=1).update(value=F("value") + 1)


# --- Rendering (workers) ----


def _valid_documents(format: str | None = None) -> QuerySet:
    """Documents that still describe the outer article (``OuterRef``)."""
    return ArticleDocument.objects.filter(
        page_id=OuterRef("pk"),
        revision_id=OuterRef("live_revision_id"),
        first_published_at=OuterRef("first_published_at"),
        last_published_at=OuterRef("last_published_at"),
        url_path=OuterRef("url_path"),
        format=format or document_format(),
        epoch=Coalesce(
            Subquery(DocumentEpoch.objects.order_by("pk").values("value")[:1]), 0
        ),
    )


def stored_summary(format: str | None = None) -> Subquery:
    """An annotation: the outer article's stored summary JSON, or NULL."""
    return Subquery(_valid_documents(format).values("summary")[:1])


def stale_article_ids(limit: int | None = SWEEP_LIMIT) -> list[int]:
    """Live articles whose document is missing or retired, oldest first."""
    ids = (
        ArticlePage.objects.filter(live=True, live_revision__isnull=False)
        .exclude(Exists(_valid_documents()))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(ids if limit is None else ids[:limit])


def _render_one(article: ArticlePage, images: dict, epoch: int, fmt: str):
    pages, documents = serializers.body_link_ids(serializers.raw_blocks(article))
    data = serializers.detail(
        article, [], link_targets=marker_targets(pages, documents), images=images
    )
    body = render(ArticleDetail, data)
    # The related list is the only list after the body; seo follows, with no
    # "related" key in it: the last occurrence is the detail's own.
    cut = body.rindex(EMPTY_RELATED)
    summary_fields = ArticleSummary.model_fields
    return ArticleDocument(
        page_id=article.pk,
        revision_id=article.live_revision_id,
        first_published_at=article.first_published_at,
        last_published_at=article.last_published_at,
        url_path=article.url_path,
        epoch=epoch,
        format=fmt,
        summary=render(
            ArticleSummary, {k: v for k, v in data.items() if k in summary_fields}
        ).decode(),
        detail_head=body[: cut + len(RELATED_KEY)].decode(),
        detail_tail=body[cut + len(EMPTY_RELATED) :].decode(),
        link_page_ids=sorted(pages),
    )


def render_documents(page_ids: Iterable[int]) -> int:
    """Render and store the documents of these articles; drop those of articles
    that are no longer live. Idempotent. Returns how many were rendered."""
    ids = sorted({int(i) for i in page_ids})
    rendered = 0
    for start in range(0, len(ids), RENDER_BATCH):
        rendered += _render_batch(ids[start : start + RENDER_BATCH])
    return rendered


def _render_batch(ids: list[int]) -> int:
    # The epoch is read before any content: a change committed after this read
    # bumps it past the value stored here, so what is rendered from older content
    # is never served.
    epoch = current_epoch()
    fmt = document_format()
    articles = list(
        ArticlePage.objects.filter(pk__in=ids, live=True, live_revision__isnull=False)
        .select_related("author")
        .order_by("pk")
    )
    gone = set(ids) - {a.pk for a in articles}
    with transaction.atomic():
        if gone:
            ArticleDocument.objects.filter(page_id__in=gone).delete()
        if not articles:
            return 0
        serializers.load_terms(articles)
        images = serializers.load_images(
            [i for a in articles for i in serializers.detail_image_ids(a)],
            HERO_SPEC,
            BODY_IMAGE_SPEC,
        )
        with remembered_site_roots():
            documents = [_render_one(a, images, epoch, fmt) for a in articles]
        fields = [
            f.name
            for f in ArticleDocument._meta.concrete_fields
            if not f.primary_key and f.name != "page"
        ]
        ArticleDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=fields,
        )
    return len(documents)


def render_stale_documents(limit: int = SWEEP_LIMIT) -> int:
    """Render up to ``limit`` missing or retired documents; returns how many."""
    return render_documents(stale_article_ids(limit))


# --- Reading (the API) ----


def _public_columns(queryset: QuerySet) -> QuerySet:
    return queryset.values(
        a_id=F("pk"),
        a_revision=F("live_revision_id"),
        a_first=F("first_published_at"),
        a_last=F("last_published_at"),
        a_url_path=F("url_path"),
    )


def _valid_join(document: str, public: str) -> str:
    """SQL: document ``document`` still describes public row ``public``."""
    return (
        f"{document}.page_id = {public}.a_id"
        f" AND {document}.revision_id = {public}.a_revision"
        f" AND {document}.first_published_at = {public}.a_first"
        f" AND {document}.last_published_at = {public}.a_last"
        f" AND {document}.url_path = {public}.a_url_path"
        f" AND {document}.format = %s AND {document}.epoch = {_epoch_sql()}"
    )


def _detail_sql(values: dict) -> tuple[str, list]:
    public_sql, public_params = (
        _public_columns(public_articles().filter(slug=values["slug"]))
        .order_by("path")[:1]
        .query.sql_with_params()
    )
    table = ArticleDocument._meta.db_table
    sql = (
        "SELECT p.a_id, p.a_first, p.a_last, d.detail_head, d.detail_tail,"
        f" d.link_page_ids, {_epoch_sql()} FROM ({public_sql}) AS p"
        f" LEFT JOIN {table} AS d ON {_valid_join('d', 'p')}"
    )
    return sql, [*public_params, values["format"]]


def _related_sql(values: dict) -> tuple[str, list]:
    article = values["article"]
    ranking, ranking_params = related.ranking_sql(
        article,
        related.live_sharing_rows(article),
        values["window"],
        with_picks=True,
        window_last=values["window_last"],
    )
    # On PostgreSQL, LATERAL, keyed on each ranked id: the visibility of the
    # 20-odd ranked articles is checked row by row. As a plain join, its planner
    # may compute (and hash) every public article first, three times slower with
    # many drafts (docs/benchmarks-optimisations.md). SQLite has no LATERAL (and
    # joins row by row anyway).
    public = public_articles().order_by()
    join = "LEFT JOIN ({}) AS p ON p.a_id = ranked.article"
    if connection.vendor == "postgresql":
        public = public.filter(pk=RawSQL("ranked.article", ()))
        join = "LEFT JOIN LATERAL ({}) AS p ON true"
    public_sql, public_params = _public_columns(public).query.sql_with_params()
    table = ArticleDocument._meta.db_table
    sql = (
        f"WITH ranked(kind, first_order, second_order, article) AS ({ranking})"
        " SELECT ranked.kind, ranked.first_order, ranked.second_order,"
        " ranked.article, p.a_id IS NOT NULL, d.summary FROM ranked"
        f" {join.format(public_sql)}"
        f" LEFT JOIN {table} AS d ON {_valid_join('d', 'p')}"
    )
    return sql, [*ranking_params, *public_params, values["format"]]


def detail_document(slug: str) -> tuple[bytes, float | None] | None:
    """The public article's detail JSON from stored documents, with its
    Last-Modified; None where a document it needs is missing or retired (the
    caller renders from the pages). Raises :class:`NotPublic`."""
    rows = _fetch("detail", _detail_sql, DETAIL_SLOTS, {"slug": slug})
    if not rows:
        raise NotPublic(slug)
    pk, first, last, head, tail, link_ids, epoch = rows[0]
    if head is None:
        return None
    summaries = _related_summaries(pk)
    if summaries is None:
        return None
    if isinstance(link_ids, str):
        link_ids = json.loads(link_ids)
    if link_ids:
        head, tail = _resolve_links(head, tail, link_ids, epoch)
    body = f"{head}[{', '.join(summaries)}]{tail}".encode()
    modified = last or first
    return body, modified.timestamp() if modified else None


DETAIL_SLOTS = {"slug": str, "format": str}
RELATED_SLOTS = {"article": int, "window": int, "window_last": int, "format": str}


def _fetch(name: str, build, slots: dict, values: dict) -> list[tuple]:
    # The format is filled in on each run, not compiled in: settings may differ
    # between tests (a deploy restarts the processes anyway).
    values = {**values, "format": document_format()}
    return prepared.prepare((name,), build, slots).fetchall(values)


def _related_summaries(article_pk: int) -> list[str] | None:
    """The stored summaries of the article's related posts, chosen as
    :func:`related.related_articles` chooses them; None if one is missing."""
    window = related.CLOSEST_WINDOW
    while True:
        rows = _fetch(
            "related",
            _related_sql,
            RELATED_SLOTS,
            {"article": article_pk, "window": window, "window_last": window - 1},
        )
        picks, ranked = related.sort_ranking(rows)
        public = {row[3]: row[5] for row in rows if row[4]}
        wanted = list(dict.fromkeys(pk for pk in picks if pk and pk != article_pk))
        chosen = related.choose_related(wanted, ranked, public, window)
        if chosen is not None:
            summaries = [public[pk] for pk in chosen]
            return None if None in summaries else summaries
        window *= 4


def _public_url_paths(page_ids: list[int]) -> list[tuple[int, str]]:
    """(id, url_path) of those pages (of any type) that are public now."""
    ids = sorted({int(i) for i in page_ids})
    slots = {f"page{i}": int for i in range(len(ids))}

    def build(values: dict) -> tuple[str, list]:
        return (
            public_pages()
            .filter(pk__in=[values[name] for name in slots])
            .order_by()
            .values_list("pk", "url_path")
            .query.sql_with_params()
        )

    statement = prepared.prepare(("links", len(ids)), build, slots)
    return statement.fetchall({f"page{i}": pk for i, pk in enumerate(ids)})


# The site roots (public URLs are paths below them), read once per epoch: a site
# saved or a site's root page published bumps it (delivery/signal_handlers.py).
_SITE_ROOTS: dict[str, tuple[int, list]] = {}


def _site_roots(epoch: int) -> list:
    cached = _SITE_ROOTS.get(connection.vendor)
    if cached is None or cached[0] != epoch:
        cached = _SITE_ROOTS[connection.vendor] = (epoch, Site.get_site_root_paths())
    return cached[1]


def _resolve_links(
    head: str, tail: str, link_ids: list[int], epoch: int
) -> tuple[str, str]:
    """Page-link markers in the body resolved against the public pages now."""
    with remembered_site_roots(_site_roots(epoch)):
        urls = {
            pk: url
            for pk, url_path in _public_url_paths(link_ids)
            if (url := public_url_for_path(url_path))
        }
    data = json.loads(head + "[]" + tail)
    for block in data["body"]:
        if block["type"] == "paragraph":
            block["value"] = resolve_marked_links(block["value"], urls)
    text = json.dumps(data, ensure_ascii=False)
    cut = text.rindex(EMPTY_RELATED.decode())
    return text[: cut + len(RELATED_KEY)], text[cut + len(EMPTY_RELATED) :]
