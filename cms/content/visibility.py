"""The one definition of "public": what an anonymous reader may see right now.

Every door of the delivery API (lists, details, related posts, counts, suggest,
search, feed, sitemap) starts from :func:`public_articles` and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from datetime import datetime
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    DateTimeField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from cms.content.models import ArticleIndexPage, ArticlePage

# Pages that may hide themselves and their subtree by their own state. The partial
# index content_page_maybe_hidden (migration content/0003) holds exactly the pages
# this can be true of, so finding a page's hidden ancestors reads a few index
# entries, not the page table (a whole-table scan in every delivery query, before).
MAYBE_HIDDEN = (
    Q(live=False)
    | Q(expired=True)
    | Q(go_live_at__isnull=False)
    | Q(expire_at__isnull=False)
)


def _is_prefix_of_outer(pages: QuerySet) -> QuerySet:
    """``pages`` whose path starts the outer page's path (``substr = path``: no
    LIKE pattern to escape per comparison; the same SQL on PostgreSQL and SQLite)."""
    return pages.alias(
        outer_prefix=Substr(
            ExpressionWrapper(OuterRef("path"), CharField()), 1, Length("path")
        )
    ).filter(outer_prefix=F("path"))


def _ancestors_or_self(pages: QuerySet) -> QuerySet:
    """``pages`` narrowed to the outer page and its ancestors below the root."""
    return _is_prefix_of_outer(pages.filter(depth__gt=1, depth__lte=OuterRef("depth")))


def _may_hide_descendants() -> Q:
    """Pages that can be an ancestor: any page but an article, whose type has no
    subpages (``ArticlePage.subpage_types = []``), or an article that has children
    all the same (made in code: ``numchild`` counts them).

    This is what keeps the check cheap with many drafts: every draft, scheduled or
    expiring article is in ``MAYBE_HIDDEN``, and comparing each public page with
    each of them made uncached lists slow with many drafts (figures:
    docs/benchmarks-optimisations.md; the page's own state is checked on the page
    itself, so leaves never need to be).
    The article type is looked up in the query (an InitPlan, run once), not held
    as an id in Python: SQL compiled once per process never carries a stale one.
    """
    article_type = ContentType.objects.filter(
        app_label=ArticlePage._meta.app_label, model=ArticlePage._meta.model_name
    ).values("pk")[:1]
    return ~Q(content_type_id=Subquery(article_type)) | Q(numchild__gt=0)


def _not_hidden(queryset: QuerySet, now: datetime | Expression) -> QuerySet:
    """Keep the pages of ``queryset`` that, with every ancestor, are public."""
    # The page's own state is the filter below; its ancestors' is this subquery.
    hidden_ancestor = _is_prefix_of_outer(
        Page.objects.filter(MAYBE_HIDDEN)
        .filter(depth__gt=1, depth__lt=OuterRef("depth"))
        .filter(_may_hide_descendants())
    ).filter(
        Q(live=False) | Q(expired=True) | Q(go_live_at__gt=now) | Q(expire_at__lte=now)
    )
    restricted = _ancestors_or_self(
        Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id"))
    )
    return (
        queryset.filter(live=True, expired=False)
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .exclude(Exists(hidden_ancestor))
        .exclude(Exists(restricted))
    )


class CurrentTime(Expression):
    """The application's clock, read each time the SQL is compiled.

    It lets the public querysets be built once per process and reused (building
    them — two correlated subqueries — is a good part of an uncached request's
    Python time), while every query still compares with the time it runs at.
    """

    output_field = DateTimeField()

    def as_sql(self, compiler, connection):
        now = COMPILE_NOW.get() or timezone.now()
        return "%s", [self.output_field.get_db_prep_value(now, connection)]


# Set while SQL is compiled once for reuse (delivery/read_model.py): the clock's
# parameter is then this placeholder, replaced by the time of each execution.
COMPILE_NOW: ContextVar[datetime | None] = ContextVar("compile_now", default=None)


@cache
def _public(model: type[Page]) -> QuerySet:
    return _not_hidden(model.objects.all(), CurrentTime())


def public_articles(now: datetime | None = None) -> QuerySet[ArticlePage]:
    """Articles that are live, in their window, unrestricted, under live ancestors.

    One SQL query whatever the tree: a page is hidden when it, or any ancestor below
    the root, is not live, not yet live, expired or view-restricted. Public as of
    ``now``, by default as of when the query runs.
    """
    if now is not None:
        return _not_hidden(ArticlePage.objects.all(), now)
    return _public(ArticlePage).all()


def public_pages() -> QuerySet[Page]:
    """Pages of any type that are public now (see :func:`public_articles`)."""
    return _public(Page).all()


def public_sections() -> QuerySet[ArticleIndexPage]:
    """Sections (article index pages) that are public now."""
    return _public(ArticleIndexPage).all()


def under_parent_with(pages: QuerySet) -> Exists:
    """A filter: the outer page's parent is one of ``pages``."""
    return Exists(_is_prefix_of_outer(pages.filter(depth=OuterRef("depth") - 1)))


def public_page_ids(
    page_ids: Iterable[int], now: datetime | None = None
) -> dict[int, str]:
    """Which of these pages (of any type) are public, with their url_path; 1 query."""
    page_ids = set(page_ids)
    if not page_ids:
        return {}
    public = _public(Page) if now is None else _not_hidden(Page.objects.all(), now)
    return dict(public.filter(pk__in=page_ids).values_list("pk", "url_path"))
