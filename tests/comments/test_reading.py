"""The comments below an article in the CMS's reading view."""

from __future__ import annotations

from comments import moderation
from comments.models import CommentThread


def test_approved_comments_show_below_the_article_as_text(api, article, make_comment):
    parent = make_comment(author_name="<i>Ada</i>", body="<script>alert(1)</script>")
    make_comment(author_name="Grace", body="A reply", parent=parent)
    make_comment(status="pending", body="not yet")

    page = api.get(article.url).content.decode()

    assert 'data-comment-count="2"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;i&gt;Ada&lt;/i&gt;" in page
    assert "<script>alert(1)" not in page
    assert "not yet" not in page
    assert 'data-depth="1"' in page  # the reply, under its parent
    assert "data-comment-form" in page


def test_an_approval_shows_on_the_cached_page_at_once(
    api, article, make_comment, django_capture_on_commit_callbacks
):
    comment = make_comment(status="pending", body="Worth the wait")
    assert "Worth the wait" not in api.get(article.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate([comment.pk], "approve")

    assert "Worth the wait" in api.get(article.url).content.decode()


def test_a_closed_article_shows_no_form(api, article):
    CommentThread.objects.create(article=article, closed=True)

    page = api.get(article.url).content.decode()

    assert "data-comment-form" not in page
    assert "Comments are closed." in page
