"""What retires the delivery API's cached responses; connected in ContentConfig.ready().

Any change that can alter a public response bumps the content version right after
its transaction commits, and, where a front-end cache is configured
(``WAGTAILFRONTENDCACHE``), purges the article's API URL and the lists from it.
Wagtail's own frontend_cache app already purges the page's site URL.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.content.models import Author, Category
from delivery.cache import bump_content_version

logger = logging.getLogger(__name__)


def _on_commit_bump() -> None:
    transaction.on_commit(bump_content_version)


def _purge_frontend_cache(page: Page) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    urls = [
        f"{base}/api/v1/articles/",
        f"{base}/feeds/articles/",
        f"{base}/sitemap.xml",
    ]
    if page.slug:
        urls.append(f"{base}/api/v1/articles/{page.slug}/")
    try:
        purge_urls_from_cache(urls)
    except Exception:  # a CDN hiccup must never undo a publish
        logger.exception("front-end cache purge failed for page %s", page.pk)


def page_changed(sender, instance: Page, **kwargs) -> None:
    if getattr(instance, "_published_in_bulk", False):
        return  # publishing/bulk.py calls pages_changed() once for its batch
    _on_commit_bump()
    transaction.on_commit(lambda: _purge_frontend_cache(instance))


def pages_changed(pages: list[Page]) -> None:
    """``page_changed`` for a batch: one version bump, each page's URLs purged."""
    _on_commit_bump()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(lambda: [_purge_frontend_cache(p) for p in pages])


def content_changed(sender, **kwargs) -> None:
    _on_commit_bump()


def page_deleted(sender, instance: Page, **kwargs) -> None:
    # Drafts are deleted too; only a page that was live changes public responses,
    # but a spare bump costs one cache miss per endpoint, so keep the rule simple.
    _on_commit_bump()


def connect() -> None:
    page_published.connect(page_changed, dispatch_uid="delivery-cache-published")
    page_unpublished.connect(page_changed, dispatch_uid="delivery-cache-unpublished")
    post_page_move.connect(page_changed, dispatch_uid="delivery-cache-moved")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="delivery-cache-del")
    for model in (Author, Category, PageViewRestriction):
        post_save.connect(
            content_changed, sender=model, dispatch_uid=f"delivery-cache-{model}-s"
        )
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"delivery-cache-{model}-d"
        )
    from wagtail.images import get_image_model

    image_model = get_image_model()
    post_save.connect(content_changed, sender=image_model, dispatch_uid="dc-img-s")
    post_delete.connect(content_changed, sender=image_model, dispatch_uid="dc-img-d")
