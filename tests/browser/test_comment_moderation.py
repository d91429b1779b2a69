"""Reader comments end to end in a real Chromium: a reader submits a comment
(with script in its name and body) through the reading view's form, which posts
to the API; a moderator (an editor with only the moderation permission) sees it
on the dashboard and in the queue, approves it; it appears at once in the API
and on the article, as text: no script ever runs. Screenshots go to docs/
(docs/comments.md shows them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from django.contrib.auth.models import Group, Permission

from comments.models import Comment
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, publish

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCS = Path(__file__).resolve().parents[2] / "docs"
PASSWORD = "a-long-test-password"
NAME = '<img src=x onerror="window.__pwned=1">Ada'
BODY = "<script>window.__pwned=2</script>Magnesium before bed helped me.\nThanks!"


@pytest.fixture
def article(django_user_model):
    from wagtail.models import Site

    moderator = django_user_model.objects.create_user(
        "moderator", "mod@example.com", PASSWORD
    )
    group = Group.objects.create(name="Comment moderators")
    for codename in ("access_admin", "moderate_comment"):
        group.permissions.add(Permission.objects.get(codename=codename))
    moderator.groups.add(group)
    home = Site.objects.get(is_default_site=True).root_page
    section = ArticleIndexPageFactory(parent=home, title="News", slug="news")
    return publish(
        ArticlePageFactory(parent=section, title="Magnesium and restless legs")
    )


def test_a_comment_is_submitted_moderated_and_shown_as_text(
    live_server, browser, article
):
    base = live_server.url
    api = f"{base}/api/v1/articles/{article.slug}/comments/"
    alerts: list[str] = []

    reader = browser.new_context(viewport={"width": 1000, "height": 1200}).new_page()
    reader.on(
        "dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss())
    )
    reader.goto(f"{base}{article.url}")
    form = reader.locator("[data-comment-form]")
    form.locator("input[name=author_name]").fill(NAME[:80])
    form.locator("input[name=author_email]").fill("ada.private@example.com")
    form.locator("textarea[name=body]").fill(BODY)
    form.get_by_role("button", name="Post comment").click()
    reader.get_by_text("your comment will appear once a moderator approves").wait_for()

    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert comment.body == BODY
    assert requests.get(api, timeout=10).json()["count"] == 0

    moderator = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    moderator.on(
        "dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss())
    )
    moderator.goto(f"{base}/admin/login/")
    moderator.fill("#id_username", "moderator")
    moderator.fill("#id_password", PASSWORD)
    moderator.click("button[type=submit]")
    moderator.wait_for_url(f"{base}/admin/")
    panel = moderator.locator("[data-pending-comments]")
    assert panel.get_attribute("data-pending-comments") == "1"

    moderator.get_by_role("link", name="Moderate").click()
    row = moderator.locator(f"tr[data-comment='{comment.pk}']")
    assert row.locator("[data-comment-author]").inner_text() == NAME[:80]
    assert "<script>window.__pwned=2</script>" in row.inner_text()
    moderator.screenshot(path=str(DOCS / "admin-comments.png"))
    row.locator("input[name=comment]").check()
    moderator.locator("[data-bulk=approve]").click()
    moderator.get_by_text("1 comment(s) approved.").wait_for()
    assert moderator.locator("[data-empty-queue]").is_visible()

    listed = requests.get(api, timeout=10).json()
    assert listed["count"] == 1
    assert listed["results"][0]["body"] == BODY
    assert listed["results"][0]["author_name"] == NAME[:80]
    detail = requests.get(f"{base}/api/v1/articles/{article.slug}/", timeout=10)
    assert detail.json()["comment_count"] == 1

    reader.goto(f"{base}{article.url}")
    shown = reader.locator(f"[data-comment='{comment.pk}']")
    assert shown.locator(".who").inner_text() == NAME[:80]
    assert "<script>window.__pwned=2</script>" in shown.inner_text()
    assert reader.locator("#comments img").count() == 0
    assert reader.locator("#comments script").count() == 1  # the form's own
    assert reader.evaluate("window.__pwned") is None
    assert alerts == []
    reader.locator("#comments").screenshot(path=str(DOCS / "reading-comments.png"))
