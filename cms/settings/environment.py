"""Parsing of the URLs the environment hands us, with errors a person can act on.

A bad ``DATABASE_URL`` or ``REDIS_URL`` must stop the process at start with one clear
line, not a traceback from deep inside a database driver minutes later.
"""

from __future__ import annotations

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
