"""Wagtail's own API v3 at /api/v3-preview/: token holders only (CONTRACT §2).

Stock Wagtail 8 answers its page endpoints anonymously with its own idea of
"public" (it serves a live article under an unpublished section, which /api/v1/
hides) and its ``?search=`` has no limit. Here an anonymous request is a 401 in the
contract's error shape, counted by the auth-failure limit like the publishing API's.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import APIToken

from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    api_token,
    publish,
)

V3 = "/api/v3-preview"


@pytest.fixture
def hidden_live_article(home):
    """Live, but under a section that was unpublished: not public."""
    section = publish(ArticleIndexPageFactory(parent=home, title="Gone", slug="gone"))
    article = publish(ArticlePageFactory(parent=section, title="Orphaned live"))
    section.unpublish()
    return article


@pytest.fixture
def editor_key(db):
    user = get_user_model().objects.create_user("v3-editor", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    return api_token(user, name="ci")


def assert_401(response):
    assert response.status_code == 401, response.content
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": response.json()["error"]["message"],
            "field": None,
        }
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "path",
    [
        "/pages/{id}/",
        "/pages/",
        "/pages/?search=magnesium",
        "/pages/find/?html_path=/gone/orphaned-live/",
        "/sites/",
        "/openapi.json",
        "/docs/",
    ],
)
def test_anonymous_requests_are_401(hidden_live_article, path):
    response = Client().get(V3 + path.format(id=hidden_live_article.id))
    assert_401(response)
    assert b"Orphaned live" not in response.content


def test_a_session_cookie_is_not_a_token(admin_client, hidden_live_article):
    assert_401(admin_client.get(f"{V3}/pages/{hidden_live_article.id}/"))


def test_bad_tokens_are_401(hidden_live_article):
    response = Client().get(
        f"{V3}/pages/{hidden_live_article.id}/",
        HTTP_AUTHORIZATION="Bearer " + APIToken.generate_token(),
    )
    assert_401(response)


def test_token_holders_are_served_with_their_permissions(
    hidden_live_article, editor_key
):
    response = Client().get(
        f"{V3}/pages/{hidden_live_article.id}/",
        HTTP_AUTHORIZATION=f"Bearer {editor_key}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Orphaned live"


def test_anonymous_search_is_limited_like_the_publishing_api(db, settings):
    settings.AUTH_FAILURE_RATE_LIMIT = "10/m"
    client = Client(REMOTE_ADDR="10.9.9.9")
    statuses = [
        client.get(f"{V3}/pages/", {"search": f"magnesium {n}"}).status_code
        for n in range(30)
    ]
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
