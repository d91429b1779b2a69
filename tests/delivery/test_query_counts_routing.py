"""The front-end endpoints' SQL query counts on a cache miss are pinned and do not
grow with the number of articles, sections or redirects (CONTRACT section 5)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from tests.factories import ArticleIndexPageFactory

# Budgets on a miss after the cache was cleared, so each includes the next-boundary
# lookup (1) and, where public URLs are made, the site roots (1): the endpoint's
# own queries are the rest.
BUDGETS = {
    # Public sections; one grouped count of their public articles.
    "/api/v1/sections/": 4,
    "/api/v1/sections/news/": 4,
    # The public page at the path; then the article's stored detail (its document,
    # the related posts' documents) or the section's count.
    "/api/v1/routes/?path=/news/a0/": 5,
    "/api/v1/routes/?path=/news/": 5,
    # No page at the path: the redirect; whether its target is public.
    "/api/v1/routes/?path=/old-0/": 5,
    # The redirects; which of their target pages are public.
    "/api/v1/redirects/": 4,
    # The log's position and a page of articles (in a savepoint: 2 more).
    "/api/v1/sync/": 6,
    # A page of the log.
    "SINCE": 2,
}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def misses(api, url: str) -> int:
    api.get(url)  # compile once, fill the boundary
    cache.clear()  # a miss
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, (url, response.content)
    return len(queries)


def build(make_article, home, committed, n: int) -> str:
    sport = ArticleIndexPageFactory(parent=home, title=f"Sport {n}", slug=f"s{n}")
    with committed():
        for i in range(n):
            article = make_article(title=f"A{i}")
            Redirect.objects.create(old_path=f"/old-{i}", redirect_page=article)
            make_article(title=f"B{n}{i}", parent=sport)
    return sport.slug


def counts(api, token: str) -> dict[str, int]:
    found = {url: misses(api, url) for url in BUDGETS if url.startswith("/")}
    found["SINCE"] = misses(api, f"/api/v1/sync/?since={token}")
    return found


def test_front_end_endpoints_have_pinned_query_counts(
    api, make_article, home, section, committed
):
    build(make_article, home, committed, 2)
    token = api.get("/api/v1/sync/").json()["since"]
    small = counts(api, token)
    with committed():
        for i in range(2, 8):
            make_article(title=f"A{i}")
            Redirect.objects.create(old_path=f"/old-{i}", redirect_link="/x/")
    ArticleIndexPageFactory(parent=home, title="More", slug="more")
    large = counts(api, token)
    assert small == large, (small, large)
    assert large == BUDGETS, sorted(large.items())
