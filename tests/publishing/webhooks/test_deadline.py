"""One wall-clock deadline per attempt (WEBHOOK_TIMEOUT, connect to last byte).

A receiver that trickles its answer a byte at a time keeps every single socket read
under any per-read timeout: with a 2 s timeout one held a send for 12 s, and after
the 45 s lease the sweep started the same delivery again while the first was still
blocked. Here a real loopback socket server trickles; the attempt ends at its
deadline, well inside its lease, the worker pool keeps moving, and no delivery is
ever attempted twice at once.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import close_old_connections
from django.utils import timezone

from publishing.webhooks import delivery
from publishing.webhooks.models import Attempt, Delivery
from tests.publishing.webhooks.test_delivery import make_delivery

TIMEOUT = 1.0
# How long the trickler keeps a connection going: far past the deadline, so an
# attempt that ignores it shows.
TRICKLE_FOR = 8.0


class Trickler:
    """Accepts connections and answers one byte every 0.1 s, never finishing."""

    def __init__(self, stage: str = "headers") -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.stage = stage
        self.open = 0
        self.peak = 0
        # Connections open at once per webhook-id: above 1, a delivery overlapped.
        self.open_by_id: dict[str, int] = {}
        self.peak_by_id: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        threading.Thread(target=self.accept, daemon=True).start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.trickle, args=(conn,), daemon=True).start()

    def trickle(self, conn: socket.socket) -> None:
        with self.lock:
            self.open += 1
            self.peak = max(self.peak, self.open)
        webhook_id = None
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
        if self.stage == "headers":
            answer = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100000
        try:
            conn.settimeout(1.0)
            try:
                request = conn.recv(65536)
            except OSError:
                request = b""
            for line in request.split(b"\r\n"):
                if line.lower().startswith(b"webhook-id:"):
                    webhook_id = line.split(b":", 1)[1].strip().decode()
            if webhook_id:
                with self.lock:
                    n = self.open_by_id.get(webhook_id, 0) + 1
                    self.open_by_id[webhook_id] = n
                    self.peak_by_id[webhook_id] = max(
                        n, self.peak_by_id.get(webhook_id, 0)
                    )
            started = time.monotonic()
            for byte in answer:
                if self.stopped.is_set() or time.monotonic() - started > TRICKLE_FOR:
                    break
                conn.sendall(bytes([byte]))
                time.sleep(0.1)
                if client_closed(conn):
                    break
        except OSError:
            pass
        finally:
            conn.close()
            with self.lock:
                self.open -= 1
                if webhook_id:
                    self.open_by_id[webhook_id] -= 1

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


def client_closed(conn: socket.socket) -> bool:
    """Whether the client has gone (an EOF waiting), without waiting for one."""
    try:
        readable, _, _ = select.select([conn], [], [], 0)
        return bool(readable) and conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


@pytest.fixture
def trickler():
    server = Trickler()
    yield server
    server.close()


@pytest.fixture
def short_timeout(settings):
    settings.WEBHOOK_TIMEOUT = TIMEOUT


@pytest.mark.parametrize("stage", ["headers", "body"])
def test_a_trickling_receiver_is_cut_off_at_the_deadline(short_timeout, stage):
    server = Trickler(stage)
    try:
        started = time.monotonic()
        response = delivery.send(server.url(), {}, "{}", TIMEOUT)
        took = time.monotonic() - started
    finally:
        server.close()
    assert took < TIMEOUT + 0.75, took
    assert not response.succeeded
    assert "timed out" in response.error


def test_the_attempt_ends_inside_its_lease_and_is_logged(
    short_timeout, trickler, make_endpoint
):
    d = make_delivery(make_endpoint(trickler.url()))
    claimed_at = timezone.now()
    assert delivery.attempt_delivery(d.id, now=claimed_at) == "retry"
    finished_at = timezone.now()
    lease_end = claimed_at + timedelta(seconds=TIMEOUT) + delivery.LEASE_MARGIN
    assert finished_at < claimed_at + timedelta(seconds=TIMEOUT + 0.75)
    assert finished_at < lease_end
    (attempt,) = Attempt.objects.filter(delivery=d)
    assert "timed out" in attempt.error
    assert attempt.duration_ms < (TIMEOUT + 0.75) * 1000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_delivery_overlaps_itself_and_the_pool_keeps_moving(
    short_timeout, trickler, make_endpoint, receiver, monkeypatch, settings
):
    """Four worker threads, eight deliveries to the trickler and one to a healthy
    receiver queued behind them, while a sweep hands out whatever is due every
    0.2 s, as the beat does: each delivery is on the wire at most once at a time,
    and the healthy one goes out after two rounds of deadlines."""
    monkeypatch.setattr(delivery, "enqueue_attempts", lambda *a, **k: None)
    # Retries a second apart: the trickler sees a cut-off connection go first.
    settings.WEBHOOK_RETRY_SCHEDULE = [0] + [1] * 9
    # A lease of 2 s, not 31: an attempt outliving its lease shows within the test.
    monkeypatch.setattr(delivery, "LEASE_MARGIN", timedelta(seconds=1))
    slow = make_endpoint(trickler.url())
    healthy = make_endpoint(receiver.url("/ok"))
    slow_ids = [make_delivery(slow).id for _ in range(8)]
    healthy_id = make_delivery(healthy).id

    def work(delivery_id: int) -> None:
        try:
            delivery.attempt_delivery(delivery_id)
        finally:
            close_old_connections()

    started = time.monotonic()
    done = threading.Event()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(work, i) for i in (*slow_ids, healthy_id)]
        healthy_future = futures[-1]

        def sweep_like_beat():
            while not done.is_set():
                due = Delivery.objects.filter(
                    id__in=slow_ids,
                    status=Delivery.Status.PENDING,
                    next_attempt_at__lte=timezone.now(),
                    attempt_count__gte=1,
                ).values_list("id", flat=True)
                for i in due:
                    pool.submit(work, i)
                time.sleep(0.2)
            close_old_connections()

        sweeper = threading.Thread(target=sweep_like_beat)
        sweeper.start()
        try:
            healthy_future.result(timeout=30)
            healthy_after = time.monotonic() - started
            time.sleep(2 * TIMEOUT)  # more rounds of retries under the sweep
        finally:
            done.set()
            sweeper.join()
    assert trickler.peak_by_id and max(trickler.peak_by_id.values()) == 1
    # Two rounds of four slow attempts, then the healthy one: not 8 s a round.
    assert healthy_after < 2 * (TIMEOUT + 0.75) + 2.0, healthy_after
    assert Delivery.objects.get(id=healthy_id).status == Delivery.Status.DELIVERED
