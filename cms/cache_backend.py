"""Django's Redis cache, where an unreachable Redis is a cache miss, not an error.

Everything the site reads through the cache (Wagtail's site root paths, image
renditions, the delivery API's response cache and counters, worker heartbeats) can
be answered from the database or skipped, so a Redis outage must cost speed, never
a 5xx (docs/operations.md, "Failures"). This is the one place that says so, in the
manner of django-redis's ``IGNORE_EXCEPTIONS``:

- reads (``get``, ``get_many``, ``has_key``) answer as if the key were missing;
- writes (``set``, ``set_many``, ``touch``, ``delete``, ``delete_many``) are dropped;
- ``add``, ``incr``/``decr`` and ``clear`` still raise: a claim or a counter has no
  honest "miss", so each caller decides what Redis being down means for it (rate
  limits let the request through, the sweep sends its reminder anyway).

Only Redis being unavailable is absorbed (:func:`unavailable`: a refused or timed-out
connection, a server still loading, read-only after a failover, out of memory or
unable to persist); any other error is a bug and still raises.

:class:`ConnectionPool` puts a short circuit breaker under every client of this
cache, the backend's own and the raw ones taken from it (``cache._cache.get_client``):
after a failed connect, connections to that server fail at once for
:data:`RETRY_AFTER` seconds, so a Redis that times out (a dead host, a partition)
costs one connect timeout per process per interval, not one per cache call.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from cms.cache_serializer import UnreadableValue

logger = logging.getLogger(__name__)

# After a failed connect, how long connections to that server fail without trying.
# Short: the first request a second after Redis returns uses it again.
RETRY_AFTER = 1.0
# While Redis stays down every request would say so: one line per this many seconds
# per place that noticed.
LOG_EVERY = 10.0

_UNAVAILABLE = (
    redis.ConnectionError,  # refused, reset, unreachable, LOADING
    redis.TimeoutError,
    redis.exceptions.ReadOnlyError,  # a replica after a failover
    redis.exceptions.OutOfMemoryError,  # maxmemory reached with noeviction
)


def unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says Redis cannot serve now (rather than a misuse of it)."""
    if isinstance(exc, _UNAVAILABLE):
        return True
    # A server that cannot write its snapshot refuses writes until it can.
    return isinstance(exc, redis.ResponseError) and str(exc).startswith("MISCONF")


_logged_at: dict[str, float] = {}
_log_lock = threading.Lock()


def report(exc: BaseException, where: str) -> None:
    """Log a failed cache call: Redis being unavailable at most once per LOG_EVERY
    seconds per ``where``, without a traceback; anything else with its traceback."""
    if not unavailable(exc):
        logger.error("cache call failed in %s", where, exc_info=exc)
        return
    now = time.monotonic()
    with _log_lock:
        if now - _logged_at.get(where, -LOG_EVERY) < LOG_EVERY:
            return
        _logged_at[where] = now
    logger.warning(
        "redis unavailable (%s: %s): %s served without the cache until it returns",
        type(exc).__name__,
        exc,
        where,
    )


class ConnectionPool(redis.ConnectionPool):
    """redis-py's pool with a per-process circuit breaker in front of its connects."""

    # Per server (host, port, unix path), whatever the database number: when
    # connecting may be tried again.
    down_until: dict[tuple, float] = {}

    @property
    def server(self) -> tuple:
        kwargs = self.connection_kwargs
        return (kwargs.get("host"), kwargs.get("port"), kwargs.get("path"))

    def get_connection(self, *args, **kwargs):
        server = self.server
        until = self.down_until.get(server)
        if until is not None and time.monotonic() < until:
            raise redis.ConnectionError(
                f"redis was unreachable less than {RETRY_AFTER} s ago; not retried yet"
            )
        try:
            connection = super().get_connection(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            self.down_until[server] = time.monotonic() + RETRY_AFTER
            raise
        if until is not None and self.down_until.pop(server, None) is not None:
            logger.warning("redis answers again: cache in use")
        return connection


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, pool_class=None, **options) -> None:
        super().__init__(servers, pool_class=pool_class or ConnectionPool, **options)

    # A value the serializer cannot read (a pickle from before the JSON serializer,
    # or one planted in Redis) is a miss: the caller recomputes and overwrites it.
    def get(self, key, default):
        try:
            return super().get(key, default)
        except UnreadableValue:
            return default

    def get_many(self, keys):
        values = self.get_client(None).mget(keys)
        found = {}
        for key, value in zip(keys, values, strict=True):
            if value is None:
                continue
            try:
                found[key] = self._serializer.loads(value)
            except UnreadableValue:
                continue
        return found


def _absorbing(answer):
    """The wrapped cache call, or ``answer(*args, **kwargs)`` if Redis is down."""

    def decorate(method):
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except redis.RedisError as exc:
                if not unavailable(exc):
                    raise
                report(exc, f"cache.{method.__name__}")
                return answer(*args, **kwargs)

        call.__name__ = method.__name__
        call.__qualname__ = method.__qualname__
        return call

    return decorate


def _default(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that degrades to misses."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

    @_absorbing(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_absorbing(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_absorbing(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_absorbing(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    # Django's contract: set_many answers the keys it could not store.
    @_absorbing(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_absorbing(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_absorbing(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_absorbing(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        # BaseCache's stores with add(), which raises while Redis is down.
        value = self.get(key, self._missing_key, version=version)
        if value is not self._missing_key:
            return value
        if callable(default):
            default = default()
        try:
            self.add(key, default, timeout=timeout, version=version)
        except redis.RedisError as exc:
            if not unavailable(exc):
                raise
            report(exc, "cache.get_or_set")
            return default
        return self.get(key, default, version=version)
