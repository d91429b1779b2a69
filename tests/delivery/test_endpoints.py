"""Categories, authors, tags, suggest, the feed and the sitemap: shapes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import wagtail_factories

from tests.factories import AuthorFactory, CategoryFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_categories_list_every_category_with_public_counts(api, make_article):
    sleep = CategoryFactory(name="Sleep", slug="sleep", description="Rest well")
    CategoryFactory(name="Food", slug="food", description="")
    make_article(categories=[sleep])
    assert api.get("/api/v1/categories/").json() == {
        "results": [
            {"slug": "food", "name": "Food", "description": "", "article_count": 0},
            {
                "slug": "sleep",
                "name": "Sleep",
                "description": "Rest well",
                "article_count": 1,
            },
        ]
    }


def test_authors_list_and_detail_with_avatar(api, db):
    avatar = wagtail_factories.ImageFactory(title="Ada's face")
    AuthorFactory(name="Ada", slug="ada", bio="Writes.", avatar=avatar)
    AuthorFactory(name="Bob", slug="bob", bio="", avatar=None)
    results = api.get("/api/v1/authors/").json()["results"]
    assert [a["slug"] for a in results] == ["ada", "bob"]
    ada = api.get("/api/v1/authors/ada/").json()
    assert ada == results[0]
    assert set(ada) == {"slug", "name", "bio", "avatar"}
    assert set(ada["avatar"]) == {
        "url",
        "width",
        "height",
        "alt",
        "srcset",
        "focal_point",
    }
    assert results[1]["avatar"] is None


def test_unknown_author_is_404(api, db):
    response = api.get("/api/v1/authors/nobody/")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "No such author.",
        "field": None,
    }


def test_tags_count_public_articles(api, make_article):
    make_article(tags=["sleep", "rest"])
    make_article(tags=["sleep"])
    assert api.get("/api/v1/tags/").json() == {
        "results": [
            {"slug": "rest", "name": "rest", "count": 1},
            {"slug": "sleep", "name": "sleep", "count": 2},
        ]
    }


def test_suggest_matches_title_word_prefixes(api, make_article):
    article = make_article(title="Sleep and magnesium")
    make_article(title="Water")
    data = api.get("/api/v1/search/suggest/", {"q": "magn"}).json()
    assert data == {
        "results": [
            {
                "id": article.pk,
                "title": "Sleep and magnesium",
                "slug": article.slug,
                "url": f"/news/{article.slug}/",
            }
        ]
    }


def test_suggest_returns_at_most_ten(api, make_article):
    for n in range(12):
        make_article(title=f"Magnesium {n}")
    assert len(api.get("/api/v1/search/suggest/", {"q": "mag"}).json()["results"]) == 10


def test_feed_is_rss_with_front_end_links_and_ignores_tracking_params(
    api, make_article, settings
):
    settings.FRONTEND_BASE_URL = "https://www.example.org"
    make_article(title="Hydration")
    response = api.get("/feeds/articles/", {"utm_source": "reader"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    (item,) = channel.findall("item")
    assert item.findtext("title") == "Hydration"
    assert item.findtext("link") == "https://www.example.org/news/hydration/"


def test_sitemap_lists_front_end_urls_and_ignores_params(api, make_article, settings):
    settings.FRONTEND_BASE_URL = "https://www.example.org"
    make_article(title="Hydration")
    response = api.get("/sitemap.xml", {"anything": "1"})
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(response.content).findall("s:url/s:loc", ns)]
    assert locs == ["https://www.example.org/news/hydration/"]


def test_openapi_document_and_docs_are_served(api, db):
    document = api.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/articles/" in document["paths"]
    assert api.get("/api/v1/docs/").status_code == 200
