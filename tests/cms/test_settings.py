import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import (
    parse_database_url,
    redis_database_url,
    validate_redis_url,
)

ROOT = Path(__file__).resolve().parents[2]


def test_postgres_url_becomes_a_postgres_database():
    config = parse_database_url("postgres://u:p@db.example:5433/cms")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == (
        "db.example",
        5433,
        "cms",
    )


def test_sqlite_url_becomes_a_sqlite_database(tmp_path):
    config = parse_database_url(f"sqlite:///{tmp_path}/sub/cms.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert (tmp_path / "sub").is_dir()


@pytest.mark.parametrize(
    "url", ["mysql://x@y/z", "not a url", "postgres://host:5432/", "", "http://x/y"]
)
def test_bad_database_url_is_a_clear_error(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url)


@pytest.mark.parametrize(
    "url", ["http://localhost:6379", "redis://", "redis://host:port", "unix://"]
)
def test_bad_redis_url_is_a_clear_error(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        validate_redis_url(url)


def test_cache_broker_and_results_use_separate_redis_databases():
    assert redis_database_url("redis://h:6379", 1) == "redis://h:6379/1"
    assert redis_database_url("redis://h:6379/0", 2) == "redis://h:6379/2"
    assert (
        redis_database_url("unix:///v/redis.sock", 0, for_celery=True)
        == "redis+socket:///v/redis.sock?virtual_host=0"
    )
    assert redis_database_url("unix:///v/redis.sock", 1) == "unix:///v/redis.sock?db=1"


def run_manage_check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_with_bad_database_url_fails_with_one_clear_line(tmp_path):
    result = run_manage_check(
        {"DATABASE_URL": "mysqll://oops", "VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "Configuration error: DATABASE_URL 'mysqll://oops' is not understood"
    )


PRODUCTION_SERVICES = {
    "ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cms",
    "REDIS_URL": "redis://127.0.0.1:6379",
}


def test_production_refuses_the_checkouts_development_key(tmp_path):
    from cms.settings.environment import development_secret_key

    key = development_secret_key(tmp_path)
    result = run_manage_check(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "VAR_DIR": str(tmp_path),
            "SECRET_KEY": key,
            **PRODUCTION_SERVICES,
        }
    )
    assert result.returncode != 0
    assert "development key is refused" in result.stderr


@pytest.mark.parametrize(
    "key", ["short", "django-insecure-" + "x" * 50, "ab" * 30, "dev-insecure-change-me"]
)
def test_production_refuses_weak_secret_keys(key):
    result = run_manage_check(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": key,
            **PRODUCTION_SERVICES,
        }
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def run_without_settings(code: list[str], env_overrides: dict | None = None):
    """Run with no DJANGO_SETTINGS_MODULE and no SECRET_KEY: the bare default."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(env_overrides or {})
    return subprocess.run(
        code, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_py_defaults_to_production_and_refuses_to_start_without_a_key():
    result = run_without_settings([sys.executable, "manage.py", "check"])
    assert result.returncode != 0
    assert "Configuration error" in result.stderr and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("module", ["cms.wsgi", "cms.asgi"])
def test_web_entry_points_default_to_production_and_refuse_to_start(module):
    result = run_without_settings([sys.executable, "-c", f"import {module}"])
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_celery_app_defaults_to_production_settings():
    result = run_without_settings(
        [
            sys.executable,
            "-c",
            "import os, cms.celery_app; print(os.environ['DJANGO_SETTINGS_MODULE'])",
        ]
    )
    assert result.stdout.strip() == "cms.settings.production", result.stderr


def test_development_key_is_random_per_checkout_private_and_stable(tmp_path):
    from cms.settings.environment import development_secret_key

    first = development_secret_key(tmp_path / "a")
    assert development_secret_key(tmp_path / "a") == first
    assert development_secret_key(tmp_path / "b") != first
    assert len(first) >= 50
    (key_file,) = (tmp_path / "a").iterdir()
    assert key_file.stat().st_mode & 0o077 == 0


def test_development_settings_use_the_generated_key(tmp_path):
    result = run_without_settings(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        {"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    from cms.settings.environment import development_secret_key

    assert result.stdout.strip() == development_secret_key(tmp_path)


def test_no_secret_key_is_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "cms", "bench", "var"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert not [f for f in tracked if f.startswith("var/")]
    for name in tracked:
        if name.endswith(".py") and not name.startswith("tests/"):
            text = (ROOT / name).read_text()
            assert 'SECRET_KEY = "' not in text, name
            assert "dev-insecure" not in text, name


def test_production_requires_a_secret_key():
    result = run_manage_check(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cms",
            "REDIS_URL": "redis://127.0.0.1:6379",
        }
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = run_manage_check(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "k9" * 20 + "abcdefghij",
            "ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cms",
            "REDIS_URL": "redis://127.0.0.1:6379",
        }
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile_web_queries():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
