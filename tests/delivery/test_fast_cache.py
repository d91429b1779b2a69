"""The fast cache path (FastCacheMiddleware): a current cached response is served
before sessions, auth, CSRF, Wagtail and ninja run, and looks exactly like the one
the full stack serves; requests that must not get a shared response never do; an
entry of an older content version is never served — against the real Redis."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.content.preview import mint_preview_token
from delivery.cache import (
    CachedResponse,
    cache_key,
    content_version,
    encode_entry,
    etag_for,
    redis_client,
)
from tests.factories import publish

ORIGIN = "https://front.example"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def front_end(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]


def fast(response) -> bool:
    """Served by the fast path: the auth middleware never ran for the request."""
    return not hasattr(response.wsgi_request, "user")


def headers_without_timing(response) -> dict:
    return {k: v for k, v in response.headers.items() if k != "Server-Timing"}


@pytest.fixture
def urls(make_article, category):
    article = make_article(title="Magnesium", categories=[category])
    make_article(title="Neighbour", categories=[category])
    return [
        "/api/v1/articles/",
        "/api/v1/articles/?category=sleep&limit=5",
        f"/api/v1/articles/{article.slug}/",
        "/api/v1/categories/",
        "/feeds/articles/",
        "/sitemap.xml",
    ]


def test_a_hit_is_served_early_and_looks_like_a_miss(urls, front_end):
    client = Client()
    for url in urls:
        miss = client.get(url, HTTP_ORIGIN=ORIGIN)
        with CaptureQueriesContext(connection) as queries:
            hit = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert miss.status_code == hit.status_code == 200, url
        assert not fast(miss) and fast(hit), url
        assert len(queries) == 0, url
        assert hit.content == miss.content, url
        assert headers_without_timing(hit) == headers_without_timing(miss), url
        if url != "/sitemap.xml":  # CORS covers /api/v1/ and /feeds/ only
            assert hit["Access-Control-Allow-Origin"] == ORIGIN, url
        assert "cache;desc=miss" in miss["Server-Timing"]
        assert hit["Server-Timing"].startswith("db;dur=0.0, cache;desc=hit, total;dur=")


def test_a_hit_answers_if_none_match_with_304(urls):
    client = Client()
    for url in urls:
        etag = client.get(url)["ETag"]
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert fast(response), url
        assert response.status_code == 304, url
        assert response.content == b""
        assert response["ETag"] == etag
        assert response["Cache-Control"] == "public, max-age=60"
        stale = client.get(url, HTTP_IF_NONE_MATCH='"other"')
        assert fast(stale) and stale.status_code == 200


def test_cors_on_a_hit_only_for_allowed_origins(urls, front_end):
    client = Client()
    client.get(urls[0])
    refused = client.get(urls[0], HTTP_ORIGIN="https://evil.example")
    assert fast(refused)
    assert not refused.has_header("Access-Control-Allow-Origin")
    assert "origin" in refused["Vary"].lower()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer something"},
        {"HTTP_COOKIE": "sessionid=abc"},
    ],
)
def test_authenticated_looking_requests_take_the_full_stack(urls, headers):
    client = Client()
    first = client.get(urls[0])
    response = client.get(urls[0], **headers)
    assert not fast(response)
    assert response.status_code == 200
    assert response.content == first.content


def test_head_and_unsafe_methods_take_the_full_stack(urls):
    client = Client()
    client.get(urls[0])
    assert not fast(client.head(urls[0]))
    post = client.post(urls[0])
    assert post.status_code == 405 and not fast(post)


def test_draft_parameters_are_never_answered_from_the_cache(urls):
    client = Client()
    client.get(urls[0])
    for url in (urls[0] + "?token=abc", urls[0] + "?preview=1", urls[0] + "?draft=1"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 400, url
            assert not fast(response)
            assert response.json()["error"]["field"] in ("token", "preview", "draft")


def test_a_preview_never_lands_in_the_shared_cache(db, make_article, django_user_model):
    article = make_article(title="Live title")
    article.title = "Draft title"
    chief = django_user_model.objects.create_superuser("chief", "c@example.com", "pw")
    token = mint_preview_token(article, article.save_revision(), user_id=chief.pk).token
    client = Client()
    url = f"/api/v1/preview/?token={token}"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert not fast(response)
        assert response["Cache-Control"] == "private, no-store"
        assert response.json()["title"] == "Draft title"
    # The public door never shows the draft, however often it is asked.
    for _ in range(2):
        public = client.get(f"/api/v1/articles/{article.slug}/")
        assert public.json()["title"] == "Live title"


def test_a_publish_retires_every_hit_at_once(api, make_article, category, committed):
    article = make_article(title="Before", categories=[category])
    neighbour = make_article(title="Neighbour", categories=[category])
    urls = [
        "/api/v1/articles/",
        f"/api/v1/articles/{article.slug}/",
        f"/api/v1/articles/{neighbour.slug}/",
    ]
    for url in urls:
        api.get(url)
        assert fast(api.get(url))
    article.title = "After"
    with committed():
        publish(article)
    list_, detail, other = (api.get(url) for url in urls)
    for response in (list_, detail, other):
        assert "cache;desc=miss" in response["Server-Timing"]
    assert "After" in [r["title"] for r in list_.json()["results"]]
    assert detail.json()["title"] == "After"
    assert [r["title"] for r in other.json()["related"]] == ["After"]


def test_an_entry_of_an_older_version_is_never_served(api, make_article, rf):
    """A render that began before a publish may store its entry after the bump: it
    is tagged with the version it began under, and that version is not current."""
    make_article(title="Real")
    version = content_version()
    request = rf.get("/api/v1/articles/")
    body = b'{"results": "stale"}'
    stale = CachedResponse(body, etag_for(body))
    raw_key = cache_key(request)
    redis_client().set(cache.make_key(raw_key), encode_entry(version - 1, stale))
    response = api.get("/api/v1/articles/")
    assert response.content != body
    assert "cache;desc=miss" in response["Server-Timing"]
    # The same entry tagged with the current version is what a hit serves.
    redis_client().set(cache.make_key(raw_key), encode_entry(version, stale))
    hit = api.get("/api/v1/articles/")
    assert fast(hit) and hit.content == body


def test_a_flushed_cache_never_serves_what_it_held(api, make_article):
    make_article(title="Kept")
    api.get("/api/v1/articles/")
    redis_client().flushdb()
    response = api.get("/api/v1/articles/")
    assert "cache;desc=miss" in response["Server-Timing"]
    assert fast(api.get("/api/v1/articles/"))


@pytest.fixture
def limited(settings):
    settings.API_RATE_LIMIT = "3/m"
    settings.TRUSTED_PROXY_COUNT = 0


def test_hits_count_against_the_rate_limit_once_each(db, limited, front_end):
    client = Client(REMOTE_ADDR="10.0.0.9")
    responses = [
        client.get("/api/v1/categories/", HTTP_ORIGIN=ORIGIN) for _ in range(4)
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [fast(r) for r in responses[:3]] == [False, True, True]
    refused = responses[3]
    assert refused.json() == {
        "error": {
            "code": "rate_limited",
            "message": refused.json()["error"]["message"],
            "field": None,
        }
    }
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == ORIGIN
    assert "Server-Timing" in refused
    # Another address has its own window.
    assert Client(REMOTE_ADDR="10.0.0.10").get("/api/v1/categories/").status_code == 200


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the handler must not close the connection that
    holds the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def wsgi_get(url: str, **headers) -> tuple[str, dict, bytes]:
    from django.test import RequestFactory

    from cms.wsgi import application

    path, _, query = url.partition("?")
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET", **headers
    )
    started = {}

    def start_response(status, response_headers):
        started["status"], started["headers"] = status, dict(response_headers)

    body = b"".join(application(environ, start_response))
    return started["status"], started["headers"], body


def test_the_wsgi_wrapper_serves_hits_before_django(
    urls, front_end, keep_test_connection
):
    for url in urls:
        status, miss_headers, miss_body = wsgi_get(url, HTTP_ORIGIN=ORIGIN)
        assert status == "200 OK"
        assert "cache;desc=miss" in miss_headers["Server-Timing"]
        with CaptureQueriesContext(connection) as queries:
            status, hit_headers, hit_body = wsgi_get(url, HTTP_ORIGIN=ORIGIN)
        assert status == "200 OK" and len(queries) == 0
        assert hit_headers.pop("Server-Timing").startswith("db;dur=0.0, cache;desc=hit")
        miss_headers.pop("Server-Timing")
        assert hit_headers == miss_headers and hit_body == miss_body, url
        etag = hit_headers["ETag"]
        status, _, body = wsgi_get(url, HTTP_IF_NONE_MATCH=etag)
        assert status == "304 Not Modified" and body == b""


def test_the_wsgi_wrapper_passes_everything_else_to_django(urls, keep_test_connection):
    wsgi_get(urls[0])
    status, headers, _ = wsgi_get(urls[0], HTTP_AUTHORIZATION="Bearer x")
    assert status == "200 OK" and "cache;desc=hit" in headers["Server-Timing"]
    status, _, body = wsgi_get("/api/v1/articles/?nope=1")
    assert status.startswith("400") and b"unknown_parameter" in body
    status, _, _ = wsgi_get("/healthz/")
    assert status == "200 OK"


def test_a_query_django_refuses_is_a_400_through_the_wrapper(
    urls, keep_test_connection, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    status, headers, body = wsgi_get(
        "/api/v1/articles/?" + "&".join(f"tag=t{n}" for n in range(10))
    )
    assert status.startswith("400"), body
