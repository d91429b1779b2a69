"""First run in production: the admin from the environment, the production
settings' static and media storage (WhiteNoise; S3 as the alternative)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-production-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF",
    "ALLOWED_HOSTS": "cms.example",
    "DATABASE_URL": "postgres://cms@db.invalid:5432/cms",
    "REDIS_URL": "redis://:secret@redis.invalid:6379",
}


def ensure_admin() -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_production_makes_no_admin_without_a_password(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.ADMIN_GENERATE_PASSWORD = False
    settings.ADMIN_PASSWORD = ""
    out = ensure_admin()
    assert "ADMIN_PASSWORD is not set" in out
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert list(tmp_path.iterdir()) == []  # no password made up and kept


@pytest.mark.django_db
def test_production_admin_comes_from_the_environment_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.ADMIN_GENERATE_PASSWORD = False
    settings.ADMIN_USERNAME = "chief"
    settings.ADMIN_EMAIL = "chief@example.com"
    settings.ADMIN_PASSWORD = "first-password-from-env"
    out = ensure_admin()
    assert "Created admin user 'chief'" in out
    assert "first-password-from-env" not in out  # never printed in production
    user = get_user_model().objects.get(username="chief")
    assert user.is_superuser and user.email == "chief@example.com"
    assert user.check_password("first-password-from-env")
    # Every deploy runs it again: an existing superuser is never changed.
    settings.ADMIN_PASSWORD = "another-password"
    ensure_admin()
    user.refresh_from_db()
    assert user.check_password("first-password-from-env")
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_make_run_still_makes_up_a_password_and_keeps_it(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.ADMIN_GENERATE_PASSWORD = True
    settings.ADMIN_PASSWORD = ""
    out = ensure_admin()
    kept = (tmp_path / "admin-password.txt").read_text().strip()
    assert f"/ {kept}" in out
    assert get_user_model().objects.get(username="admin").check_password(kept)


def production_settings(**env: str) -> dict:
    """The production settings as a fresh process loads them from ``env``."""
    code = (
        "import json, django; django.setup();"
        "from django.conf import settings as s;"
        "from django.core.files.storage import storages; d = storages['default'];"
        "print(json.dumps({'middleware': s.MIDDLEWARE, 'storages': s.STORAGES,"
        " 'generate': s.ADMIN_GENERATE_PASSWORD, 'default': type(d).__name__,"
        " 'bucket': getattr(d, 'bucket_name', None),"
        " 'endpoint': getattr(d, 'endpoint_url', None),"
        " 'docs': getattr(s, 'WAGTAILDOCS_SERVE_METHOD', None),"
        " 'url': d.url('images/a.jpg')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("MEDIA_STORAGE",)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_serves_static_through_whitenoise_and_media_from_disk():
    loaded = production_settings()
    middleware = loaded["middleware"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert loaded["storages"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert loaded["default"] == "FileSystemStorage"
    assert loaded["url"] == "/media/images/a.jpg"
    assert loaded["generate"] is False


def test_media_on_an_s3_compatible_store():
    loaded = production_settings(
        MEDIA_STORAGE="s3",
        S3_BUCKET="cms-media",
        S3_ENDPOINT_URL="https://s3.example.net",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
        S3_CUSTOM_DOMAIN="media.example.net",
    )
    assert loaded["default"] == "S3Storage"
    assert (loaded["bucket"], loaded["endpoint"]) == (
        "cms-media",
        "https://s3.example.net",
    )
    # Plain, cacheable URLs on the media domain; documents still through Django.
    assert loaded["url"] == "https://media.example.net/images/a.jpg"
    assert loaded["docs"] == "serve_view"


def test_an_unknown_media_storage_is_refused():
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV, "MEDIA_STORAGE": "ftp"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be filesystem or s3" in result.stderr
