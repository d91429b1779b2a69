"""How a worker outlives its broker: a Redis blip or restart never ends the process.

Two layers, both installed by ``cms/celery_app.py``:

1. :func:`patch_kombu_redis_transport` fixes the cause. On a lost connection Celery
   5.7.0 first ``collect()``s the consumer's connection, then ``close()``s it (5.6
   only collected). With Redis down, collect fails half-way through closing the
   default channel (deleting the worker's auto-delete remote-control queue needs
   Redis) and detaches the transport anyway; close then closes that channel again,
   which restores its unacknowledged messages (every ETA reminder the worker holds)
   and asks the detached transport for its connection parameters: kombu 5.7.0 raises
   ``AttributeError: 'NoneType' object has no attribute 'hostname'`` in
   ``Channel._connparams``, Celery only ignores connection errors there, and the
   worker exits ("Unrecoverable error"). The same symptom upstream: celery/kombu#582
   and #970. The patch raises the connection error kombu expects, so the close is
   ignored like any other on a dead broker. The reminders stay in Redis's unacked
   hash (redelivered after the visibility timeout, and then harmless) and the beat's
   sweep sends them again as soon as this worker is back (publishing/reminders.py).
   Remove the patch when kombu handles a detached transport:
   ``tests/cms/test_broker.py`` fails once it is no longer needed.
2. :class:`Consumer` is the worker's consumer (``worker_consumer``): whatever else
   fails while the lost connection is cleaned up is logged and the consumer
   reconnects instead of ending the process; and it retries the broker every
   RECONNECT_INTERVAL, forever, instead of Celery's 2, 4, 6 … 30 s back-off, so that
   a worker is consuming again within a second of Redis's return, however long it
   was away.
"""

from __future__ import annotations

import functools
import logging

from celery.worker.consumer import Consumer as CeleryConsumer

logger = logging.getLogger(__name__)

# Seconds between two attempts to reach the broker while it is away: what a worker
# adds to Redis's downtime. An attempt on a Redis that is down is refused at once,
# so the cost is a log line per attempt.
RECONNECT_INTERVAL = 0.5


def patch_kombu_redis_transport() -> None:
    """Make a channel of a released connection fail as a lost connection (once)."""
    from kombu.transport import redis as kombu_redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    channel = kombu_redis.Channel
    if getattr(channel._connparams, "cms_patched", False):
        return
    original = channel._connparams

    @functools.wraps(original)
    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError(
                "the broker connection was already released (celery/kombu#582)"
            )
        return original(self, asynchronous=asynchronous)

    _connparams.cms_patched = True
    channel._connparams = _connparams


class Consumer(CeleryConsumer):
    """Celery's consumer, which never lets a lost broker end the worker."""

    def on_connection_error_after_connected(self, exc):
        try:
            super().on_connection_error_after_connected(exc)
        except Exception:
            # Celery would call this "unrecoverable" and stop the worker; it is
            # only the clean-up of a connection that is gone anyway.
            logger.exception(
                "cleaning up the lost broker connection failed; reconnecting anyway"
            )
            self.connection = None

    def ensure_connected(self, conn):
        conn.ensure_connection = functools.partial(
            conn.ensure_connection,
            interval_start=RECONNECT_INTERVAL,
            interval_step=RECONNECT_INTERVAL,
            interval_max=RECONNECT_INTERVAL,
        )
        return super().ensure_connected(conn)
