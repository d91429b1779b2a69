"""``manage.py reencrypt_webhook_secrets``: store every webhook secret under the
first key of WEBHOOK_SECRET_KEYS (the step of a key rotation; docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from publishing.webhooks.encryption import reencrypt
from publishing.webhooks.models import Endpoint


class Command(BaseCommand):
    help = "Re-encrypt webhook signing secrets under the newest key."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            rows = Endpoint.objects.select_for_update().values_list(
                "id", "secret", "previous_secret"
            )
            for endpoint_id, secret, previous in rows:
                # values_list goes through from_db_value: these are plaintext.
                Endpoint.objects.filter(id=endpoint_id).update(
                    secret=reencrypt(secret), previous_secret=reencrypt(previous)
                )
                count += 1
        self.stdout.write(f"re-encrypted the secrets of {count} endpoint(s)")
