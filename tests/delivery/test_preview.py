"""Preview (CONTRACT.md section 3): signed, page- and revision-bound, expiring."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.test import Client
from django.utils import timezone

from cms.content.preview import SALT, mint_preview_token
from tests.factories import ArticlePageFactory, api_token


def preview(client, token):
    return client.get("/api/v1/preview/", {"token": token})


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editor-user", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def mint(page, editor, revision=None):
    return mint_preview_token(page, revision, user_id=editor.pk)


def test_valid_token_shows_the_draft_in_detail_shape(api, draft_article, editor):
    token = mint(draft_article, editor).token
    response = preview(api, token)
    assert response.status_code == 200
    data = response.json()
    assert data["preview"] is True
    assert data["title"] == "Draft title"
    assert {"body", "related", "seo", "id", "slug", "url"} <= set(data)
    assert response["Cache-Control"] == "private, no-store"
    # The public detail still shows the live version.
    assert api.get(f"/api/v1/articles/{draft_article.slug}/").json()["title"] == (
        "Live title"
    )


def test_token_keeps_showing_its_revision_after_newer_drafts(
    api, draft_article, editor
):
    token = mint(draft_article, editor).token
    draft_article.title = "Even newer"
    draft_article.save_revision()
    assert preview(api, token).json()["title"] == "Draft title"


def test_never_published_draft_can_be_previewed(api, section, editor):
    article = ArticlePageFactory(parent=section, title="Only a draft", live=False)
    article.save_revision()
    assert preview(api, mint(article, editor).token).json()["title"] == ("Only a draft")


def test_preview_of_a_never_published_draft_is_dated_now(api, section, editor):
    article = ArticlePageFactory(parent=section, live=False)
    token = mint(article, editor).token
    before = timezone.now()
    data = preview(api, token).json()
    after = timezone.now()
    assert before <= datetime.fromisoformat(data["published_at"]) <= after


def test_preview_of_a_never_published_draft_is_dated_by_its_display_date(
    api, section, settings, editor
):
    settings.TIME_ZONE = "Europe/London"
    article = ArticlePageFactory(
        parent=section, live=False, display_date=date(2026, 7, 1)
    )
    data = preview(api, mint(article, editor).token).json()
    # Midnight of that day in the site's time zone (British summer time, UTC+1).
    assert data["published_at"] == "2026-06-30T23:00:00+00:00"


def test_preview_is_updated_at_the_previewed_revisions_time(api, section, editor):
    article = ArticlePageFactory(parent=section, live=False)
    revision = article.save_revision()
    data = preview(api, mint(article, editor, revision).token).json()
    assert datetime.fromisoformat(data["updated_at"]) == revision.created_at


def test_preview_of_a_published_article_keeps_its_first_publication_date(
    api, draft_article, editor
):
    data = preview(api, mint(draft_article, editor).token).json()
    published = datetime.fromisoformat(data["published_at"])
    assert published == draft_article.first_published_at


def test_openapi_declares_the_preview_dates_not_null(api):
    schemas = api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    properties = schemas["PreviewDetail"]["properties"]
    for name in ("published_at", "updated_at"):
        assert "anyOf" not in properties[name], properties[name]
        assert properties[name]["type"] == "string"
        assert name in schemas["PreviewDetail"]["required"]


def test_tampered_token_is_401(api, draft_article, editor):
    token = mint(draft_article, editor).token
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = preview(api, tampered)
    assert response.status_code == 401
    assert response.json()["error"]["field"] is None


def test_expired_token_is_401(api, draft_article, settings, editor):
    token = mint(draft_article, editor).token
    settings.PREVIEW_TOKEN_TTL = -1
    assert preview(api, token).status_code == 401


def test_token_for_another_pages_revision_is_401(api, draft_article, make_article):
    other = make_article(title="Other")
    forged = signing.dumps(
        {"p": other.pk, "r": draft_article.latest_revision_id}, salt=SALT
    )
    assert preview(api, forged).status_code == 401


def test_token_signed_for_another_purpose_is_401(api, draft_article):
    token = signing.dumps(
        {"p": draft_article.pk, "r": draft_article.latest_revision_id},
        salt="another.salt",
    )
    assert preview(api, token).status_code == 401


def test_preview_is_never_stored_in_the_shared_cache(api, draft_article, editor):
    token = mint(draft_article, editor).token
    preview(api, token)
    assert "cache;desc=miss" in preview(api, token)["Server-Timing"]


@pytest.fixture
def editor_token(db):
    user = get_user_model().objects.create_user("editor", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    key = api_token(user, name="ci")
    return key


def test_publishing_api_mints_a_token_for_editors(draft_article, editor_token):
    client = Client()
    response = client.post(
        f"/api/v1/publishing/articles/{draft_article.pk}/preview-token/",
        HTTP_AUTHORIZATION=f"Bearer {editor_token}",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"token", "url", "expires_at"}
    assert data["expires_at"].endswith("+00:00")
    assert preview(client, data["token"]).json()["title"] == "Draft title"


def test_preview_url_uses_the_front_end_template(draft_article, settings, editor):
    settings.HEADLESS_PREVIEW_URL = "https://front.example/preview?t={token}"
    minted = mint(draft_article, editor)
    assert minted.url == f"https://front.example/preview?t={minted.token}"


def test_publishing_api_refuses_missing_or_bad_tokens(draft_article):
    url = f"/api/v1/publishing/articles/{draft_article.pk}/preview-token/"
    assert Client().post(url).status_code == 401
    response = Client().post(url, HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_publishing_api_refuses_users_who_cannot_edit(draft_article):
    user = get_user_model().objects.create_user("reader", password="x")
    key = api_token(user, name="ci")
    response = Client().post(
        f"/api/v1/publishing/articles/{draft_article.pk}/preview-token/",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403


def test_admin_preview_opens_the_headless_front_end(
    admin_client, draft_article, settings
):
    from django.test import RequestFactory

    settings.HEADLESS_PREVIEW_URL = "https://front.example/preview?t={token}"
    # The admin's preview request carries the editor's session.
    cookie = admin_client.cookies.output(header="", sep=";").strip()
    response = draft_article.make_preview_request(
        RequestFactory().get("/", HTTP_COOKIE=cookie)
    )
    assert response.status_code == 200
    assert b"https://front.example/preview?t=" in response.content
    token = response.content.split(b"preview?t=")[1].split(b'"')[0].decode()
    assert preview(Client(), token).json()["title"] == "Draft title"


def test_a_preview_request_without_an_editor_mints_no_token(draft_article, settings):
    settings.HEADLESS_PREVIEW_URL = "https://front.example/preview?t={token}"
    response = draft_article.make_preview_request()
    assert b"https://front.example/preview?t=" not in response.content


def test_token_of_a_deactivated_editor_is_401(api, draft_article, editor):
    token = mint(draft_article, editor).token
    assert preview(api, token).status_code == 200
    editor.is_active = False
    editor.save()
    response = preview(api, token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_token_of_an_editor_who_lost_edit_permission_is_401(api, draft_article, editor):
    token = mint(draft_article, editor).token
    assert preview(api, token).status_code == 200
    editor.groups.clear()
    assert preview(api, token).status_code == 401


def test_token_of_a_deleted_editor_is_401(api, draft_article, editor):
    token = mint(draft_article, editor).token
    editor.delete()
    assert preview(api, token).status_code == 401


def test_token_naming_no_editor_is_401(api, draft_article):
    # Signed with the right key and salt, but for nobody: nothing could revoke it.
    token = signing.dumps(
        {"p": draft_article.pk, "r": draft_article.latest_revision_id},
        salt=SALT,
        compress=True,
    )
    assert preview(api, token).status_code == 401


def test_minting_needs_an_editor(draft_article):
    with pytest.raises(TypeError):
        mint_preview_token(draft_article)


def test_token_lifetime_is_capped_at_24_hours(api, draft_article, editor, settings):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    settings.PREVIEW_TOKEN_TTL = 7 * 24 * 3600
    minted = mint(draft_article, editor)
    assert minted.expires_at <= timezone.now() + timedelta(hours=24)
    real_time = signing.time.time
    with mock.patch.object(signing.time, "time", lambda: real_time() - 25 * 3600):
        old = mint(draft_article, editor).token
    assert preview(api, old).status_code == 401
    assert preview(api, minted.token).status_code == 200
