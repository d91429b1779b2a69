"""Personal data: erasing an author, and how long spam is kept."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from comments import privacy
from comments.models import Comment
from tests.comments.conftest import comments_url


def test_erasing_an_author_anonymises_their_comments_at_once(
    api, article, make_comment, django_capture_on_commit_callbacks
):
    mine = make_comment(author_name="Ada", author_email="Ada@Example.com")
    theirs = make_comment(author_name="Grace", author_email="grace@example.com")
    assert api.get(comments_url(article)).json()["results"][0]["author_name"] == "Ada"

    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_comment_author", "ada@example.com")

    mine.refresh_from_db()
    assert mine.author_name == "Anonymous"
    assert mine.author_email == "" and mine.address_hash == ""
    assert mine.anonymised
    names = [c["author_name"] for c in api.get(comments_url(article)).json()["results"]]
    assert names == ["Anonymous", "Grace"]
    theirs.refresh_from_db()
    assert theirs.author_email == "grace@example.com"


def test_erasing_with_remove_deletes_the_comments_and_keeps_replies(
    api, article, make_comment, django_capture_on_commit_callbacks
):
    parent = make_comment(author_email="ada@example.com")
    reply = make_comment(author_email="grace@example.com", parent=parent)

    with django_capture_on_commit_callbacks(execute=True):
        erased = privacy.erase_author("ada@example.com", remove=True)

    assert erased.comments == 1
    assert not Comment.objects.filter(pk=parent.pk).exists()
    results = api.get(comments_url(article)).json()["results"]
    assert [(c["id"], c["parent_id"]) for c in results] == [(reply.pk, None)]
    detail = api.get(f"/api/v1/articles/{article.slug}/").json()
    assert detail["comment_count"] == 1


def test_spam_is_purged_after_the_retention(make_comment, settings):
    settings.COMMENT_SPAM_RETENTION_DAYS = 30
    now = timezone.now()
    old = make_comment(status="spam", created_at=now - timedelta(days=31))
    young = make_comment(status="spam", created_at=now - timedelta(days=29))
    old_pending = make_comment(status="pending", created_at=now - timedelta(days=90))

    assert privacy.purge_spam() == 1

    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert remaining == {young.pk, old_pending.pk}
    assert old.pk not in remaining


def test_a_retention_of_zero_keeps_spam(make_comment, settings):
    settings.COMMENT_SPAM_RETENTION_DAYS = 0
    make_comment(status="spam", created_at=timezone.now() - timedelta(days=900))
    assert privacy.purge_spam() == 0
    assert Comment.objects.count() == 1
