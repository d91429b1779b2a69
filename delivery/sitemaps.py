"""The sitemap of public articles, at /sitemap.xml, with front-end URLs.

Like the feed, it ignores query parameters, and they are not part of the cache key.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from cms.content.visibility import public_articles
from delivery.cache import cached_response
from delivery.feeds import frontend_url
from delivery.serializers import article_url

# The sitemap protocol's limit per file.
MAX_URLS = 50_000


def sitemap_entries() -> list[dict]:
    articles = public_articles().only("url_path", "last_published_at").order_by("path")
    return [
        {
            "loc": frontend_url(article_url(article)),
            "lastmod": article.last_published_at.date().isoformat()
            if article.last_published_at
            else None,
        }
        for article in articles[:MAX_URLS]
    ]


def sitemap(request: HttpRequest) -> HttpResponse:
    def render():
        body = render_to_string("delivery/sitemap.xml", {"entries": sitemap_entries()})
        return body.encode(), None

    return cached_response(
        request, render, content_type="application/xml", vary_on_query=False
    )
