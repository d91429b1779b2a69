"""A configured front-end cache (CDN) is purged when an article changes."""

from __future__ import annotations

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    def purge(self, url) -> None:
        PURGED.append(url)


def test_publish_purges_the_articles_api_url_and_lists(
    make_article, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "recorder": {"BACKEND": "tests.delivery.test_frontend_cache.RecordingBackend"}
    }
    PURGED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Fresh")
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert f"{base}/api/v1/articles/{article.slug}/" in PURGED
    assert f"{base}/api/v1/articles/" in PURGED
    assert f"{base}/feeds/articles/" in PURGED
    assert f"{base}/sitemap.xml" in PURGED
