"""`make run`'s supervisor: it starts everything, and SIGINT stops it all."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_stack(tmp_path: Path, port: int) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # The embedded default: SQLite and the embedded Redis, in a folder of its own.
    env.update({"VAR_DIR": str(tmp_path / "var"), "PORT": str(port)})
    return subprocess.Popen(
        [sys.executable, "-m", "cms.stack"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "stack.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_health(port: int, process: subprocess.Popen, timeout: float) -> dict:
    url = f"http://127.0.0.1:{port}/healthz/"
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the stack exited early with {process.returncode}")
        try:
            with urlopen(url, timeout=2) as response:
                return {**json.load(response), "http_status": response.status}
        except OSError as exc:
            last_error = exc
        time.sleep(0.5)
    pytest.fail(f"{url} never answered: {last_error}")


def wait_for_log(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text():
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} never appeared in {path}")
        time.sleep(0.2)


@pytest.fixture
def stack(tmp_path):
    """A running stack; whatever happens in the test, nothing it started survives."""
    port = free_port()
    process = start_stack(tmp_path, port)
    seen: list[psutil.Process] = []
    try:
        health = wait_for_health(port, process, 240)
        # The supervisor prints the URLs once it has seen /healthz/ itself.
        wait_for_log(tmp_path / "stack.log", "press Ctrl-C to stop everything", 60)
        seen.extend(psutil.Process(process.pid).children(recursive=True))
        yield process, port, health, seen
    finally:
        if process.poll() is None:
            process.kill()
        for child in seen:
            if child.is_running():
                child.kill()


def test_run_command_starts_everything_restarts_a_dead_child_and_sigint_stops_all(
    stack, tmp_path
):
    process, port, health, children = stack
    assert health["http_status"] == 200
    assert all(check["ok"] for check in health["checks"].values())
    names = " ".join(" ".join(c.cmdline()) for c in children)
    for expected in ("redis-server", "worker", "beat", "runserver"):
        assert expected in names, names
    with urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5) as r:
        assert r.status == 200

    # A child that dies (here the worker, SIGKILLed with its pool) is restarted,
    # and the stack goes on.
    # The supervisor's own child, not one of its prefork pool processes (which
    # share its command line).
    (worker,) = [
        c
        for c in children
        if "worker" in c.cmdline()
        and "publishing,indexing" in c.cmdline()
        and c.ppid() == process.pid
    ]
    os.killpg(worker.pid, signal.SIGKILL)
    wait_for_log(tmp_path / "stack.log", "restarted worker (pid", 30)
    assert process.poll() is None
    children = psutil.Process(process.pid).children(recursive=True)

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == [], [p.cmdline() for p in alive]
    output = (tmp_path / "stack.log").read_text()
    assert "Admin login: admin / " in output
    assert f"http://127.0.0.1:{port}/admin/" in output


def test_children_stop_when_the_supervisor_is_killed(stack):
    """Even a SIGKILLed supervisor (no chance to clean up) leaves no orphan."""
    process, _, _, children = stack
    process.kill()
    process.wait(timeout=10)
    _, alive = psutil.wait_procs(children, timeout=30)
    assert alive == [], [p.cmdline() for p in alive]


def supervise_until(stack, predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        stack.supervise()
        time.sleep(0.02)
    return True


def test_a_child_that_dies_is_restarted_with_a_log_line(capsys):
    from cms.stack import Stack

    stack = Stack(restart_delay=0.1)
    stack.start("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], {})
    try:
        (child,) = stack.supervised
        first = child.process.pid
        os.killpg(first, signal.SIGKILL)
        assert supervise_until(stack, lambda: child.restarts == 1, timeout=10)
        assert child.process.pid != first and child.process.poll() is None
        output = capsys.readouterr().out
        assert f"sleeper (pid {first}) exited with signal 9" in output
        assert f"restarted sleeper (pid {child.process.pid}, restart 1)" in output
    finally:
        stack.stop()
    assert child.process.poll() is not None


def test_a_child_that_keeps_failing_is_restarted_ever_more_slowly(capsys):
    from cms.stack import Stack

    stack = Stack(restart_delay=0.05, restart_delay_max=0.2)
    stack.start("crasher", [sys.executable, "-c", "raise SystemExit(3)"], {})
    try:
        (child,) = stack.supervised
        assert supervise_until(stack, lambda: child.restarts >= 4, timeout=20)
    finally:
        stack.stop()
    output = capsys.readouterr().out
    assert "crasher" in output and "exited with code 3" in output
    delays = [
        line.rsplit("restarting it in ", 1)[1]
        for line in output.splitlines()
        if "restarting it in" in line
    ]
    assert delays[:4] == ["0.05s", "0.1s", "0.2s", "0.2s"]


def test_stopping_the_stack_restarts_nothing():
    from cms.stack import Stack

    stack = Stack(restart_delay=0.05)
    stack.start("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], {})
    (child,) = stack.supervised
    stack.stop()
    stack.supervise()
    time.sleep(0.1)
    stack.supervise()
    assert child.restarts == 0 and child.process.poll() is not None


def test_a_service_is_stopped_only_after_the_children_that_use_it(tmp_path):
    """The embedded Redis outlives the workers' warm shutdown (they acknowledge
    their last tasks through it): a child still sees the service running when it
    has finished stopping."""
    from cms.stack import Stack

    stack = Stack()
    stack.start(
        "service",
        [sys.executable, "-c", "import time; time.sleep(60)"],
        {},
        service=True,
    )
    (service,) = stack.supervised
    seen = tmp_path / "seen"
    # On SIGTERM it takes a moment to stop, then notes whether the service is up.
    user = (
        "import os, signal, sys, time\n"
        "def stop(*_):\n"
        "    time.sleep(0.5)\n"
        # Running, not a zombie waiting to be reaped (its /proc entry lasts).
        f"    stat = '/proc/{service.process.pid}/stat'\n"
        "    alive = os.path.exists(stat) and "
        "open(stat).read().rsplit(')', 1)[1].split()[0] != 'Z'\n"
        f"    open({str(seen)!r}, 'w').write(str(alive))\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "time.sleep(60)\n"
    )
    stack.start("user", [sys.executable, "-c", user], {})
    time.sleep(0.5)  # the user's handler is installed
    stack.stop()
    assert seen.read_text() == "True"
    assert all(c.process.poll() is not None for c in stack.supervised)
