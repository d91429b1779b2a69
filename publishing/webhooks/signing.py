"""Secrets and Standard Webhooks signatures (the ``standardwebhooks`` package signs)."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# After a rotation the previous secret keeps signing this long (R9: ≥ 24 h).
ROTATION_OVERLAP = timedelta(hours=24)


def generate_secret() -> str:
    """``whsec_`` + base64 of 32 random bytes (the Standard Webhooks format)."""
    raw = secrets.token_bytes(SECRET_BYTES)
    return SECRET_PREFIX + base64.b64encode(raw).decode("ascii")


def signing_secrets(endpoint, now: datetime | None = None) -> list[str]:
    """The current secret, plus the previous one while its overlap lasts."""
    now = now or timezone.now()
    found = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > now
    ):
        found.append(endpoint.previous_secret)
    return found


def signed_headers(
    webhook_id: str, body: str, secrets_: list[str], at: datetime
) -> dict[str, str]:
    """The three Standard Webhooks headers; one ``v1,`` signature per secret."""
    at = at.astimezone(UTC)
    signatures = [
        Webhook(secret).sign(msg_id=webhook_id, timestamp=at, data=body)
        for secret in secrets_
    ]
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


def rotate_secret(endpoint, now: datetime | None = None) -> str:
    """Give the endpoint a new secret; the old one signs too for a day. Saves."""
    now = now or timezone.now()
    new = generate_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + ROTATION_OVERLAP
    endpoint.secret = new
    endpoint.save(
        update_fields=[
            "secret",
            "previous_secret",
            "previous_secret_expires_at",
            "updated_at",
        ]
    )
    return new
