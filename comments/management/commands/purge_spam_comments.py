"""Delete spam older than COMMENT_SPAM_RETENTION_DAYS now (the beat does it hourly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from comments.privacy import purge_spam


class Command(BaseCommand):
    help = "Delete spam comments older than COMMENT_SPAM_RETENTION_DAYS."

    def handle(self, **options) -> None:
        self.stdout.write(f"Deleted {purge_spam()} spam comment(s).")
