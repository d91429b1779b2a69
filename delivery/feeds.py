"""RSS 2.0 feed of the latest public articles, at /feeds/articles/.

Unknown query parameters are ignored (feed readers add tracking parameters) and are
not part of the cache key. Links point at the public front end; the feed's own URL is
on the CMS's configured origin (``WAGTAILADMIN_BASE_URL``), never the request's Host
header, which the client chooses and a shared cache would hand to everyone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from cms.content.models import ArticlePage
from cms.content.visibility import public_articles
from delivery.cache import cached_response
from delivery.serializers import article_url

FEED_ITEMS = 50


def frontend_url(path: str) -> str:
    return settings.FRONTEND_BASE_URL.rstrip("/") + path


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    description = "The latest articles."

    def title(self) -> str:
        return settings.WAGTAIL_SITE_NAME

    def link(self) -> str:
        return frontend_url("/")

    def feed_url(self) -> str:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("articles-feed")

    def items(self):
        return (
            public_articles()
            .select_related("author")
            .order_by("-first_published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.intro

    def item_link(self, item: ArticlePage) -> str:
        return frontend_url(article_url(item))

    def item_guid(self, item: ArticlePage) -> str:
        return frontend_url(article_url(item))

    def item_pubdate(self, item: ArticlePage):
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        return item.author.name if item.author else None


latest_articles_feed = LatestArticlesFeed()


def articles_feed(request: HttpRequest) -> HttpResponse:
    return cached_response(
        request,
        lambda: (latest_articles_feed(request).content, None),
        content_type="application/rss+xml; charset=utf-8",
        vary_on_query=False,
    )
