"""Production hardening (issue 17, item 11): `manage.py check --deploy` is clean under
the production settings; HTTPS, HSTS and the proxy header follow the settings; admin
logins are throttled (django-axes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "production-check-" + "k9Zq" * 12,
    "ALLOWED_HOSTS": "cms.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cms",
    "REDIS_URL": "redis://127.0.0.1:6379",
}


def production(code: list[str], **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "AXES"))}
    env.pop("TRUSTED_PROXY_COUNT", None)
    env.update(PRODUCTION, **extra)
    return subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def setting(name: str, **extra: str) -> str:
    code = "import django; django.setup(); from django.conf import settings; "
    code += f"print(repr(getattr(settings, {name!r}, None)))"
    result = production(["-c", code], **extra)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_under_production_settings():
    result = production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts():
    assert setting("SECURE_SSL_REDIRECT") == "True"
    assert setting("SECURE_HSTS_SECONDS") == "31536000"
    assert setting("SECURE_SSL_REDIRECT", SECURE_SSL_REDIRECT="false") == "False"


def test_the_proxy_header_is_trusted_only_when_a_proxy_is_declared():
    assert setting("SECURE_PROXY_SSL_HEADER") == "None"
    assert setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


@pytest.mark.django_db
def test_admin_logins_are_throttled_per_username_and_address(
    django_user_model, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_superuser("editor", "e@example.com", "right")
    url = reverse("wagtailadmin_login")
    attacker = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [
        attacker.post(url, {"username": "editor", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]  # the form again, then locked out
    locked = attacker.post(url, {"username": "editor", "password": "right"})
    assert locked.status_code == 429
    # The editor at another address is not locked out by someone else's guesses.
    office = Client(REMOTE_ADDR="10.2.2.2")
    response = office.post(url, {"username": "editor", "password": "right"})
    assert response.status_code == 302
