"""Create the first admin user if there is none, and say how to log in.

Credentials come from ADMIN_USERNAME / ADMIN_PASSWORD / ADMIN_EMAIL (see
.env.example). Without a password, `make run` (ADMIN_GENERATE_PASSWORD, on outside
production) generates one once and keeps it in var/admin-password.txt (readable only
by its owner) so that every `make run` can print it again. In production (compose's
one-shot `migrate` service runs this after the migrations) nothing is made up: with
no ADMIN_PASSWORD no user is created, and the command says how to make one. It
never changes an existing superuser, so running it on every deploy is safe.
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
        password = settings.ADMIN_PASSWORD
        generate = settings.ADMIN_GENERATE_PASSWORD
        password_file = settings.VAR_DIR / "admin-password.txt"
        if not password and generate and password_file.exists():
            password = password_file.read_text().strip()
        if User.objects.filter(is_superuser=True).exists():
            if generate and password:
                self.stdout.write(f"Admin login: {username} / {password}")
            else:
                self.stdout.write("Admin login: the existing superuser's credentials")
            return
        if not password and not generate:
            self.stdout.write(
                "No superuser yet, and ADMIN_PASSWORD is not set: set it (with "
                "ADMIN_USERNAME, ADMIN_EMAIL) and run ensure_admin again, or run "
                "manage.py createsuperuser"
            )
            return
        if not password:
            password = secrets.token_urlsafe(12)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.touch(mode=0o600)
            password_file.write_text(password + "\n")
        User.objects.create_superuser(
            username=username, email=settings.ADMIN_EMAIL, password=password
        )
        self.stdout.write(self.style.SUCCESS(f"Created admin user {username!r}"))
        if generate:
            self.stdout.write(f"Admin login: {username} / {password}")
        else:
            self.stdout.write(
                f"Admin login: {username} / the password in ADMIN_PASSWORD"
            )
