"""Which of the sweep's reminders are still held: a lease per consumer connection.

The sweep hands every item due within the next minute to a worker as a message with
an ETA (a reminder) and leaves a marker in the cache so that the next ticks do not
send it again. A reminder lives in the memory of the worker that took it, so it is
lost with that worker (SIGKILL, OOM, a machine gone) and dropped when the worker
loses the broker: Celery clears its ETA timers before reconnecting, and kombu
cannot give the messages back to a broker that is away (they wait out the
visibility timeout, an hour).

Each of those events changes the set of consumer connections. So every worker that
consumes the publishing queue holds a lease for as long as its broker connection
lives: granted when the consumer connects (replacing any earlier lease of the same
worker name: a worker restarted under its name), renewed every second from the
worker's event loop, released when the consumer stops, and gone LEASE_TTL seconds
after a worker dies; a reconnected consumer takes a new one. :func:`holders` names
the set of live leases, and the sweep puts that name in its markers: a worker gone,
back or reconnected makes every marker stale at once, and the next tick sends
everything pending again (with its ETA, so nothing goes early). A reminder that is
in fact still held becomes a duplicate, which is harmless: every publish re-checks
the schedule under the page's row lock (publishing/golive.py, publishing/bulk.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid

from celery import bootsteps

logger = logging.getLogger(__name__)

# A lease not renewed for this long is gone: its worker is dead or its event loop
# has stalled, and in both cases the reminders it holds are not to be trusted.
# Renewed every LEASE_RENEW seconds, so two missed renewals are tolerated.
LEASE_TTL = 3
LEASE_RENEW = 1.0
LEASES_KEY = "publishing:leases"
LEASE_PREFIX = "publishing:lease:"
HOLDERS_KEY = "publishing:holders"  # the name the last sweep saw, for the log
# The queue whose consumers hold reminders.
QUEUE = "publishing"
# What the sweep names its markers after when the leases cannot be read: markers
# then behave as before leases existed (trusted until RESEND_AFTER past T).
UNKNOWN = "-"


def _redis():
    from django.core.cache import cache

    return cache._cache.get_client(write=True), cache.make_key


def grant(node: str, lease: str) -> None:
    """``lease`` for the worker ``node``, whose earlier leases are stale: a node
    takes a new one only when its earlier connection (or process) is gone, and
    dropping them now changes the set once rather than again when they expire."""
    client, key = _redis()
    stale = [
        member.decode()
        for member in client.smembers(key(LEASES_KEY))
        if member.decode().startswith(f"{node}:")
    ]
    pipe = client.pipeline(transaction=False)
    for old in stale:
        pipe.delete(key(LEASE_PREFIX + old))
        pipe.srem(key(LEASES_KEY), old)
    pipe.set(key(LEASE_PREFIX + lease), 1, ex=LEASE_TTL)
    pipe.sadd(key(LEASES_KEY), lease)
    pipe.execute()


def renew(lease: str) -> None:
    client, key = _redis()
    pipe = client.pipeline(transaction=False)
    pipe.set(key(LEASE_PREFIX + lease), 1, ex=LEASE_TTL)
    pipe.sadd(key(LEASES_KEY), lease)
    pipe.execute()


def release(lease: str) -> None:
    client, key = _redis()
    pipe = client.pipeline(transaction=False)
    pipe.delete(key(LEASE_PREFIX + lease))
    pipe.srem(key(LEASES_KEY), lease)
    pipe.execute()


def live_leases() -> list[str]:
    """The leases alive now, sorted; dead ones are forgotten on the way."""
    client, key = _redis()
    leases = sorted(m.decode() for m in client.smembers(key(LEASES_KEY)))
    if not leases:
        return []
    alive = client.mget([key(LEASE_PREFIX + lease) for lease in leases])
    dead = [lease for lease, value in zip(leases, alive, strict=True) if not value]
    if dead:
        client.srem(key(LEASES_KEY), *dead)
    return [lease for lease, value in zip(leases, alive, strict=True) if value]


def holders() -> str:
    """A short name for the set of live leases (UNKNOWN if it cannot be read)."""
    try:
        leases = live_leases()
        name = hashlib.blake2s("|".join(leases).encode(), digest_size=6).hexdigest()
        client, key = _redis()
        previous = client.getset(key(HOLDERS_KEY), name)
    except Exception:
        logger.warning("could not read the reminder leases", exc_info=True)
        return UNKNOWN
    if previous is not None and previous.decode() != name:
        logger.info(
            "reminder holders are now %s: everything pending is sent again",
            ", ".join(leases) or "nobody",
        )
    return name


class ReminderLease(bootsteps.StartStopStep):
    """A consumer step: the lease of this connection (publishing consumers only).

    Started after the task consumer on every (re)connection, stopped when the
    connection is lost or the worker stops (cms/celery_app.py registers it).
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.lease: str | None = None
        self.entry = None

    def start(self, parent):
        queues = {queue.name for queue in parent.task_consumer.queues}
        if QUEUE not in queues:
            return
        self.lease = f"{parent.hostname}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        try:
            grant(parent.hostname, self.lease)
        except Exception as exc:  # renewed every second from now on
            logger.warning("could not take reminder lease %s: %r", self.lease, exc)
        self.entry = parent.timer.call_repeatedly(LEASE_RENEW, self._renew)
        logger.info("holding reminder lease %s", self.lease)

    def _renew(self) -> None:
        try:
            renew(self.lease)
        except Exception as exc:  # the broker's own reconnection deals with it
            logger.warning("could not renew reminder lease %s: %r", self.lease, exc)

    def stop(self, parent):
        if self.entry is not None:
            parent.timer.cancel(self.entry)
            self.entry = None
        if self.lease is not None:
            lease, self.lease = self.lease, None
            try:
                release(lease)
            except Exception:  # Redis away: the lease expires by itself
                pass

    shutdown = stop
