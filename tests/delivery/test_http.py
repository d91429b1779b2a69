"""HTTP behaviour: ETags, the shared cache and its invalidation, Server-Timing,
CORS and rate limiting — against the real Redis cache."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.content.models import ArticlePage
from tests.factories import publish


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block commits as a real commit would: on-commit hooks fire."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


PUBLIC_URLS = [
    "/api/v1/articles/",
    "/api/v1/categories/",
    "/api/v1/tags/",
    "/api/v1/authors/",
    "/api/v1/search/suggest/?q=a",
    "/feeds/articles/",
    "/sitemap.xml",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_responses_carry_strong_etag_and_cache_control(api, make_article, url):
    make_article()
    response = api.get(url)
    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_matching_if_none_match_is_304_without_body(api, make_article, url):
    make_article()
    etag = api.get(url)["ETag"]
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_stale_etag_gets_the_full_response(api, make_article):
    make_article()
    response = api.get("/api/v1/articles/", HTTP_IF_NONE_MATCH='"stale"')
    assert response.status_code == 200


def test_max_age_follows_the_setting(api, make_article, settings):
    settings.API_CACHE_MAX_AGE = 5
    make_article()
    assert api.get("/api/v1/articles/")["Cache-Control"] == "public, max-age=5"


def test_second_request_is_a_cache_hit(api, make_article):
    make_article()
    first = api.get("/api/v1/articles/")
    second = api.get("/api/v1/articles/")
    assert "cache;desc=miss" in first["Server-Timing"]
    assert "cache;desc=hit" in second["Server-Timing"]
    assert first.content == second.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/",
        "/api/v1/nothing/",
        "/healthz/",
        "/sitemap.xml",
        "/api/v1/openapi.json",
    ],
)
def test_every_response_carries_server_timing(api, url):
    timing = api.get(url)["Server-Timing"]
    assert re.fullmatch(
        r"db;dur=[\d.]+, cache;desc=(hit|miss), total;dur=[\d.]+", timing
    )


def titles(api, url="/api/v1/articles/") -> list[str]:
    return [r["title"] for r in api.get(url).json()["results"]]


def test_publish_is_visible_on_the_next_request(api, make_article, committed):
    make_article(title="First")
    assert titles(api) == ["First"]
    with committed():
        make_article(title="Second")
    assert titles(api) == ["Second", "First"]


def test_edit_is_visible_in_list_detail_and_others_related(
    api, make_article, category, committed
):
    article = make_article(title="Before", categories=[category])
    neighbour = make_article(title="Neighbour", categories=[category])
    neighbour_url = f"/api/v1/articles/{neighbour.slug}/"
    assert [r["title"] for r in api.get(neighbour_url).json()["related"]] == ["Before"]
    assert "Before" in titles(api)
    detail_url = f"/api/v1/articles/{article.slug}/"
    assert api.get(detail_url).json()["title"] == "Before"
    article.title = "After"
    with committed():
        publish(article)
    assert "After" in titles(api)
    assert api.get(detail_url).json()["title"] == "After"
    assert [r["title"] for r in api.get(neighbour_url).json()["related"]] == ["After"]


def test_unpublish_is_visible_on_the_next_request(
    api, make_article, category, committed
):
    article = make_article(title="Going", categories=[category])
    neighbour = make_article(title="Staying", categories=[category])
    neighbour_url = f"/api/v1/articles/{neighbour.slug}/"
    assert api.get(f"/api/v1/articles/{article.slug}/").status_code == 200
    assert api.get(neighbour_url).json()["related"]
    assert api.get("/api/v1/categories/").json()["results"][0]["article_count"] == 2
    with committed():
        article.unpublish()
    assert titles(api) == ["Staying"]
    assert api.get(f"/api/v1/articles/{article.slug}/").status_code == 404
    assert api.get(neighbour_url).json()["related"] == []
    assert api.get("/api/v1/categories/").json()["results"][0]["article_count"] == 1
    assert "going" not in api.get("/sitemap.xml").content.decode()


def test_view_restriction_is_visible_on_the_next_request(api, make_article, committed):
    article = make_article(title="Soon private")
    assert titles(api) == ["Soon private"]
    with committed():
        PageViewRestriction.objects.create(
            page=article, restriction_type="password", password="x"
        )
    assert titles(api) == []


def test_cached_entry_does_not_outlive_an_expiry(api, make_article):
    article = make_article(title="Short lived")
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() + timedelta(seconds=2)
    )
    assert titles(api) == ["Short lived"]
    assert "hit" in api.get("/api/v1/articles/")["Server-Timing"]
    time.sleep(2.1)
    # No event has arrived (the scheduler has not run): time alone hides it.
    assert titles(api) == []


def test_author_edit_is_visible_on_the_next_request(api, make_article, committed):
    article = make_article()
    assert api.get("/api/v1/articles/").json()["results"][0]["author"]["name"] == (
        article.author.name
    )
    api.get("/api/v1/authors/")
    author = article.author
    author.name = "Renamed Writer"
    with committed():
        author.save()
    assert api.get("/api/v1/articles/").json()["results"][0]["author"]["name"] == (
        "Renamed Writer"
    )
    assert api.get("/api/v1/authors/").json()["results"][0]["name"] == "Renamed Writer"


def test_cors_allows_only_configured_origins(make_article, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://front.example"]
    make_article()
    client = Client()
    allowed = client.get("/api/v1/articles/", HTTP_ORIGIN="https://front.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://front.example"
    refused = client.get("/api/v1/articles/", HTTP_ORIGIN="https://evil.example")
    assert not refused.has_header("Access-Control-Allow-Origin")


@pytest.fixture
def limited(settings):
    settings.API_RATE_LIMIT = "3/m"
    settings.TRUSTED_PROXY_COUNT = 0


def test_rate_limit_answers_429_with_retry_after(db, limited):
    client = Client(REMOTE_ADDR="10.0.0.1")
    statuses = [client.get("/api/v1/categories/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/categories/")
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_rate_limit_is_per_client_address(db, limited):
    for _ in range(3):
        Client(REMOTE_ADDR="10.0.0.1").get("/api/v1/categories/")
    assert Client(REMOTE_ADDR="10.0.0.2").get("/api/v1/categories/").status_code == 200


def test_forwarded_for_is_ignored_without_trusted_proxies(db, limited):
    for n in range(3):
        Client(REMOTE_ADDR="10.0.0.1").get(
            "/api/v1/categories/", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}"
        )
    response = Client(REMOTE_ADDR="10.0.0.1").get(
        "/api/v1/categories/", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert response.status_code == 429


def test_trusted_proxy_count_picks_the_client_from_forwarded_for(db, limited, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    for _ in range(3):
        Client(**proxy).get(
            "/api/v1/categories/", HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7"
        )
    blocked = Client(**proxy).get(
        "/api/v1/categories/", HTTP_X_FORWARDED_FOR="other-spoof, 203.0.113.7"
    )
    other = Client(**proxy).get(
        "/api/v1/categories/", HTTP_X_FORWARDED_FOR="203.0.113.7, 203.0.113.8"
    )
    assert blocked.status_code == 429
    assert other.status_code == 200


def test_empty_rate_limit_disables_it(db, settings):
    settings.API_RATE_LIMIT = ""
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert {client.get("/api/v1/categories/").status_code for _ in range(5)} == {200}
