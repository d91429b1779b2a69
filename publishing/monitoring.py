"""What the status endpoint reports: worker heartbeats, queue depths, dead letters.

Heartbeats are cache keys with a TTL, written by a thread in each worker's main
process; a worker whose key expired has not been seen for HEARTBEAT_TTL seconds.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cms.celery_app import DEAD_LETTER_KEY, QUEUES

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 5.0
HEARTBEAT_TTL = 30
HEARTBEAT_PREFIX = "publishing:worker:"
_stop = threading.Event()


def record_heartbeat(hostname: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    cache.set(f"{HEARTBEAT_PREFIX}{hostname}", now.isoformat(), HEARTBEAT_TTL)
    known = set(cache.get(f"{HEARTBEAT_PREFIX}names") or [])
    if hostname not in known:
        cache.set(f"{HEARTBEAT_PREFIX}names", sorted(known | {hostname}), None)


def start_heartbeat(hostname: str) -> None:
    _stop.clear()

    def beat() -> None:
        while not _stop.is_set():
            try:
                record_heartbeat(hostname)
            except Exception:
                logger.warning("heartbeat failed", exc_info=True)
            _stop.wait(HEARTBEAT_INTERVAL)

    threading.Thread(target=beat, name="cms-heartbeat", daemon=True).start()


def stop_heartbeat() -> None:
    _stop.set()


def workers_seen() -> list[dict]:
    """``[{"name", "last_seen"}]`` for workers seen within HEARTBEAT_TTL."""
    try:
        names = cache.get(f"{HEARTBEAT_PREFIX}names") or []
        seen = cache.get_many([f"{HEARTBEAT_PREFIX}{n}" for n in names])
    except Exception:
        return []
    workers = []
    for name in names:
        value = seen.get(f"{HEARTBEAT_PREFIX}{name}")
        if value:
            workers.append({"name": name, "last_seen": datetime.fromisoformat(value)})
    return workers


def redis_py_url(broker_url: str) -> str:
    """The broker's address as redis-py spells it.

    Celery (kombu) names a unix socket ``redis+socket:///path?virtual_host=0``
    (the embedded Redis of ``make run``), which redis-py refuses; redis-py's own
    spelling is ``unix:///path?db=0``. TCP URLs are the same for both.
    """
    parts = urlsplit(broker_url)
    if parts.scheme not in ("redis+socket", "socket"):
        return broker_url
    query = dict(parse_qsl(parts.query))
    db = query.pop("virtual_host", None) or query.pop("db", None) or "0"
    query["db"] = db.lstrip("/") or "0"
    return f"unix://{parts.path}?{urlencode(query)}"


def queue_depths() -> dict[str, int] | None:
    """Messages waiting in each Celery queue on the broker; None if unreachable."""
    import redis

    # kombu's Redis transport keeps a queue in a list named after it, plus one list
    # per priority step ("name\x06\x16N").
    try:
        client = redis.Redis.from_url(
            redis_py_url(settings.CELERY_BROKER_URL),
            socket_timeout=1,
            socket_connect_timeout=1,
        )
        pipe = client.pipeline()
        for queue in QUEUES:
            pipe.llen(queue)
            for step in (3, 6, 9):
                pipe.llen(f"{queue}\x06\x16{step}")
        counts = pipe.execute()
    except Exception:
        logger.debug("queue depths: the broker cannot be reached", exc_info=True)
        return None
    return {queue: sum(counts[i * 4 : i * 4 + 4]) for i, queue in enumerate(QUEUES)}


def dead_letters() -> int:
    try:
        client = cache._cache.get_client(write=False)
        return int(client.llen(cache.make_key(DEAD_LETTER_KEY)))
    except Exception:
        return 0
