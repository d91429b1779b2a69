"""Real processes for the pipeline's fault tests: celery workers, beats, a Redis.

Every process is started by the test, on the test database (committed data, so the
tests use ``django_db(transaction=True)``), and killed by PID in teardown.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cms.celery_app import app

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
QUEUES = "publishing,indexing,webhooks"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class Pipeline:
    """Starts and stops worker/beat processes against the test database."""

    def __init__(self, redis_url: str, tmp: Path) -> None:
        self.redis_url = redis_url
        self.tmp = tmp
        self.procs: dict[str, subprocess.Popen] = {}

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="cms.settings.test",
            DATABASE_URL=database_url(),
            REDIS_URL=self.redis_url,
            PUBLISHING_RESEND_AFTER="3",
            # As in production: Wagtail's index updates go to the indexing queue,
            # outside the publish transaction.
            TASKS_BACKEND="cms.tasks_backend.CeleryBackend",
            DB_CONN_MAX_AGE="0",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _spawn(
        self, name: str, args: list[str], extra_env: dict | None = None
    ) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env(), **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def worker(
        self,
        name: str = "w1",
        concurrency: int = 2,
        wait: bool = True,
        queues: str = QUEUES,
        extra_env: dict | None = None,
    ):
        proc = self._spawn(
            name,
            [
                CELERY, "-A", "cms", "worker", "-n", f"{name}@%h",
                "--concurrency", str(concurrency), "--pool", "prefork",
                "-Q", queues, "--without-mingle", "--without-gossip",
                "-l", "info", "--include", "tests.faults.kill_points",
            ],
            extra_env,
        )  # fmt: skip
        if wait:
            ready = wait_for(lambda: b"ready." in self.log(name), timeout=60)
            assert ready, self.log(name)[-3000:].decode(errors="replace")
        return proc

    def beat(self, name: str = "beat"):
        return self._spawn(
            name,
            [
                CELERY, "-A", "cms", "beat", "-l", "info",
                "-s", str(self.tmp / f"{name}-schedule"),
                "--pidfile", "",
            ],
        )  # fmt: skip

    def log(self, name: str) -> bytes:
        path = self.tmp / f"{name}.log"
        return path.read_bytes() if path.exists() else b""

    def children(self, name: str) -> list[int]:
        """PIDs of a worker's pool processes."""
        parent = self.procs[name].pid
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                pids.append(int(stat.parent.name))
        return pids

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name)


@pytest.fixture
def redis_url() -> str:
    return settings.REDIS_URL


@pytest.fixture
def pipeline(redis_url, settings):
    tmp = Path(tempfile.mkdtemp(prefix="cms-faults-"))
    # Whatever earlier tests left in the broker is not ours to run.
    with app.connection_for_write() as conn:
        for queue in QUEUES.split(","):
            try:
                conn.default_channel.queue_purge(queue)
            except Exception:
                pass
    runner = Pipeline(redis_url, tmp)
    try:
        yield runner
    finally:
        runner.stop_all()
        if not os.environ.get("CMS_FAULTS_KEEP_LOGS"):
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def own_redis():
    """A Redis server of the test's own, on a free port, with no persistence."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="cms-redis-"))

    class Server:
        url = f"redis://127.0.0.1:{port}"
        proc: subprocess.Popen | None = None

        def start(self):
            self.proc = subprocess.Popen(
                [
                    "redis-server", "--port", str(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", str(tmp),
                ],
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
            wait_for(lambda: _answers(port), timeout=10)

        def kill(self):
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait(timeout=10)
                self.proc = None

    server = Server()
    server.start()
    try:
        yield server
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
