"""Webhooks: signed, retried, logged HTTP deliveries of publishing events.

This package is also a Django app (label ``webhooks``), so importing it must not
import models: the two entry points other code calls are thin lazy wrappers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from publishing.models import Event


def handle_event(event: Event) -> None:
    """The outbox subscriber (``publishing.events.SUBSCRIBERS["webhooks"]``)."""
    from publishing.webhooks.delivery import handle_event as _handle_event

    _handle_event(event)


def failing_endpoint_ids() -> list[int]:
    """Endpoints that are disabled, or whose every attempt lately has failed."""
    from publishing.webhooks.health import failing_endpoint_ids as _failing

    return _failing()
