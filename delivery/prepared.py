"""SQL compiled once per process and shape, run many times with new values.

Building and compiling a Django queryset with the visibility rules (two correlated
subqueries) costs an uncached request more than running it (the share of a cold
list spent in Python compiling expressions: docs/benchmarks-optimisations.md).
A fixed-shape query is therefore compiled once, with placeholder values, and each
run substitutes the real ones (and the clock, which the public querysets read when
compiled: cms/content/visibility.py) at the placeholders' positions.

Placeholders are values no request can produce: strings with NUL bytes (refused
by the API before any query), negative ids, datetimes of 1901.

The statements live in a least-recently-used cache of :data:`MAX_STATEMENTS`: the
shape of a list request is the reader's to choose (limit, ordering, how many values
each filter repeats), and an unbounded cache grew by some 20 KB per shape, for ever.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import DateTimeField
from django.utils import timezone

from cms.content.visibility import COMPILE_NOW

NOW = datetime(1901, 1, 1, tzinfo=UTC)
_DATETIME = DateTimeField()


def placeholder(name: str, kind: type, index: int) -> object:
    """A value for the ``index``-th slot, ``name``, that no request can produce and
    that no other slot of the statement has."""
    if kind is str:
        return f"\x00{name}\x00"
    if kind is int:
        return -900_000_000 - index
    if kind is datetime:
        return NOW + timedelta(days=1 + index)
    raise TypeError(kind)


def _db(value):
    if isinstance(value, datetime):
        return _DATETIME.get_db_prep_value(value, connection)
    return value


@dataclass(frozen=True)
class Prepared:
    sql: str
    params: tuple
    now_at: tuple[int, ...]
    slots: tuple[tuple[int, str], ...]

    def run(self, cursor, values: dict) -> None:
        params = list(self.params)
        now = _db(timezone.now())
        for i in self.now_at:
            params[i] = now
        for i, name in self.slots:
            params[i] = _db(values[name])
        cursor.execute(self.sql, params)

    def fetchall(self, values: dict) -> list[tuple]:
        with connection.cursor() as cursor:
            self.run(cursor, values)
            return cursor.fetchall()


# Enough for every shape real traffic repeats (a few dozen); a stream of new
# shapes only recycles these entries (about 20 KB each).
MAX_STATEMENTS = 256


class StatementCache:
    """A thread-safe least-recently-used mapping of ``maxsize`` entries."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple, Prepared] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Prepared | None:
        with self._lock:
            prepared = self._entries.get(key)
            if prepared is not None:
                self._entries.move_to_end(key)
            return prepared

    def put(self, key: tuple, prepared: Prepared) -> None:
        with self._lock:
            self._entries[key] = prepared
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CACHE = StatementCache(MAX_STATEMENTS)


def prepare(
    key: tuple,
    build: Callable[[dict], tuple[str, list]],
    slots: dict[str, type],
) -> Prepared:
    """The SQL ``build`` returns for placeholder values of ``slots``, compiled once
    per ``key`` (which must name everything else that shapes the SQL)."""
    cache_key = (connection.vendor, *key)
    prepared = _CACHE.get(cache_key)
    if prepared is not None:
        return prepared
    values = {
        name: placeholder(name, kind, i) for i, (name, kind) in enumerate(slots.items())
    }
    token = COMPILE_NOW.set(NOW)
    try:
        sql, params = build(values)
    finally:
        COMPILE_NOW.reset(token)
    by_value = {_db(value): name for name, value in values.items()}
    now = _db(NOW)
    now_at, found = [], []
    for i, param in enumerate(params):
        if param == now:
            now_at.append(i)
        elif isinstance(param, str | int | datetime) and param in by_value:
            found.append((i, by_value[param]))
    prepared = Prepared(sql, tuple(params), tuple(now_at), tuple(found))
    _CACHE.put(cache_key, prepared)
    return prepared
