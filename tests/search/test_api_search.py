"""Search through the delivery API: q with filters, facets, highlights, suggest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.factories import AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return Client()


def test_q_combines_with_category_tag_and_author_filters(make_article, api):
    sleep, food = CategoryFactory(name="Sleep"), CategoryFactory(name="Food")
    ann = AuthorFactory(name="Ann", slug="ann")
    wanted = make_article(
        "Magnesium at night", categories=[sleep], tags=["minerals"], author=ann
    )
    make_article("Magnesium in food", categories=[food], tags=["minerals"], author=ann)
    make_article("Magnesium and sleep", categories=[sleep], tags=["other"], author=ann)
    make_article("Magnesium by Bob", categories=[sleep], tags=["minerals"])
    make_article("Night owls", categories=[sleep], tags=["minerals"], author=ann)
    response = api.get(
        "/api/v1/articles/",
        {"q": "magnesium", "category": "sleep", "tag": "minerals", "author": "ann"},
    )
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == [wanted.pk]
    assert body["count"] == 1
    assert body["facets"]["author"] == [{"slug": "ann", "name": "Ann", "count": 1}]
    result = body["results"][0]
    assert result["search"]["highlight"]["title"] == "<mark>Magnesium</mark> at night"
    assert result["search"]["score"] > 0


def test_q_combines_with_a_published_window(make_article, api):
    old = make_article("Magnesium, the old story")
    new = make_article("Magnesium, the new story")
    cutoff = timezone.now()
    old.first_published_at = cutoff - timedelta(days=3)
    old.save(update_fields=["first_published_at"])
    response = api.get(
        "/api/v1/articles/",
        {"q": "magnesium", "published_after": (cutoff - timedelta(days=1)).isoformat()},
    )
    assert [r["id"] for r in response.json()["results"]] == [new.pk]


def test_q_results_come_by_relevance(make_article, api):
    body_only = make_article("Evening habits", body=("Some take magnesium.",))
    in_title = make_article("Magnesium explained")
    response = api.get("/api/v1/articles/", {"q": "magnesium"})
    assert [r["id"] for r in response.json()["results"]] == [in_title.pk, body_only.pk]


def test_suggest_endpoint_tolerates_a_typo(make_article, api):
    article = make_article("Magnesium and restless legs")
    response = api.get("/api/v1/search/suggest/", {"q": "magnesim"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": article.pk,
                "title": "Magnesium and restless legs",
                "slug": article.slug,
                "url": response.json()["results"][0]["url"],
            }
        ]
    }
    assert response.json()["results"][0]["url"].endswith(f"/{article.slug}/")
