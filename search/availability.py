"""Is the search engine answering? A per-process circuit breaker, and the status.

When OpenSearch is the ``default`` backend and a call to it fails for a reason that
is not the query's (it does not answer, times out, answers 5xx or 429, or has no
index yet), :func:`mark_down` opens the breaker: for ``RETRY_AFTER_S`` this process
sends nothing to it. Public search answers from the database backend meanwhile
(search/query.py, search/suggest.py) and index writes leave their pending rows for
the sweep (search/indexing.py), so an outage costs neither a reader's request a
timeout per query nor an editor's change. The first call after the pause tries
again. Per process and in memory on purpose: it must work when Redis is down too.

:func:`search.status.search_status` is what the publishing status endpoint reports.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)

# Pause after a failure before this process tries the engine again.
RETRY_AFTER_S = 5.0
# The status endpoint's own probe: short, it must not hang on a dead engine.
PROBE_TIMEOUT_S = 1.0

_lock = threading.Lock()
_down_until = 0.0
_last_error = ""
# Searches and suggests answered by the database instead, in this process.
fallbacks = 0


class SearchUnavailable(Exception):
    """The search engine cannot answer now (not: the query is wrong)."""


def engine_usable() -> bool:
    return time.monotonic() >= _down_until


def mark_down(error: BaseException | str) -> None:
    global _down_until, _last_error
    with _lock:
        first = time.monotonic() >= _down_until
        _down_until = time.monotonic() + RETRY_AFTER_S
        _last_error = f"{type(error).__name__}: {error}"[:300]
    if first:
        logger.warning("search engine unavailable, using the database: %s", error)


def mark_up() -> None:
    global _down_until, _last_error
    with _lock:
        _down_until = 0.0
        _last_error = ""


def last_error() -> str:
    return _last_error


def note_fallback(error: SearchUnavailable) -> None:
    """A search or suggest is answered by the database instead of the engine."""
    global fallbacks
    fallbacks += 1
    logger.debug("search answered by the database: %s", error)
