"""Webhook endpoints, their deliveries (one per event and endpoint) and the attempt log.

The schedule of pending attempts is ``Delivery.next_attempt_at``: the database is the
truth, the beat sweep enqueues what is due, and a countdown never carries a long wait.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from publishing.webhooks.encryption import EncryptedSecretField

# The contract's event types (publishing.events.EVENT_TYPES), repeated here as choices
# so that this module imports nothing from the pipeline at load time.
EVENT_CHOICES = [
    ("article.published", "Article published"),
    ("article.unpublished", "Article unpublished"),
    ("article.updated", "Article updated"),
    ("article.scheduled", "Article scheduled"),
    ("article.unscheduled", "Article unscheduled"),
    ("release.published", "Release published"),
    ("release.failed", "Release failed"),
    ("release.unscheduled", "Release unscheduled"),
]
EVENT_TYPES = tuple(value for value, _ in EVENT_CHOICES)


def all_event_types() -> list[str]:
    return list(EVENT_TYPES)


class Endpoint(models.Model):
    """A receiver URL, the events it hears of, and its signing secret."""

    url = models.URLField(max_length=2048)
    description = models.CharField(max_length=255, blank=True, default="")
    events = models.JSONField(
        default=all_event_types, help_text="The event types sent to this endpoint."
    )
    active = models.BooleanField(default=True)
    # Why the endpoint was disabled (a 410, five days of failures, or by hand);
    # empty while active.
    disabled_reason = models.CharField(max_length=255, blank=True, default="")
    disabled_at = models.DateTimeField(null=True, blank=True)
    # ``whsec_`` + base64 of 32 random bytes. Shown once when created (or rotated),
    # then only used for signing. Encrypted at rest (webhooks/encryption.py).
    secret = EncryptedSecretField(editable=False)
    # After a rotation the old secret also signs until this time, so receivers can
    # switch over without dropping a message (two signatures in the header).
    previous_secret = EncryptedSecretField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Set by the first failed attempt after a success (or ever), cleared by a
    # success: "every attempt has failed since". Drives the 5-day auto-disable.
    failing_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["failing_since"],
                name="webhooks_endpoint_failing",
                condition=models.Q(active=True, failing_since__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in (self.events or [])


class Delivery(models.Model):
    """One event for one endpoint: the same ``webhook_id`` and body on every attempt."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_uuid = models.UUIDField()
    event_type = models.CharField(max_length=64)
    # The exact JSON body sent (and signed) on every attempt.
    payload = models.TextField()
    webhook_id = models.CharField(max_length=80, unique=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Attempts in the current round (a manual redelivery starts a new round).
    attempt_count = models.PositiveIntegerField(default=0)
    # When the next attempt is due (pending only). While an attempt runs it holds
    # the lease's end, so a worker lost mid-attempt is retried by the sweep.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Until then a task for this delivery is believed to be on the queue; the sweep
    # re-enqueues a due delivery only after it, so a lost message costs a delay.
    queued_until = models.DateTimeField(null=True, blank=True)
    # The claim of the attempt in flight: only its holder may record the outcome.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event_uuid", "endpoint"], name="webhooks_one_delivery"
            )
        ]
        indexes = [
            # The sweep's query: due pending deliveries.
            models.Index(
                fields=["next_attempt_at"],
                name="webhooks_delivery_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhooks_log"),
            models.Index(fields=["created_at"], name="webhooks_delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.webhook_id})"


class Attempt(models.Model):
    """One HTTP attempt of a delivery, as it happened."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempts"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True, default="")
    # The first 4 KB of the response body, decoded leniently.
    response_excerpt = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
