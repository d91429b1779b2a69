"""Moderation in the Wagtail admin: the queue, bulk actions, per-article state,
the dashboard count, and the permission it all needs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from comments.models import Comment, CommentThread
from publishing.models import Event
from tests.comments.conftest import comments_url

QUEUE = "/admin/comments/"


def editor(django_user_model, name: str, moderate: bool) -> Client:
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw")
    group = Group.objects.create(name=f"group-{name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if moderate:
        group.permissions.add(Permission.objects.get(codename="moderate_comment"))
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


def assert_refused(response) -> None:
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard.
    assert (response.status_code, response.get("Location")) in {
        (403, None),
        (302, "/admin/"),
    }


@pytest.fixture
def moderator(db, django_user_model):
    return editor(django_user_model, "mod", moderate=True)


@pytest.fixture
def writer(db, django_user_model):
    return editor(django_user_model, "writer", moderate=False)


def test_an_editor_without_the_permission_cannot_moderate(
    writer, make_comment, article
):
    comment = make_comment(status="pending")

    assert_refused(writer.get(QUEUE))
    assert_refused(writer.post(QUEUE, {"action": "approve", "comment": [comment.pk]}))
    assert_refused(writer.post(f"/admin/comments/articles/{article.pk}/close/"))
    assert not CommentThread.objects.exists()
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert b"reader-comments" not in writer.get("/admin/").content


def test_the_queue_lists_pending_comments_escaped(moderator, make_comment):
    make_comment(status="pending", author_name="<b>Mallory</b>", body="<script>x()")
    make_comment(status="approved", body="already approved")

    page = moderator.get(QUEUE).content.decode()

    assert "&lt;script&gt;x()" in page
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in page
    assert "<script>x()" not in page
    assert "already approved" not in page
    assert "Pending (1)" in page and "Approved (1)" in page


@pytest.mark.parametrize(
    "action,status", [("approve", "approved"), ("reject", "removed"), ("spam", "spam")]
)
def test_bulk_actions_change_every_selected_comment(
    moderator, make_comment, action, status, django_capture_on_commit_callbacks
):
    chosen = [make_comment(status="pending") for _ in range(3)]
    untouched = make_comment(status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            QUEUE, {"action": action, "comment": [c.pk for c in chosen]}
        )

    assert response.status_code == 302
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in chosen]).values_list(
            "status", flat=True
        )
    ) == {status}
    untouched.refresh_from_db()
    assert untouched.status == "pending"
    approved_events = Event.objects.filter(type="comment.approved").count()
    assert approved_events == (3 if action == "approve" else 0)


def test_approving_in_the_admin_shows_the_comment_in_the_api(
    moderator, make_comment, api, article, django_capture_on_commit_callbacks
):
    comment = make_comment(status="pending")
    assert api.get(comments_url(article)).json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(QUEUE, {"action": "approve", "comment": [comment.pk]})

    assert api.get(comments_url(article)).json()["count"] == 1


def test_filters_show_each_status(moderator, make_comment):
    for status in ("pending", "approved", "spam", "removed"):
        make_comment(status=status, body=f"a {status} comment")
    for status in ("pending", "approved", "spam", "removed"):
        page = moderator.get(QUEUE, {"status": status}).content.decode()
        assert f"a {status} comment" in page
        others = {"pending", "approved", "spam", "removed"} - {status}
        assert not any(f"a {other} comment" in page for other in others)


def test_an_article_is_closed_and_reopened_from_the_admin(
    moderator, article, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(f"/admin/comments/articles/{article.pk}/close/")
    assert CommentThread.objects.get(article=article).closed
    assert submit().status_code == 403
    page = moderator.get(QUEUE, {"article": article.pk}).content.decode()
    assert "Open comments" in page

    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(f"/admin/comments/articles/{article.pk}/open/")
    assert submit().status_code == 202


def test_the_dashboard_shows_the_pending_count(moderator, make_comment, writer):
    for _ in range(3):
        make_comment(status="pending")
    make_comment(status="approved")

    page = moderator.get("/admin/").content.decode()

    assert 'data-pending-comments="3"' in page
    assert "3</strong> comments awaiting moderation" in page
    assert "data-pending-comments" not in writer.get("/admin/").content.decode()


def test_the_moderation_permission_is_offered_in_group_settings(moderator):
    from django.contrib.auth.models import User

    chief = User.objects.create_superuser("chief", "chief@example.com", "pw")
    client = Client()
    client.force_login(chief)
    page = client.get("/admin/groups/new/").content.decode()
    assert "moderate reader comments" in page.lower()


def test_banning_a_sender_sends_their_later_comments_to_spam_quietly(
    moderator, article
):
    url = comments_url(article)
    flooder = Client(REMOTE_ADDR="198.51.100.7")
    other = Client(REMOTE_ADDR="198.51.100.8")

    def post(client):
        return client.post(
            url,
            data={"author_name": "X", "author_email": "x@example.com", "body": "buy"},
            content_type="application/json",
        )

    first = post(flooder).json()["id"]
    moderator.post(QUEUE, {"action": "ban", "comment": [first]})

    again = post(flooder)
    stranger = post(other)

    assert again.status_code == 202 and again.json()["status"] == "pending"
    assert Comment.objects.get(pk=first).status == "spam"
    assert Comment.objects.get(pk=again.json()["id"]).status == "spam"
    assert Comment.objects.get(pk=stranger.json()["id"]).status == "pending"
    assert not Event.objects.filter(
        type="comment.created", data__id=again.json()["id"]
    ).exists()
