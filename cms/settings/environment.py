"""Parsing of the URLs the environment hands us, with errors a person can act on,
and the secret key checks.

A bad ``DATABASE_URL`` or ``REDIS_URL`` must stop the process at start with one clear
line, not a traceback from deep inside a database driver minutes later. A production
process refuses a missing, weak or development ``SECRET_KEY`` the same way.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

DATABASE_SCHEMES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}
REDIS_SCHEMES = {"redis", "rediss", "unix"}


def parse_database_url(url: str) -> dict:
    """Return a Django ``DATABASES`` entry for ``url`` or raise ImproperlyConfigured."""
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL {url!r} is not understood: expected "
            "postgres://user:password@host:port/name or sqlite:///path/to/file.sqlite3"
        )
    config = environ.Env.db_url_config(url)
    config["ENGINE"] = DATABASE_SCHEMES[scheme]
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(
            f"DATABASE_URL {url!r} names no database: add it after the last '/'"
        )
    if scheme == "sqlite" and config.get("NAME") not in ("", ":memory:"):
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    return config


def validate_redis_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in REDIS_SCHEMES:
        raise ImproperlyConfigured(
            f"REDIS_URL {url!r} is not understood: expected redis://host:port, "
            "rediss://host:port or unix:///path/to/redis.sock"
        )
    if parts.scheme == "unix" and not parts.path:
        raise ImproperlyConfigured(f"REDIS_URL {url!r} names no socket path")
    if parts.scheme != "unix" and not parts.hostname:
        raise ImproperlyConfigured(f"REDIS_URL {url!r} names no host")
    try:
        parts.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError as exc:
        raise ImproperlyConfigured(f"REDIS_URL {url!r}: {exc}") from None
    return url


def redis_database_url(url: str, db: int, *, for_celery: bool = False) -> str:
    """The URL of Redis database ``db`` on the server ``url`` points at.

    Cache, broker and results live in separate databases of one server. Celery (kombu)
    spells a unix socket ``redis+socket://`` with ``virtual_host``; redis-py spells it
    ``unix://`` with ``db``.
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.scheme == "unix":
        if for_celery:
            query.pop("db", None)
            query["virtual_host"] = str(db)
            return f"redis+socket://{parts.path}?{urlencode(query)}"
        query["db"] = str(db)
        return f"unix://{parts.path}?{urlencode(query)}"
    netloc = parts.netloc
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{parts.scheme}://{netloc}/{db}{suffix}"


DEVELOPMENT_KEY_FILE = "development-secret-key"


def development_secret_key(var_dir: Path) -> str:
    """This checkout's development SECRET_KEY, made on first use under ``var_dir``.

    Random per checkout and never committed (``var/`` is ignored), so a key read in
    the repository forges nothing anywhere. The file is private to its owner and
    created atomically: the processes ``make run`` starts at once agree on one key.
    """
    var_dir = Path(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / DEVELOPMENT_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if key:
            return key
        # A file left empty by an interrupted first start: try again.
        path.unlink(missing_ok=True)
        return development_secret_key(var_dir)
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def is_development_key(key: str, var_dir: Path) -> bool:
    """Whether ``key`` is this checkout's development key (refused in production)."""
    path = Path(var_dir) / DEVELOPMENT_KEY_FILE
    try:
        return path.read_text().strip() == key
    except OSError:
        return False


def weak_secret_key(key: str) -> str | None:
    """Why ``key`` is unfit for production, or ``None`` (Django's own deploy check:
    at least 50 characters, 5 distinct ones, not a ``django-insecure-`` key)."""
    if len(key) < 50 or len(set(key)) < 5:
        return "it must be a random value of at least 50 characters"
    if key.startswith("django-insecure-"):
        return "a django-insecure- key is a development key"
    return None
