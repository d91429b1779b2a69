"""cms/cache_backend.py: an unreachable Redis reads as a miss, not an error."""

from __future__ import annotations

import logging
import time

import pytest
import redis
from django.core.cache import cache

from cms import cache_backend
from cms.cache_backend import ConnectionPool, report, unavailable


@pytest.fixture
def up():
    cache.clear()
    yield cache
    cache.clear()


def test_reads_are_misses_and_writes_are_dropped_while_redis_is_down(redis_down):
    with redis_down():
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        assert cache.set("k", 1) is None
        assert sorted(cache.set_many({"a": 1, "b": 2})) == ["a", "b"]
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.delete_many(["a", "b"]) is None
        assert cache.get_or_set("k", lambda: "computed") == "computed"


def test_claims_and_counters_still_raise_while_redis_is_down(redis_down):
    # A claim or a counter has no honest miss: each caller decides (rate limits
    # let the request through, the sweep sends its reminder anyway).
    with redis_down():
        with pytest.raises(redis.ConnectionError):
            cache.add("k", 1)
        with pytest.raises(redis.ConnectionError):
            cache.incr("k")


def test_with_redis_up_it_is_djangos_redis_cache(up):
    cache.set("k", {"v": 1})
    assert cache.get("k") == {"v": 1}
    assert cache.get_or_set("n", 5) == 5
    assert cache.incr("n") == 6
    assert cache.add("n", 0) is False
    assert cache.get_many(["k", "missing"]) == {"k": {"v": 1}}


def test_errors_that_are_not_an_outage_still_raise(up):
    cache.set("k", "not a number")
    with pytest.raises(redis.ResponseError):
        cache.incr("k")


@pytest.mark.parametrize(
    "exc, expected",
    [
        (redis.ConnectionError("Connection refused"), True),
        (redis.TimeoutError("Timeout reading from socket"), True),
        (redis.exceptions.BusyLoadingError("LOADING"), True),
        (redis.exceptions.ReadOnlyError("READONLY"), True),
        (redis.exceptions.OutOfMemoryError("OOM command not allowed"), True),
        (redis.ResponseError("MISCONF Redis is configured to save RDB"), True),
        (redis.ResponseError("WRONGTYPE Operation against a key"), False),
        (redis.DataError("Invalid input"), False),
        (ValueError("Key not found"), False),
    ],
)
def test_what_counts_as_redis_unavailable(exc, expected):
    assert unavailable(exc) is expected


def test_after_a_failed_connect_the_server_is_not_tried_again_at_once(
    redis_down, monkeypatch
):
    connects = []
    real = redis.Connection.connect

    def counting(self, *args, **kwargs):
        connects.append(self.port)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(redis.Connection, "connect", counting)
    monkeypatch.setattr(cache_backend, "RETRY_AFTER", 0.3)
    with redis_down():
        for _ in range(20):
            cache.get("k")
        assert len(connects) == 1
        time.sleep(0.35)
        cache.get("k")
        assert len(connects) == 2


def test_the_breaker_covers_raw_clients_of_the_cache(redis_down):
    with redis_down():
        cache.get("k")  # opens it
        client = cache._cache.get_client(write=True)
        with pytest.raises(redis.ConnectionError, match="not retried yet"):
            client.get("k")


def test_an_outage_is_logged_once_per_interval_per_place(caplog):
    down = redis.ConnectionError("Connection refused")
    with caplog.at_level(logging.WARNING, logger="cms.cache_backend"):
        for _ in range(50):
            report(down, "test place A")
        report(down, "test place B")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert "test place A" in lines[0] and "Connection refused" in lines[0]


def test_a_bug_is_logged_with_its_traceback_every_time(caplog):
    with caplog.at_level(logging.WARNING, logger="cms.cache_backend"):
        for _ in range(3):
            report(ValueError("bad"), "test place C")
    assert len(caplog.records) == 3
    assert all(r.exc_info for r in caplog.records)


def test_the_pool_is_the_breakers(settings):
    assert settings.CACHES["default"]["BACKEND"] == (
        "cms.cache_backend.ResilientRedisCache"
    )
    assert isinstance(cache._cache._get_connection_pool(write=True), ConnectionPool)
