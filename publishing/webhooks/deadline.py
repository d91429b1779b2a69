"""One wall-clock deadline per delivery attempt, from connect to the last byte.

Socket timeouts bound each read, not the attempt: a receiver answering one byte a
second never trips a 2 s read timeout, and held a worker thread (and its delivery's
lease) for as long as it liked. An :class:`AttemptDeadline` is armed around one
attempt; every socket the guarded transport opens inside it (egress.py) is tracked,
connects within the time left, and is shut down by a timer when the deadline
passes, which ends whatever read or write is blocked on it at once.
"""

from __future__ import annotations

import contextvars
import socket
import threading
import time

CURRENT: contextvars.ContextVar[AttemptDeadline | None] = contextvars.ContextVar(
    "webhook_attempt_deadline", default=None
)


class AttemptDeadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.0, self.ends_at - time.monotonic())

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def __enter__(self) -> AttemptDeadline:
        self._token = CURRENT.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        CURRENT.reset(self._token)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def current() -> AttemptDeadline | None:
    return CURRENT.get()
