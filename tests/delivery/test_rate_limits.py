"""R19 (docs/requirements.md) beyond the anonymous limit: previews per editor, and
failed token authentications per address (test_http.py covers the anonymous limit).

Real Redis (the cache), emptied before each test (tests/delivery/conftest.py).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import APIToken

from cms.content.preview import mint_preview_token
from tests.factories import api_token


def editor(name: str) -> tuple:
    user = get_user_model().objects.create_user(name, password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    return user, api_token(user, name="ci")


def preview(client: Client, token: str):
    return client.get("/api/v1/preview/", {"token": token})


def mint(client: Client, article, key: str):
    return client.post(
        f"/api/v1/publishing/articles/{article.pk}/preview-token/",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def assert_refused(response) -> None:
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_previews_are_limited_per_editor_whatever_the_address(draft_article, settings):
    settings.PREVIEW_RATE_LIMIT = "2/m"
    alice, _ = editor("alice")
    bob, _ = editor("bob")
    token = mint_preview_token(draft_article, user_id=alice.pk).token
    # The same editor's link opened from two places: one budget.
    assert preview(Client(REMOTE_ADDR="10.0.0.1"), token).status_code == 200
    assert preview(Client(REMOTE_ADDR="10.0.0.2"), token).status_code == 200
    assert_refused(preview(Client(REMOTE_ADDR="10.0.0.3"), token))
    # Another editor's previews are not held up.
    other = mint_preview_token(draft_article, user_id=bob.pk).token
    assert preview(Client(REMOTE_ADDR="10.0.0.1"), other).json()["title"] == (
        "Draft title"
    )


def test_minting_preview_links_is_limited_per_api_user(draft_article, settings):
    settings.PREVIEW_RATE_LIMIT = "2/m"
    _, alice_key = editor("alice")
    _, bob_key = editor("bob")
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert [mint(client, draft_article, alice_key).status_code for _ in range(2)] == [
        201,
        201,
    ]
    assert_refused(mint(client, draft_article, alice_key))
    assert mint(client, draft_article, bob_key).status_code == 201


def test_failed_authentications_lock_the_address_out_of_token_paths(
    draft_article, settings
):
    settings.AUTH_FAILURE_RATE_LIMIT = "3/m"
    _, key = editor("alice")
    attacker = Client(REMOTE_ADDR="10.0.0.9")
    # Bad bearer tokens and bad preview tokens both count.
    assert mint(attacker, draft_article, "guess-1").status_code == 401
    assert mint(attacker, draft_article, "guess-2").status_code == 401
    assert preview(attacker, "forged").status_code == 401
    # Past the limit every unauthenticated attempt is refused: no token, a
    # malformed one, a well-formed one that does not exist, a forged preview.
    assert_refused(mint(attacker, draft_article, "guess-3"))
    assert_refused(mint(attacker, draft_article, APIToken.generate_token()))
    assert_refused(attacker.post(f"/api/v1/publishing/articles/{draft_article.pk}/"))
    assert_refused(preview(attacker, "forged-again"))
    assert_refused(attacker.get("/api/v3-preview/pages/"))
    # Public reads and other addresses are untouched.
    assert attacker.get("/api/v1/categories/").status_code == 200
    assert mint(Client(REMOTE_ADDR="10.0.0.1"), draft_article, key).status_code == 201


def test_valid_tokens_are_served_past_the_auth_failure_limit(draft_article, settings):
    # Ten bad requests from an office's address must not lock its real users out.
    settings.AUTH_FAILURE_RATE_LIMIT = "10/m"
    _, key = editor("alice")
    office = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(12):
        mint(office, draft_article, f"guess-{n}")
    assert_refused(mint(office, draft_article, "guess-again"))
    assert mint(office, draft_article, key).status_code == 201
    alice = get_user_model().objects.get(username="alice")
    token = mint_preview_token(draft_article, user_id=alice.pk).token
    assert preview(office, token).status_code == 200
    response = office.get(
        "/api/v1/publishing/schedule/", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    # ... and serving them does not reset the count for the guesser.
    assert_refused(mint(office, draft_article, "guess-more"))


def test_successful_authentications_do_not_count(draft_article, settings):
    settings.AUTH_FAILURE_RATE_LIMIT = "2/m"
    _, key = editor("alice")
    client = Client(REMOTE_ADDR="10.0.0.1")
    assert {mint(client, draft_article, key).status_code for _ in range(5)} == {201}


def test_a_malformed_rate_is_a_system_check_error(settings):
    from delivery.ratelimit import check_rate_settings

    settings.PREVIEW_RATE_LIMIT = "sixty a minute"
    (error,) = check_rate_settings()
    assert error.obj == "PREVIEW_RATE_LIMIT" and "600/m" in error.msg
    settings.PREVIEW_RATE_LIMIT = "60/m"
    assert check_rate_settings() == []
