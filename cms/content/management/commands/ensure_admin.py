"""Create the first admin user if there is none, and say how to log in.

Credentials come from ADMIN_USERNAME / ADMIN_PASSWORD (see .env.example); without a
password, one is generated once and kept in var/admin-password.txt (readable only by
its owner) so that every `make run` can print it again.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin user if no superuser exists, and print how to log in."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        username = settings.ADMIN_USERNAME
        password_file = settings.VAR_DIR / "admin-password.txt"
        password = settings.ADMIN_PASSWORD
        if not password and password_file.exists():
            password = password_file.read_text().strip()
        if not User.objects.filter(is_superuser=True).exists():
            if not password:
                password = secrets.token_urlsafe(12)
                password_file.parent.mkdir(parents=True, exist_ok=True)
                password_file.touch(mode=0o600)
                password_file.write_text(password + "\n")
            User.objects.create_superuser(
                username=username, email=settings.ADMIN_EMAIL, password=password
            )
            self.stdout.write(self.style.SUCCESS(f"Created admin user {username!r}"))
        if password:
            self.stdout.write(f"Admin login: {username} / {password}")
        else:
            self.stdout.write("Admin login: the existing superuser's credentials")
