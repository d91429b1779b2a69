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


def test_production_refuses_the_development_secret_key(tmp_path):
    from cms.settings.base import DEV_SECRET_KEY

    result = run_manage_check(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": DEV_SECRET_KEY,
            "ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cms",
            "REDIS_URL": "redis://127.0.0.1:6379",
        }
    )
    assert result.returncode != 0
    assert "development key is refused" in result.stderr


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
            "SECRET_KEY": "k" * 50,
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
