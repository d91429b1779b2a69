"""Endpoint health: disabling after a 410 or five days of failures, and re-enabling."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from publishing.webhooks.models import Delivery, Endpoint

logger = logging.getLogger(__name__)

# An endpoint whose every attempt has failed for this long is disabled (CONTRACT 4).
FAILING_DISABLE_AFTER = timedelta(days=5)
GONE_REASON = "The endpoint answered 410 Gone."
FAILING_REASON = "Every delivery attempt has failed for 5 days."


def failing_endpoint_ids() -> list[int]:
    """Disabled endpoints and those whose attempts have all failed since a time."""
    return list(
        Endpoint.objects.filter(Q(active=False) | Q(failing_since__isnull=False))
        .order_by("id")
        .values_list("id", flat=True)
    )


def disable_endpoint(
    endpoint_id: int, reason: str, now: datetime | None = None
) -> bool:
    """Disable an endpoint and fail its pending deliveries (no flood on re-enable)."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = Endpoint.objects.filter(id=endpoint_id, active=True).update(
            active=False, disabled_reason=reason[:255], disabled_at=now, updated_at=now
        )
        Delivery.objects.filter(
            endpoint_id=endpoint_id, status=Delivery.Status.PENDING
        ).update(
            status=Delivery.Status.FAILED,
            next_attempt_at=None,
            claim=None,
            updated_at=now,
        )
    if changed:
        # WARNING so that log-based alerting tells the endpoint's owner.
        logger.warning("webhook endpoint %s disabled: %s", endpoint_id, reason)
    return bool(changed)


def enable_endpoint(endpoint: Endpoint) -> None:
    """Re-enable (an editor's act): the failure clock starts again from zero."""
    endpoint.active = True
    endpoint.disabled_reason = ""
    endpoint.disabled_at = None
    endpoint.failing_since = None


def disable_failing_endpoints(now: datetime | None = None) -> list[int]:
    """Disable every active endpoint that has failed every attempt for 5 days."""
    now = now or timezone.now()
    ids = list(
        Endpoint.objects.filter(
            active=True, failing_since__lte=now - FAILING_DISABLE_AFTER
        ).values_list("id", flat=True)
    )
    return [i for i in ids if disable_endpoint(i, FAILING_REASON, now=now)]
