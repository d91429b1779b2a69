"""Bad input is a 4xx in the contract's error shape, never a 5xx (CONTRACT, R29).

Each case here was a 500 on PostgreSQL, SQLite or both (the suite runs this module on
both): a character outside Latin-1 in a path through the WSGI entry point, NUL bytes
in paths and JSON strings, times whose UTC value or window leaves the calendar, ids
beyond 64 bits. tests/delivery/test_schemathesis.py generates the rest.
"""

from __future__ import annotations

import io
import json
from urllib.parse import unquote_to_bytes

import pytest
from django.test import Client

from tests.factories import ArticlePageFactory, api_token

BIG = str(2**63)
HUGE = "9" * 30


@pytest.fixture
def key(django_user_model):
    user = django_user_model.objects.create_superuser("fuzz", "f@example.com", "pw")
    return api_token(user, name="fuzz")


@pytest.fixture
def article(section):
    return ArticlePageFactory(parent=section, title="Target")


def assert_contract_4xx(response):
    assert 400 <= response.status_code < 500, response.content[:300]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    return body["error"]


def send(client, method, path, key=None, body=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    if body is not None:
        extra.setdefault("content_type", "application/json")
        extra["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return getattr(client, method)(path, **headers, **extra)


# --- paths ---


def wsgi_get(path: str) -> tuple[str, bytes]:
    """A GET through cms.wsgi (the fast cache path in front of Django), as a real
    server hands it over: the raw path bytes decoded as Latin-1 (PEP 3333)."""
    from cms.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    seen = {}
    body = b"".join(
        application(environ, lambda status, headers: seen.update(status=status))
    )
    return seen["status"], body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/x%F2%86%96%A0/",
        "/api/v1/authors/x%F2%86%96%A0/",
        "/api/v1/sections/%E2%82%AC/",
        "/api/v1/articles/x%00/",
        "/feeds/articles/%F0%9F%92%A9",
    ],
)
def test_a_path_outside_latin_1_or_with_nul_is_a_404_through_wsgi(
    article, path, wsgi_in_test_transaction
):
    status, body = wsgi_get(path)
    assert status.startswith("404"), (status, body[:300])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/x%00/",
        "/api/v1/authors/x%00y/",
        "/api/v1/sections/%00/",
        "/news/x%00/",
        "/api/v1/articles/x%F2%86%96%A0/",
    ],
)
def test_nul_or_4_byte_characters_in_a_path_are_a_404(article, path):
    response = Client().get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert assert_contract_4xx(response)["code"] == "not_found"


@pytest.mark.parametrize(
    "method,path",
    [
        ("put", "/api/v1/publishing/articles/{big}/schedule/"),
        ("delete", "/api/v1/publishing/articles/{big}/schedule/"),
        ("post", "/api/v1/publishing/articles/{big}/preview-token/"),
        ("get", "/api/v1/publishing/releases/{big}/"),
        ("put", "/api/v1/publishing/releases/{big}/schedule/"),
        ("delete", "/api/v1/publishing/releases/{big}/schedule/"),
        ("get", "/api/v1/publishing/webhooks/{big}/"),
        ("patch", "/api/v1/publishing/webhooks/{big}/"),
        ("delete", "/api/v1/publishing/webhooks/{big}/"),
        ("get", "/api/v1/publishing/webhooks/{big}/deliveries/"),
        ("post", "/api/v1/publishing/webhooks/deliveries/{big}/redeliver/"),
        ("get", "/api/v3-preview/pages/{big}/"),
    ],
)
@pytest.mark.parametrize("big", [BIG, HUGE])
def test_ids_beyond_64_bits_are_a_4xx(key, method, path, big):
    body = {"publish_at": "2099-01-01T00:00:00+00:00"} if method in ("put",) else None
    if method == "patch":
        body = {"active": True}
    response = send(Client(), method, path.format(big=big), key, body)
    assert_contract_4xx(response)


def test_ids_beyond_64_bits_in_a_body_are_a_400_naming_the_field(key):
    response = send(
        Client(),
        "post",
        "/api/v1/publishing/releases/",
        key,
        {"title": "Big", "article_ids": [2**63]},
    )
    assert response.status_code == 400
    assert assert_contract_4xx(response)["field"].startswith("article_ids")


# --- times ---


@pytest.mark.parametrize(
    "query",
    [
        "published_after=0001-01-01T00:00:00%2B23:59",
        "published_before=9999-12-31T23:59:59-23:59",
        "updated_after=0001-01-01T00:00:00%2B23:59",
        "published_after=9999-12-31T23:59:59%2B00:00",
    ],
)
def test_times_out_of_range_in_the_article_list_are_a_400(db, query):
    response = Client().get(f"/api/v1/articles/?{query}")
    assert response.status_code == 400
    assert assert_contract_4xx(response)["field"] == query.split("=")[0]


@pytest.mark.parametrize(
    "query",
    [
        "from=9999-12-31T00:00:00%2B00:00",
        "from=0001-01-01T00:00:00%2B23:59",
        "to=0001-01-01T00:00:00%2B23:59",
        "to=9999-12-31T23:59:59-23:59",
    ],
)
def test_extreme_calendar_windows_are_a_400(key, query):
    response = send(Client(), "get", f"/api/v1/publishing/schedule/?{query}", key)
    assert response.status_code == 400
    assert assert_contract_4xx(response)["field"] == query.split("=")[0]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"publish_at": "9999-12-31T23:59:59-23:59"}, "publish_at"),
        (
            {
                "publish_at": "2099-01-01T00:00:00+00:00",
                "unpublish_at": "9999-12-31T23:59:59-23:59",
            },
            "unpublish_at",
        ),
    ],
)
def test_extreme_publish_times_are_a_400(key, article, body, field):
    response = send(
        Client(),
        "put",
        f"/api/v1/publishing/articles/{article.id}/schedule/",
        key,
        body,
    )
    assert response.status_code == 400
    assert assert_contract_4xx(response)["field"] == field


def test_extreme_release_time_is_a_400(key):
    response = send(
        Client(),
        "post",
        "/api/v1/publishing/releases/",
        key,
        {"title": "x", "article_ids": [], "publish_at": "9999-12-31T23:59:59-23:59"},
    )
    assert response.status_code == 400


def test_admin_calendar_at_the_ends_of_time_is_not_a_500(admin_client):
    for day in ("0001-01-01", "9999-12-31"):
        response = admin_client.get("/admin/publishing/calendar/", {"date": day})
        assert response.status_code < 500


# --- NUL in JSON bodies ---


@pytest.mark.parametrize(
    "path,body,field",
    [
        (
            "/api/v1/publishing/releases/",
            {"title": "a\x00b", "article_ids": []},
            "title",
        ),
        (
            "/api/v1/publishing/webhooks/",
            {"url": "http://127.0.0.1/\x00"},
            "url",
        ),
        (
            "/api/v1/publishing/webhooks/",
            {"url": "http://127.0.0.1/", "description": "x\x00"},
            "description",
        ),
        (
            "/api/v1/publishing/webhooks/",
            {"url": "http://127.0.0.1/", "events": ["article.published\x00"]},
            "events.0",
        ),
    ],
)
def test_nul_in_a_json_string_is_a_400_naming_the_field(key, path, body, field):
    response = send(Client(), "post", path, key, body)
    assert response.status_code == 400
    assert assert_contract_4xx(response)["field"] == field


def test_nul_in_a_schedule_time_zone_is_a_400(key, article):
    response = send(
        Client(),
        "put",
        f"/api/v1/publishing/articles/{article.id}/schedule/",
        key,
        {"publish_at": "2099-01-01T00:00:00+00:00", "time_zone": "Europe/\x00"},
    )
    assert response.status_code == 400
    assert assert_contract_4xx(response)["field"] == "time_zone"


# --- bodies must be JSON ---


@pytest.mark.parametrize(
    "content_type,data",
    [
        ("text/plain", '{"title": "x", "article_ids": []}'),
        ("application/x-www-form-urlencoded", "title=x&article_ids=1"),
        ("multipart/form-data; boundary=zz", "--zz--"),
        ("application/xml", "<release/>"),
    ],
)
def test_a_body_that_is_not_json_is_refused(key, content_type, data):
    response = send(
        Client(),
        "post",
        "/api/v1/publishing/releases/",
        key,
        data,
        content_type=content_type,
    )
    assert response.status_code in (400, 415)
    assert assert_contract_4xx(response)["code"] in (
        "unsupported_media_type",
        "invalid_parameter",
    )


def test_a_json_body_with_a_charset_is_fine(key):
    response = send(
        Client(),
        "post",
        "/api/v1/publishing/releases/",
        key,
        '{"title": "x", "article_ids": []}',
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201, response.content
