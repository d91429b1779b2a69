"""The one harness that starts the pipeline's real processes: workers, beat, web, Redis.

Every process is started as production starts it (RELIABILITY R26): its command is
read from docker-compose.yml (the publishing worker, the webhook worker, beat and
gunicorn), with the production settings (``cms.settings.production``) and their
defaults, no timing shortened for the test; only the database and Redis are the
caller's, a worker gets a name (``-n name@%h``) and a test may add a module to load
(``--include``) or change the queues, pool or concurrency. A caller that measures or
drives something else (the browser and webhook tests run the test settings, bench/
its own) says so in the environment it passes (``DJANGO_SETTINGS_MODULE``...), which
wins over these defaults. Each process runs in a session of its own, so that a kill
reaches its whole group (a worker's pool processes included).

* :class:`Pipeline` starts and stops the app's processes; ``pipeline.kill(name)`` is
  the one way to stop each (SIGKILL to its group by default).
* :class:`RedisServer` is a private Redis without persistence, as the outside fault
  run used: ``kill()`` loses everything it held, ``start()`` brings it back empty.
* :func:`wait_ready` is the one readiness check: a worker has logged "ready.", beat
  has logged its start, the web server answers HTTP, Redis answers PING.
* The loopback HTTP receiver (webhooks' other end) is :mod:`tests.support.receiver`.

bench/ imports this module; nothing here imports bench/ or Django.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
BIN = Path(sys.executable).parent
# Variables a test run sets that production does not: the children go without them
# (the test settings module, inline tasks, shortened timings, short-lived DB
# connections), so that every default is production's.
NOT_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE",
    "TASKS_BACKEND",
    "PUBLISHING_RESEND_AFTER",
    "DB_CONN_MAX_AGE",
}
READY_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def compose_command(service: str) -> list[str]:
    """The service's command in docker-compose.yml, word for word."""
    spec = yaml.safe_load(COMPOSE.read_text())
    return shlex.split(spec["services"][service]["command"])


def compose_argv(service: str) -> list[str]:
    """The service's command in docker-compose.yml, run from this virtualenv (a
    program that is not the virtualenv's, sh or nginx, from the PATH; the
    environment of :func:`production_env` puts the virtualenv first there, so that
    ``sh -c "python manage.py ..."`` runs this virtualenv's Python)."""
    argv = compose_command(service)
    if argv[0] == "python":
        argv[0] = sys.executable
    elif (BIN / argv[0]).exists():
        argv[0] = str(BIN / argv[0])
    else:
        argv[0] = shutil.which(argv[0]) or argv[0]
    return argv


def with_option(argv: list[str], option: str, value: str) -> list[str]:
    """``argv`` with ``option``'s value replaced (or the option added)."""
    argv = list(argv)
    if option in argv:
        argv[argv.index(option) + 1] = value
    else:
        argv += [option, value]
    return argv


def production_env(database_url: str, redis_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NOT_PRODUCTION}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PYTHONUNBUFFERED="1",
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        # Plain http on loopback: TLS ends before the app in production (nginx or a
        # load balancer); without this every request would be a 301 to https.
        SECURE_SSL_REDIRECT="false",
    )
    env.update(extra)
    return env


class Process:
    """One started process: its group, its log, whether it is ready."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        env: dict,
        log_path: Path,
        ready: Callable[[Process], bool],
        cwd: Path = ROOT,
    ) -> None:
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self._ready = ready
        self.offset = log_path.stat().st_size if log_path.exists() else 0
        with log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log(self) -> bytes:
        """This process's output (a name started again appends to the same file)."""
        with self.log_path.open("rb") as log:
            log.seek(self.offset)
            return log.read()

    def is_ready(self) -> bool:
        return self._ready(self)

    def children(self) -> list[int]:
        """PIDs of its direct children (a worker's pool processes)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self, sig: int = signal.SIGKILL, timeout: float = 30) -> None:
        """Send ``sig`` to the whole group and wait; SIGKILL whatever is left."""
        try:
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=10)


def wait_ready(process: Process | RedisServer, timeout: float = READY_TIMEOUT) -> None:
    """The one readiness check: wait until ``process`` is ready, or fail with why."""
    deadline = time.monotonic() + timeout
    while not process.is_ready():
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{_tail(process)}")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{process.name} not ready in {timeout}s:\n{_tail(process)}"
            )
        time.sleep(0.1)


def _tail(process) -> str:
    return process.log()[-3000:].decode(errors="replace")


def _logged(text: bytes) -> Callable[[Process], bool]:
    return lambda process: text in process.log()


def _answers_http(url: str) -> Callable[[Process], bool]:
    def ready(process: Process) -> bool:
        try:
            with urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return True
        except HTTPError:
            return True  # it answers; whether it is healthy is the test's business
        except (URLError, OSError):
            return False

    return ready


class Pipeline:
    """The app's processes on one database and Redis, as compose starts them."""

    def __init__(self, database_url: str, redis_url: str, tmp: Path, **env: str):
        self.database_url = database_url
        self.redis_url = redis_url
        self.tmp = tmp
        # One secret for all of them, as one deployment has.
        self.extra_env = {"SECRET_KEY": secrets.token_urlsafe(48), **env}
        self.procs: dict[str, Process] = {}

    def env(self, **extra: str) -> dict:
        return production_env(
            self.database_url, self.redis_url, **{**self.extra_env, **extra}
        )

    def start(
        self,
        name: str,
        argv: list[str],
        ready: Callable[[Process], bool],
        env: dict | None = None,
        wait: bool = True,
        cwd: Path = ROOT,
    ) -> Process:
        assert name not in self.procs or not self.procs[name].alive(), name
        process = Process(
            name, argv, self.env(**(env or {})), self.tmp / f"{name}.log", ready, cwd
        )
        self.procs[name] = process
        if wait:
            wait_ready(process)
        return process

    def worker(
        self,
        name: str = "worker",
        *,
        service: str = "worker",
        concurrency: int | None = None,
        queues: str | None = None,
        pool: str | None = None,
        include: str | None = None,
        env: dict | None = None,
        wait: bool = True,
    ) -> Process:
        """A Celery worker as compose's ``worker`` (or ``webhook-worker``) service."""
        argv = compose_argv(service) + ["--hostname", f"{name}@%h"]
        if concurrency is not None:
            argv = with_option(argv, "--concurrency", str(concurrency))
        if queues is not None:
            argv = with_option(argv, "--queues", queues)
        if pool is not None:
            argv = with_option(argv, "--pool", pool)
        if include is not None:
            argv += ["--include", include]
        return self.start(name, argv, _logged(b" ready."), env, wait)

    def webhook_worker(self, name: str = "webhook-worker", **kwargs) -> Process:
        return self.worker(name, service="webhook-worker", **kwargs)

    def beat(self, name: str = "beat", wait: bool = True) -> Process:
        argv = with_option(
            compose_argv("beat"), "--schedule", str(self.tmp / f"{name}-schedule")
        )
        return self.start(name, argv, _logged(b"beat: Starting..."), wait=wait)

    def web(
        self,
        name: str = "web",
        workers: int | None = None,
        *,
        env: dict | None = None,
        ready_path: str = "/healthz/",
    ) -> Process:
        """gunicorn as compose's ``web`` service, on a free loopback port; ready
        once ``ready_path`` answers (a site without /healthz/ names another)."""
        port = free_port()
        argv = with_option(compose_argv("web"), "--bind", f"127.0.0.1:{port}")
        if workers is not None:
            argv = with_option(argv, "--workers", str(workers))
        process = self.start(
            name,
            argv,
            _answers_http(f"http://127.0.0.1:{port}{ready_path}"),
            env,
            wait=False,
        )
        process.url = f"http://127.0.0.1:{port}"
        wait_ready(process)
        return process

    def run_once(
        self, service: str, argv: list[str] | None = None, timeout: float = 600
    ) -> Process:
        """A one-shot compose service (``migrate``, ``demo``) to its end, as compose
        runs it before the others (or ``argv``, a build step under that name); fails
        with its log if it does not succeed."""
        argv = argv or compose_argv(service)
        process = Process(
            service, argv, self.env(), self.tmp / f"{service}.log", lambda _: False
        )
        self.procs[service] = process
        try:
            code = process.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            process.stop()
            raise RuntimeError(
                f"{service} did not end in {timeout}s:\n{_tail(process)}"
            ) from exc
        if code != 0:
            raise RuntimeError(f"{service} exited with {code}:\n{_tail(process)}")
        return process

    def nginx(self, config: str, url: str, name: str = "nginx") -> Process:
        """nginx as compose's ``nginx`` service (Debian's package), with ``config``
        (deploy/nginx.conf with its addresses and paths adapted by the caller),
        ready when ``url`` answers through it."""
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx is not installed (make tools installs it)")
        path = self.tmp / f"{name}.conf"
        path.write_text(config)
        argv = compose_argv("nginx")
        argv[0] = nginx
        # -c: this file instead of /etc/nginx/nginx.conf (compose mounts it there);
        # -e: start-up errors to the log before the file's error_log applies.
        argv += ["-c", str(path), "-e", "stderr"]
        return self.start(name, argv, _answers_http(url))

    def runserver(self, name: str = "web", port: int | None = None) -> Process:
        """The web server as `make run` starts it (Django's runserver, the dev
        settings): the admin with its static files, for journeys through it in a
        browser. gunicorn's production settings serve no static files."""
        port = port or free_port()
        argv = [
            sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}",
            "--noreload", "--skip-checks",
        ]  # fmt: skip
        process = self.start(
            name,
            argv,
            _answers_http(f"http://127.0.0.1:{port}/healthz/"),
            env={"DJANGO_SETTINGS_MODULE": "cms.settings.dev"},
            wait=False,
        )
        process.url = f"http://127.0.0.1:{port}"
        wait_ready(process)
        return process

    def next_start(
        self, frontend: Path, name: str = "next", port: int | None = None, **env: str
    ) -> Process:
        """``next start`` of the reference front end's production build (which the
        caller made: ``next build``), on a free loopback port."""
        port = port or free_port()
        node = shutil.which("node") or "node"
        binary = ROOT / "node_modules" / "next" / "dist" / "bin" / "next"
        argv = [node, str(binary), "start", "-H", "127.0.0.1", "-p", str(port)]
        process = self.start(
            name,
            argv,
            _answers_http(f"http://127.0.0.1:{port}/api/preview/"),
            env={"NODE_ENV": "production", **env},
            wait=False,
            cwd=frontend,
        )
        process.url = f"http://127.0.0.1:{port}"
        wait_ready(process)
        return process

    def log(self, name: str) -> bytes:
        path = self.tmp / f"{name}.log"
        return path.read_bytes() if path.exists() else b""

    def children(self, name: str) -> list[int]:
        return self.procs[name].children()

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.procs.pop(name, None)
        if process is not None:
            process.stop(sig)

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            self.kill(name)


class RedisServer:
    """A private redis-server on a free loopback port, without persistence."""

    name = "redis"

    def __init__(self, port: int | None = None, password: str | None = None) -> None:
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed")
        self.port = port or free_port()
        # With a password (``requirepass``), as docker-compose.yml's Redis has one.
        self.password = password
        auth = f":{password}@" if password else ""
        self.url = f"redis://{auth}127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix="cms-redis-"))
        self.popen: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.popen = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir),
                "--maxmemory-policy", "noeviction",
                *(["--requirepass", self.password] if self.password else []),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        wait_ready(self, timeout=15)
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def is_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(self._auth() + b"PING\r\n")
                reply = b""
                while reply.count(b"\r\n") < (2 if self.password else 1):
                    chunk = s.recv(64)
                    if not chunk:
                        break
                    reply += chunk
                return reply.split(b"\r\n")[-2].startswith(b"+PONG")
        except OSError:
            return False

    def log(self) -> bytes:
        return b""

    def kill(self) -> None:
        """SIGKILL: a crash, with everything it held lost."""
        if self.popen is not None:
            self.popen.kill()
            self.popen.wait(timeout=10)
            self.popen = None

    def restart(self, down_for: float, keep_data: bool = False) -> None:
        """Kill it and start it again ``down_for`` seconds later: empty, or with
        what it held (``keep_data``: a snapshot first, as a persistent Redis)."""
        if keep_data:
            self.command(b"SAVE")
        self.kill()
        if not keep_data:
            (self.dir / "dump.rdb").unlink(missing_ok=True)
        time.sleep(down_for)
        self.start()

    def command(self, *words: bytes) -> bytes:
        """One command, inline protocol, its raw reply."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            if self.password:
                s.sendall(self._auth())
                s.recv(16)
            s.sendall(b" ".join(words) + b"\r\n")
            return s.recv(4096)

    def _auth(self) -> bytes:
        return f"AUTH {self.password}\r\n".encode() if self.password else b""

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
