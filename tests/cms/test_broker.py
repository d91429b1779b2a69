"""A lost broker never ends a worker (cms/broker.py, RELIABILITY R25)."""

import contextlib
import socket

import pytest
from kombu import Connection, Exchange, Queue
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

from cms import broker
from cms.celery_app import app
from tests.support.processes import RedisServer


class Detached:
    """A channel whose connection Celery has already collected."""

    connection = type("Transport", (), {"client": None})()


def test_kombu_still_needs_the_patch():
    # kombu 5.7.0 raises AttributeError here (celery/kombu#582, #970). When this
    # fails, kombu handles a released connection itself: remove the patch.
    with pytest.raises(AttributeError):
        kombu_redis.Channel._connparams.__wrapped__(Detached())


def test_a_released_connection_fails_as_a_lost_connection():
    with pytest.raises(RedisConnectionError):
        kombu_redis.Channel._connparams(Detached())


def test_closing_a_consumer_connection_after_redis_died_raises_nothing():
    """What Celery 5.7.0 does on a lost connection: collect(), then close(), with
    unacknowledged messages in hand and Redis gone."""
    server = RedisServer().start()
    try:
        connection = Connection(f"{server.url}/0")
        queue = Queue("outage-probe", Exchange("outage-probe"), "outage-probe")
        with connection.Producer() as producer:
            for n in range(3):
                producer.publish(
                    {"n": n},
                    exchange=queue.exchange,
                    routing_key="outage-probe",
                    declare=[queue],
                )
        # As a worker's remote-control queue: a fanout queue deleted on close, which
        # is what fails half-way through collect() with Redis gone.
        control = Queue(
            "probe.pidbox", Exchange("probe", type="fanout"), auto_delete=True
        )
        held = []
        consumer = connection.Consumer(
            [queue, control], callbacks=[lambda body, message: held.append(message)]
        )
        consumer.consume()
        while len(held) < 3:
            connection.drain_events(timeout=5)
        # Held and unacknowledged, as a worker holds ETA reminders, and waiting
        # for more, as a worker always is.
        assert len(connection.default_channel.qos._delivered) == 3
        with contextlib.suppress(socket.timeout):
            connection.drain_events(timeout=0.2)
        server.kill()
        connection.collect(socket_timeout=1)
        connection.close()
    finally:
        server.stop()


def test_the_worker_uses_our_consumer():
    assert app.conf.worker_consumer == "cms.broker:Consumer"
    assert "publishing.reminders:ReminderLease" in app.steps["consumer"]


def test_a_failing_clean_up_of_a_lost_connection_does_not_end_the_worker(
    monkeypatch,
):
    def fails(self, exc):
        raise AttributeError("'NoneType' object has no attribute 'hostname'")

    monkeypatch.setattr(
        broker.CeleryConsumer, "on_connection_error_after_connected", fails
    )
    consumer = broker.Consumer.__new__(broker.Consumer)
    consumer.connection = object()
    consumer.on_connection_error_after_connected(ConnectionError("lost"))
    assert consumer.connection is None


def test_the_worker_retries_the_broker_at_a_steady_pace():
    calls = []

    class Conn:
        def ensure_connection(self, *args, **kwargs):
            calls.append(kwargs)
            return self

    consumer = broker.Consumer.__new__(broker.Consumer)
    consumer.app = app
    consumer.first_connection_attempt = False
    consumer.ensure_connected(Conn())
    (kwargs,) = calls
    assert (
        kwargs["interval_start"] == kwargs["interval_max"] == broker.RECONNECT_INTERVAL
    )
    assert broker.RECONNECT_INTERVAL <= 1
