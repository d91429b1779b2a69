"""Webhook signing secrets encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256).

A copy of the database (a backup, a read replica, a leaked dump) must not be enough
to sign webhooks that receivers trust. The secrets are stored as ``fernet:<token>``
and decrypted only when read through the model.

Keys: ``WEBHOOK_SECRET_KEYS``, a list of Fernet keys; the first encrypts, every one
decrypts (``MultiFernet``). Without it, one key is derived from ``SECRET_KEY`` and one
from each of ``SECRET_KEY_FALLBACKS``, so Django's own key rotation carries over.
Rotation (docs/operations.md): put the new key first, keep the old ones after it,
run ``manage.py reencrypt_webhook_secrets``, then drop the old keys.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.crypto import salted_hmac

PREFIX = "fernet:"
DERIVATION_SALT = "publishing.webhooks.encryption"


def _derived_key(secret_key: str) -> bytes:
    digest = salted_hmac(
        DERIVATION_SALT, "webhook-secrets", secret=secret_key, algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest)


def keys() -> list[bytes]:
    configured = [k.strip() for k in settings.WEBHOOK_SECRET_KEYS if k.strip()]
    if configured:
        return [k.encode() for k in configured]
    return [
        _derived_key(k) for k in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ]


def fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys()])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "WEBHOOK_SECRET_KEYS must be Fernet keys (Fernet.generate_key())"
        ) from exc


def encrypt(plaintext: str) -> str:
    return PREFIX + fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption (the migration encrypts these)
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A webhook secret cannot be decrypted with WEBHOOK_SECRET_KEYS (or the "
            "keys derived from SECRET_KEY): was a key dropped before "
            "`manage.py reencrypt_webhook_secrets` ran?"
        ) from exc


def reencrypt(stored: str) -> str:
    """The same secret under the first (newest) key."""
    if not stored:
        return stored
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    token = fernet().rotate(stored[len(PREFIX) :].encode())
    return PREFIX + token.decode()


class EncryptedSecretField(models.TextField):
    """A text field stored encrypted; Python code sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or value.startswith(PREFIX):
            return value
        return encrypt(value)
