"""Scoped, expiring API tokens (CONTRACT §2, R18).

Scopes ``publishing:read``, ``publishing:write``, ``webhooks``, ``preview``; missing
scope → 403, expired → 401; made with ``manage.py api_tokens`` or in the admin, where
the plaintext is shown once.
"""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from publishing.models import TokenGrant
from publishing.tokens import SCOPES
from tests.factories import ArticlePageFactory, api_token

pytestmark = pytest.mark.django_db

P = "/api/v1/publishing"


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "c@example.com", "pw")


@pytest.fixture
def article(section):
    return ArticlePageFactory(parent=section, title="Draft")


def call(method, path, key, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(Client(), method)(path, **kwargs)


def assert_status(response, status, code=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["field"] is None
    if code:
        assert error["code"] == code


def operations(article):
    future = (timezone.now() + timedelta(days=1)).isoformat()
    return {
        "publishing:read": [
            ("get", f"{P}/schedule/", None),
            ("get", f"{P}/releases/", None),
            ("get", f"{P}/status/", None),
            ("get", f"/api/v3-preview/pages/{article.id}/", None),
        ],
        "publishing:write": [
            ("put", f"{P}/articles/{article.id}/schedule/", {"publish_at": future}),
            ("post", f"{P}/releases/", {"title": "R", "article_ids": [article.id]}),
        ],
        "webhooks": [("get", f"{P}/webhooks/", None)],
        "preview": [("post", f"{P}/articles/{article.id}/preview-token/", None)],
    }


@pytest.mark.parametrize("scope", list(SCOPES))
def test_each_scope_opens_its_operations_and_no_others(chief, article, scope):
    key = api_token(chief, scopes=[scope])
    for granted, calls in operations(article).items():
        for method, path, body in calls:
            response = call(method, path, key, body)
            if granted == scope:
                assert response.status_code < 400, (scope, path, response.content)
            else:
                assert_status(response, 403, "insufficient_scope")


def test_a_read_scope_cannot_write(chief, article):
    key = api_token(chief, scopes=["publishing:read"])
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = call(
        "put", f"{P}/articles/{article.id}/schedule/", key, {"publish_at": future}
    )
    assert_status(response, 403, "insufficient_scope")
    assert call("get", f"{P}/schedule/", key).status_code == 200


def test_an_expired_token_is_401(chief):
    key = api_token(chief, expires_at=timezone.now() + timedelta(hours=1))
    assert call("get", f"{P}/schedule/", key).status_code == 200
    TokenGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_status(call("get", f"{P}/schedule/", key), 401)
    assert_status(call("get", "/api/v3-preview/pages/", key), 401)


def test_a_token_made_without_scopes_is_refused(chief):
    # Wagtail's own APIToken.create_token (its stock form) knows nothing of scopes.
    _, key = APIToken.create_token(user=chief, name="stock")
    assert_status(call("get", f"{P}/schedule/", key), 403, "insufficient_scope")
    assert_status(call("get", "/api/v3-preview/pages/", key), 403)


def test_revocation_takes_effect_on_the_next_request(chief):
    key = api_token(chief)
    assert call("get", f"{P}/schedule/", key).status_code == 200
    APIToken.objects.get().revoke()
    assert_status(call("get", f"{P}/schedule/", key), 401)


def test_the_plaintext_is_stored_nowhere(chief):
    key = api_token(chief)
    with connection.cursor() as cursor:
        for table in ("wagtailcore_apitoken", "publishing_tokengrant"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                assert not any(key in str(value) for value in row)


def test_the_command_creates_a_scoped_expiring_token(chief):
    out = StringIO()
    expires = (timezone.now() + timedelta(days=30)).isoformat()
    call_command(
        "api_tokens",
        "create",
        "--user",
        "chief",
        "--name",
        "scheduler",
        "--scope",
        "publishing:read",
        "--scope",
        "publishing:write",
        "--expires",
        expires,
        "--json",
        stdout=out,
    )
    created = json.loads(out.getvalue())
    assert created["scopes"] == ["publishing:read", "publishing:write"]
    grant = TokenGrant.objects.get()
    assert grant.scopes == ["publishing:read", "publishing:write"]
    assert grant.expires_at.isoformat() == expires
    assert call("get", f"{P}/schedule/", created["token"]).status_code == 200
    assert call("get", f"{P}/webhooks/", created["token"]).status_code == 403
    listing = StringIO()
    call_command("api_tokens", "list", stdout=listing)
    assert "scopes=publishing:read,publishing:write" in listing.getvalue()


def test_the_command_requires_a_scope(chief):
    with pytest.raises(CommandError):
        call_command("api_tokens", "create", "--user", "chief", "--name", "x")
    assert not APIToken.objects.exists()


def test_the_admin_creates_a_scoped_token_and_shows_it_once(chief):
    client = Client()
    client.force_login(chief)
    expires = timezone.localtime() + timedelta(days=7)
    response = client.post(
        reverse("wagtailusers_api_tokens:add"),
        {
            "name": "ci",
            "user": chief.pk,
            "scopes": ["preview", "webhooks"],
            "expires_at": expires.strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 200, response.content[:500]
    grant = TokenGrant.objects.get()
    assert sorted(grant.scopes) == ["preview", "webhooks"]
    assert grant.expires_at is not None
    page = response.content.decode()
    assert "wagtail_" in page  # the plaintext, on this page only
    assert not any("wagtail_" in c.value for c in response.cookies.values())
    index = client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
    assert "preview, webhooks" in index


def test_the_admin_refuses_a_token_without_scopes(chief):
    client = Client()
    client.force_login(chief)
    client.post(
        reverse("wagtailusers_api_tokens:add"), {"name": "ci", "user": chief.pk}
    )
    assert not APIToken.objects.exists()
