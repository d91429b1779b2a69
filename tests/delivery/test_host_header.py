"""The Host header is the client's to send: no response is built from it, and the
fast cache path refuses what ALLOWED_HOSTS refuses, like the full stack.

Absolute URLs come from configured origins only: FRONTEND_BASE_URL for the public
pages, WAGTAILADMIN_BASE_URL for the CMS's own (images, the feed's self link).
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.delivery.test_fast_cache import fast, wsgi_get

HOSTILE = "127.0.0.1:6666"


@pytest.fixture
def urls(make_article, category):
    article = make_article(title="Magnesium", categories=[category])
    return [
        "/api/v1/articles/",
        f"/api/v1/articles/{article.slug}/",
        "/feeds/articles/",
        "/sitemap.xml",
    ]


def test_no_response_carries_the_requests_host(urls, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "cms.example"]
    for url in urls:
        response = Client(HTTP_HOST=HOSTILE).get(url)
        assert response.status_code == 200, url
        assert b"6666" not in response.content, (url, response.content[:500])


def test_a_hostile_host_is_not_cached_for_everyone(urls, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "cms.example"]
    Client(HTTP_HOST=HOSTILE).get("/feeds/articles/")
    response = Client(HTTP_HOST="cms.example").get("/feeds/articles/")
    assert b"6666" not in response.content


def test_the_feeds_self_link_is_on_the_configured_origin(urls, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://cms.example"
    body = Client().get("/feeds/articles/").content.decode()
    assert 'href="https://cms.example/feeds/articles/"' in body


def test_the_fast_path_refuses_a_host_allowed_hosts_refuses(urls, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    for url in urls:
        assert Client().get(url).status_code == 200
        assert fast(Client().get(url)), url
        response = Client(HTTP_HOST="evil.example").get(url)
        assert response.status_code == 400, url


def test_the_wsgi_fast_path_refuses_a_host_allowed_hosts_refuses(
    urls, settings, wsgi_in_test_transaction
):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    for url in urls:
        assert wsgi_get(url)[0] == "200 OK"
        status, headers, _ = wsgi_get(url)
        assert "cache;desc=hit" in headers["Server-Timing"]
        status, _, _ = wsgi_get(url, HTTP_HOST="evil.example")
        assert status.startswith("400"), url
