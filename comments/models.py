"""Reader comments (CONTRACT.md section 6) and each article's comment state.

The author's email is kept for moderation and erasure only: no API, serializer or
export reads it. The submitter's address is kept only as a keyed hash
(:func:`comments.addresses.address_hash`), enough to count and ban, not to recover.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cms.content.models import ArticlePage

# Replies nest at most this deep (a top-level comment is depth 1).
MAX_DEPTH = 3


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="reader_comments"
    )
    # A reply's parent; replies of a comment that is later removed stay (shown
    # top-level by the API: comments/listing.py).
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    depth = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    author_name = models.CharField(max_length=80)
    author_email = models.EmailField(max_length=254)
    body = models.TextField()
    address_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the author was erased (comments.privacy): name and email are gone.
    anonymised = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("moderate_comment", "Can moderate reader comments")]
        indexes = [
            # The API's list: approved comments of one article, oldest first.
            models.Index(
                fields=["article", "created_at", "id"],
                name="comments_approved_by_article",
                condition=models.Q(status="approved"),
            ),
            # The moderation queue, by status, newest first.
            models.Index(fields=["status", "-created_at"], name="comments_queue"),
            models.Index(fields=["author_email"], name="comments_author_email"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"


class CommentThread(models.Model):
    """An article's comment state, set by moderators; no row means open."""

    article = models.OneToOneField(
        ArticlePage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="comment_thread",
    )
    closed = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"comments on {self.article_id}: {'closed' if self.closed else 'open'}"


class BannedAddress(models.Model):
    """A submitter's address (its keyed hash) whose comments go straight to spam,
    answered as any other submission (202, pending): the sender learns nothing."""

    address_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"banned {self.address_hash[:12]}…"
