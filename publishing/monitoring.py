"""What the status endpoint reports (and the admin dashboard's health panel draws):
worker heartbeats, queue depths, dead letters, the sweep, overdue items, risks.

Heartbeats are cache keys with a TTL, written by a thread in each worker's main
process; a worker whose key expired has not been seen for HEARTBEAT_TTL seconds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Revision

from cms.celery_app import DEAD_LETTER_KEY, QUEUES
from publishing import permissions, releases, sweep
from publishing.webhooks import health

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 5.0
HEARTBEAT_TTL = 30
HEARTBEAT_PREFIX = "publishing:worker:"
# The status endpoint calls the pipeline unhealthy past these.
OVERDUE_UNHEALTHY_S = 10
SWEEP_STALE_S = 30
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


# What the apps above publishing add to the status, registered in their
# AppConfig.ready(): name -> a function of no arguments (search: the index lag).
PROBES: dict[str, Callable[[], Any]] = {}


def _probe(name: str, default):
    """A registered probe's reading; ``default`` if none is registered or it fails."""
    function = PROBES.get(name)
    if function is None:
        return default
    try:
        return function()
    except Exception:
        return default


def _visible_overdue(user, overdue):
    """The oldest overdue item if ``user`` may see it (its page or release)."""
    if overdue is None or user is None:
        return overdue
    if overdue.kind == sweep.RELEASE:
        visible = permissions.releases_for(user).filter(pk=overdue.id).exists()
    else:
        page_id = overdue.id
        if overdue.kind == sweep.PUBLISH:
            page_id = (
                Revision.objects.filter(pk=overdue.id)
                .values_list("object_id", flat=True)
                .first()
            )
        visible = page_id is not None and permissions.can_see_page(user, int(page_id))
    return overdue if visible else None


def pipeline_status(user=None) -> dict:
    """The status data; also drawn by the admin dashboard's health panel.

    With a ``user``, the items that name content (the oldest overdue item, the
    releases at risk) are only those the user may edit; the health verdict is the
    whole pipeline's.
    """
    now = timezone.now()
    workers = workers_seen()
    queues = queue_depths()
    last_sweep = sweep.last_sweep_at()
    overdue = sweep.oldest_overdue(now)
    at_risk = releases.releases_at_risk(
        releases=None if user is None else permissions.releases_for(user)
    )
    lag = _probe("search_index_lag_s", None)
    search = _probe("search", None)
    try:
        failing = health.failing_endpoint_ids()
    except Exception:
        failing = []
    healthy = (
        bool(workers)
        and queues is not None
        and last_sweep is not None
        and (now - last_sweep).total_seconds() < SWEEP_STALE_S
        and (
            overdue is None
            or (now - overdue.due_at).total_seconds() < OVERDUE_UNHEALTHY_S
        )
    )
    return {
        "workers": workers,
        "queues": queues,
        "last_sweep_at": last_sweep,
        "oldest_overdue": (
            {"type": shown.kind, "id": shown.id, "due_at": shown.due_at}
            if (shown := _visible_overdue(user, overdue))
            else None
        ),
        "search_index_lag_s": lag,
        "search": search,
        "failing_webhook_endpoints": list(failing or []),
        "releases_at_risk": [
            {
                "id": r.id,
                "title": r.title,
                "publish_at": r.publish_at,
                "failures": failures,
            }
            for r, failures in at_risk
        ],
        "dead_letters": dead_letters(),
        "healthy": healthy,
    }
