"""Each endpoint's SQL query count is pinned and does not grow with the page size,
the number of related posts, categories, tags or images (cache misses measured)."""

from __future__ import annotations

import pytest
import wagtail_factories
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from cms.content.models.pages import RelatedArticle
from delivery import read_model
from delivery.cache import BOUNDARY_KEY, VERSION_KEY, bump_content_version
from tests.factories import CategoryFactory

# Budgets on a cache miss (after the per-version boundary lookup is cached). A
# list is one query for the page and its total, two prefetches (categories, tags)
# and one for the images with their renditions.
BUDGETS = {
    # Rendered from the pages (no stored documents): the stored page first, which
    # finds no current document, then the rows with their total, categories and
    # tags, images with renditions.
    "/api/v1/articles/": 4,
    "/api/v1/articles/?limit=100": 4,
    "/api/v1/articles/?q=magnesium": 8,
    "/api/v1/articles/?category=c0&tag=t1&ordering=title": 4,
    # Rendered from the pages (no stored document yet): the document lookup, the
    # article, the related ranking (picks and closest), the related articles,
    # categories and tags, images with renditions, the linked pages.
    "DETAIL": 7,
    # From stored documents (delivery/read_model.py): the article's, the related
    # ranking with the related posts' documents, the linked pages.
    "STORED_DETAIL": 3,
    "STORED_LIST": 1,
    "/api/v1/categories/": 1,
    "/api/v1/tags/": 1,
    "/api/v1/authors/": 3,
    "/api/v1/search/suggest/?q=mag": 1,
    "/feeds/articles/": 1,
    "/sitemap.xml": 1,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def build(make_article, n: int, prefix: str = "a"):
    categories = [CategoryFactory(name=f"C{i}", slug=f"c{i}") for i in range(3)]
    image = wagtail_factories.ImageFactory()
    articles = []
    for i in range(n):
        target = articles[-1].pk if articles else None
        body = [("heading", {"text": "Magnesium", "level": "h2"})]
        if target:
            body.append(
                (
                    "paragraph",
                    RichText(f'<p><a linktype="page" id="{target}">x</a></p>'),
                )
            )
        body.append(("image", {"image": image, "alt": "", "caption": ""}))
        articles.append(
            make_article(
                title=f"Magnesium {prefix} {i}",
                categories=categories,
                tags=[f"t{j}" for j in range(3)],
                hero_image=image,
                body=body,
            )
        )
    main = articles[-1]
    for order, other in enumerate(articles[:3]):
        RelatedArticle.objects.create(page=main, article=other, sort_order=order)
    return main


def count_queries(api, url: str) -> int:
    # A miss first warms what is cached regardless of the response (site root
    # paths, renditions, the next-boundary lookup); then a fresh miss is measured.
    bump_content_version()
    api.get(url)
    version = cache.get(VERSION_KEY)
    boundary = cache.get(BOUNDARY_KEY.format(version=version))
    bump_content_version()
    cache.set(BOUNDARY_KEY.format(version=version + 1), boundary)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    assert "cache;desc=miss" in response["Server-Timing"]
    return len(queries)


def test_query_counts_are_pinned_and_do_not_grow_with_content(api, make_article):
    # One test for every endpoint: building the content is the slow part.
    urls = [u for u in BUDGETS if u.startswith("/")]
    build(make_article, 3)
    few = {url: count_queries(api, url) for url in urls}
    build(make_article, 5, "b")
    more = {url: count_queries(api, url) for url in urls}
    assert few == more
    for url, count in few.items():
        assert count <= BUDGETS[url], f"{url}: {count} queries"


def test_detail_query_count_does_not_grow_with_related_and_images(api, make_article):
    small = build(make_article, 2)
    few = count_queries(api, f"/api/v1/articles/{small.slug}/")
    big = build(make_article, 7, "b")
    many = count_queries(api, f"/api/v1/articles/{big.slug}/")
    assert few == many <= BUDGETS["DETAIL"]


def test_a_cold_list_is_at_most_six_queries_whatever_the_limit(api, make_article):
    """Everything cleared (as the benchmark's cold run does): renditions, site roots
    and the next-boundary lookup included, renditions already made."""
    build(make_article, 6)
    for url in ("/api/v1/articles/?limit=1", "/api/v1/articles/?limit=100"):
        api.get(url)  # renditions are made once, on first use
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert response.status_code == 200
        assert len(queries) <= 6, [q["sql"][:80] for q in queries]


def test_stored_documents_serve_a_detail_and_a_list_in_fewer_queries(api, make_article):
    small = build(make_article, 2)
    big = build(make_article, 7, "b")
    read_model.render_stale_documents()
    detail = [count_queries(api, f"/api/v1/articles/{a.slug}/") for a in (small, big)]
    assert detail[0] == detail[1] <= BUDGETS["STORED_DETAIL"]
    for url in ("/api/v1/articles/?limit=1", "/api/v1/articles/?limit=100"):
        assert count_queries(api, url) <= BUDGETS["STORED_LIST"]
