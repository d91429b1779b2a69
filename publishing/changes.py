"""The change log behind ``/api/v1/sync/`` (CONTRACT section 5), and the one place
that decides, after a change to the tree, which articles became or stopped being
public.

Every line is written in the transaction of the change that causes it (the
outbox's listeners in publishing/signal_handlers.py call :func:`log_changes`), so a
rolled-back publish logs nothing and a committed one cannot lose its line. The
writers take one transaction-scoped advisory lock before their lines get ids:
while a transaction holds it no other can log, so ids are handed out in commit
order and a reader that has seen id N has seen every line below N that will ever
commit. (A plain sequence gives ids in insert order: a transaction that took a
lower id and commits later would be missed by a reader that had moved past it.)
The lock is held from the log write to the commit, the end of a publish.

:func:`reconcile` compares the articles under a page with what the log last said
of them and writes the difference: it is how section unpublishes and go-lives,
view restrictions, moves and section renames reach sync and the webhooks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page, Site

from cms.content.models import ArticlePage
from cms.content.visibility import public_articles
from publishing.models import ArticleChange

UPSERT = ArticleChange.UPSERT
DELETE = ArticleChange.DELETE
# Any constant: the key of the advisory lock that orders the log's writers.
LOG_LOCK_KEY = 7_204_820


@dataclass(frozen=True)
class Change:
    article_id: int
    slug: str
    url: str
    change: str  # UPSERT or DELETE


def public_url(url_path: str, roots: list | None = None) -> str:
    """A page's relative public URL from its url_path (the site roots' paths cut)."""
    for root in roots if roots is not None else Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return url_path


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK_KEY])


def last_logged(article_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Each article's last logged (change, url): 1 query."""
    ids = {int(i) for i in article_ids}
    if not ids:
        return {}
    latest = (
        ArticleChange.objects.filter(article_id__in=ids)
        .values("article_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    return {
        article_id: (change, url)
        for article_id, change, url in ArticleChange.objects.filter(
            id__in=latest
        ).values_list("article_id", "change", "url")
    }


def log_changes(changes: list[Change]) -> dict[int, str | None]:
    """Append ``changes`` to the log in the caller's transaction; returns each
    article's previous URL: the last one logged, where it differs from the new."""
    if not changes:
        return {}
    if not connection.in_atomic_block:
        with transaction.atomic():  # the lock lasts until the lines commit
            return log_changes(changes)
    _lock()
    before = last_logged(c.article_id for c in changes)
    now = timezone.now()
    ArticleChange.objects.bulk_create(
        [
            ArticleChange(
                article_id=c.article_id,
                slug=c.slug,
                url=c.url,
                change=c.change,
                at=now,
            )
            for c in changes
        ]
    )
    previous = {}
    for c in changes:
        old_url = before.get(c.article_id, (None, None))[1]
        previous[c.article_id] = old_url if old_url and old_url != c.url else None
    return previous


@dataclass
class Reconciled:
    """What :func:`reconcile` logged: articles that became public or changed URL
    (or all public ones, when forced) and those that stopped being public."""

    upserted: list[ArticlePage]
    hidden: list[ArticlePage]
    previous_urls: dict[int, str | None]


def reconcile(
    page: Page,
    force_upsert: bool = False,
    old_url_path: str | None = None,
) -> Reconciled:
    """Log what changed for the articles at or under ``page`` (in the caller's
    transaction): an upsert for each public one whose last logged line is not an
    upsert at its current URL (every public one if ``force_upsert``: what they
    show of ``page`` changed), a delete for each one that is not public but was
    last logged (or, never logged, is live) as public. ``old_url_path`` is the
    page's url_path before a move, for the previous URL of articles never logged.
    """
    articles = list(
        ArticlePage.objects.filter(path__startswith=page.path)
        .defer("body")
        .order_by("path")
    )
    if not articles:
        return Reconciled([], [], {})
    public = set(
        public_articles()
        .filter(pk__in=[a.pk for a in articles])
        .values_list("pk", flat=True)
    )
    last = last_logged(a.pk for a in articles)
    roots = Site.get_site_root_paths()
    changes, upserted, hidden, fallback = [], [], [], {}
    for article in articles:
        url = public_url(article.url_path, roots)
        logged_change, logged_url = last.get(article.pk, (None, None))
        if article.pk in public:
            if force_upsert or logged_change != UPSERT or logged_url != url:
                changes.append(Change(article.pk, article.slug, url, UPSERT))
                upserted.append(article)
                if old_url_path and logged_url is None:
                    old = old_url_path + article.url_path[len(page.url_path) :]
                    fallback[article.pk] = public_url(old, roots)
        elif logged_change == UPSERT or (logged_change is None and article.live):
            changes.append(Change(article.pk, article.slug, logged_url or url, DELETE))
            hidden.append(article)
    previous = log_changes(changes)
    for pk, old in fallback.items():
        current = public_url(next(a.url_path for a in upserted if a.pk == pk), roots)
        if previous.get(pk) is None and old != current:
            previous[pk] = old
    return Reconciled(upserted, hidden, previous)


def prune_changes(now=None) -> int:
    """Delete log lines older than the retention (tokens that old are refused)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SYNC_RETENTION_DAYS)
    deleted, _ = ArticleChange.objects.filter(at__lt=cutoff).delete()
    return deleted
