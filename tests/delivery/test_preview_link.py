""" "Copy preview link" in the article editor (delivery/preview_link.py)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory

from cms.content.preview import read_preview_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(django_user_model):
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser("ed", "ed@example.com", "pw")
    )
    return client


def link_in(response) -> str:
    found = re.search(
        r'id="preview-link-value" value="([^"]+)"', response.content.decode()
    )
    return found[1].replace("&amp;", "&")


def test_the_article_editor_offers_copy_preview_link(editor_client, draft_article):
    edit = editor_client.get(f"/admin/pages/{draft_article.pk}/edit/")
    assert (
        f'href="/admin/pages/{draft_article.pk}/preview-link/"' in edit.content.decode()
    )
    assert "Copy preview link" in edit.content.decode()


def test_the_link_shows_the_latest_revision_to_anyone(editor_client, draft_article):
    response = editor_client.get(f"/admin/pages/{draft_article.pk}/preview-link/")
    assert response.status_code == 200
    url = link_in(response)
    assert url.startswith("http://testserver/preview/?token=")
    assert "minutes" in response.content.decode()
    shown = Client().get(url.removeprefix("http://testserver"))
    assert shown.status_code == 200
    assert "<h1>Draft title</h1>" in shown.content.decode()


def test_the_link_opens_the_front_end_when_there_is_one(
    editor_client, draft_article, settings
):
    settings.HEADLESS_PREVIEW_URL = "https://front.example/preview?t={token}"
    response = editor_client.get(f"/admin/pages/{draft_article.pk}/preview-link/")
    assert link_in(response).startswith("https://front.example/preview?t=")


def test_only_editors_of_the_article_get_a_link(django_user_model, draft_article):
    user = django_user_model.objects.create_user("reader", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    response = client.get(f"/admin/pages/{draft_article.pk}/preview-link/")
    assert response.status_code in (302, 403)
    assert b"preview/?token=" not in response.content


def test_minting_counts_against_the_preview_limit(
    editor_client, draft_article, settings
):
    settings.PREVIEW_RATE_LIMIT = "1/m"
    url = f"/admin/pages/{draft_article.pk}/preview-link/"
    assert editor_client.get(url).status_code == 200
    refused = editor_client.get(url)
    assert refused.status_code == 429
    assert b"preview/?token=" not in refused.content


def test_with_a_front_end_the_panel_follows_the_editors_saves(
    editor_client, draft_article, settings
):
    """The preview panel opens the front end with a fresh token for the latest
    saved revision: after a save, the next refresh names the new revision."""
    settings.HEADLESS_PREVIEW_URL = "https://front.example/preview?t={token}"

    # As the panel asks for it: with the editor's session.
    session = editor_client.cookies["sessionid"].value
    editors_request = RequestFactory().get("/", HTTP_COOKIE=f"sessionid={session}")

    def previewed_revision() -> int:
        response = draft_article.make_preview_request(original_request=editors_request)
        html = response.content.decode()
        token = re.search(r"https://front\.example/preview\?t=([^\"&]+)", html)[1]
        return read_preview_token(token).revision_id

    first = previewed_revision()
    assert first == draft_article.latest_revision_id
    draft_article.title = "Saved again"
    newer = draft_article.save_revision()
    assert previewed_revision() == newer.pk != first
