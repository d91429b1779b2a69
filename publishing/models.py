"""The publishing pipeline's tables: the event outbox, schedule time zones, releases.

The schedule itself is Wagtail's own: ``Revision.approved_go_live_at`` (a revision
approved to go live at T) and ``Page.expire_at`` (a live page to unpublish at T).
Every door (admin form, moderation workflow, Wagtail API v3, our publishing API)
ends there, so there is no mirror to drift; ``publishing/sweep.py`` sweeps those
fields and acts on them under a row lock.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class Event(models.Model):
    """A domain event in the outbox, written in the transaction of its change."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=64, db_index=True)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set once the after-commit dispatch reached the broker; the outbox sweep
    # re-sends events that still lack it.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Set once every registered subscriber has handled the event.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="publishing_event_incomplete",
                condition=models.Q(completed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.uuid}"


class EventDelivery(models.Model):
    """One subscriber's receipt of one event: the row that makes delivery once-only."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="receipts")
    subscriber = models.CharField(max_length=64)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscriber"], name="publishing_one_receipt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscriber}"


class ScheduleZone(models.Model):
    """The IANA time zone a page's pending schedule was made in (for display).

    Times are stored in UTC on Wagtail's fields; the zone is what the editor or
    scheduler meant, so that the calendar shows "09:00 Europe/London".
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    time_zone = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.page_id}: {self.time_zone}"


class Release(ClusterableModel):
    """A set of articles that go live together, in one transaction, at one time."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        SCHEDULED = "scheduled"
        PUBLISHED = "published"
        FAILED = "failed"

    title = models.CharField(max_length=255)
    publish_at = models.DateTimeField(null=True, blank=True, db_index=True)
    time_zone = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # [{"article_id": int, "reason": str}] when the release failed.
    failures = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("publish_at"),
        FieldPanel("time_zone"),
        InlinePanel("items", label="Articles"),
    ]

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReleaseItem(Orderable):
    """An article in a release and the revision captured when it was scheduled.

    ``article_id`` is kept as a plain number so that a release whose article was
    deleted after scheduling can still say which article it was.
    """

    release = ParentalKey(Release, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article_id = models.PositiveIntegerField(default=0, editable=False)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    panels = [FieldPanel("page")]

    def save(self, *args, **kwargs):
        if self.page_id:
            self.article_id = self.page_id
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.release_id}: {self.article_id}"


class TokenGrant(models.Model):
    """What an API token (Wagtail's ``APIToken``) may do, and until when.

    A token acts with its user's page permissions, narrowed to its scopes
    (``publishing.tokens.SCOPES``) and refused after ``expires_at``. A token without
    a grant (made by Wagtail's own form or command) has no scope: it is refused.
    """

    token = models.OneToOneField(
        "wagtailcore.APIToken", on_delete=models.CASCADE, related_name="grant"
    )
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.token_id}: {', '.join(self.scopes)}"

    def expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (
            now or timezone.now()
        )


class ArticleChange(models.Model):
    """One line of the change log that ``/api/v1/sync/`` reads (CONTRACT section 5):
    an article became or stayed public with new JSON (``upsert``) or stopped being
    public (``delete``). Written in the transaction of the change that causes it,
    under a lock that makes the id order the commit order (publishing/changes.py).
    No foreign key: a deleted article's ``delete`` outlives it."""

    UPSERT = "upsert"
    DELETE = "delete"

    id = models.BigAutoField(primary_key=True)
    article_id = models.IntegerField()
    slug = models.CharField(max_length=255)
    url = models.TextField()
    change = models.CharField(
        max_length=6, choices=[(UPSERT, "upsert"), (DELETE, "delete")]
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["article_id", "id"], name="publishing_change_article")
        ]

    def __str__(self) -> str:
        return f"{self.change} {self.article_id} ({self.url})"
