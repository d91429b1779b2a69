"""A real OpenSearch node for development and the test suite, from Maven Central.

``build()`` runs the Maven project beside this file (pom.xml): it unpacks OpenSearch's
``integ-test-zip`` distribution (2.19.x, Apache-2.0: the server and transport-netty4,
no security plugin, no bundled JDK), adds the ``analysis-common`` module (English
analyzer, n-grams) and compiles ``DevNode``, a small launcher that starts the stock
node in-process. Everything goes to ``var/opensearch/`` (gitignored), downloads to
``~/.m2``; a second call does nothing unless the Maven project changed.

``start()`` starts a node on the machine's Java 11-21 (OpenSearch 2.19 does not run on
Java 24+, which dropped the security manager), bound to 127.0.0.1, with a small heap,
and waits until it answers; ``Node.stop()`` stops it. ``make opensearch`` runs one in
the foreground (``python -m search.opensearch_node``); the test suite starts one per
session on free ports with a throw-away data directory (tests/search/conftest.py).

Production runs the official image instead (docker-compose.yml, profile
``opensearch``); see docs/search.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

OPENSEARCH_VERSION = "2.19.6"
PROJECT = Path(__file__).resolve().parent
ROOT = PROJECT.parent.parent
VAR = ROOT / "var" / "opensearch"
HOME = VAR / f"opensearch-{OPENSEARCH_VERSION}"
LAUNCHER = VAR / "build" / "opensearch-node.jar"
# What the Maven build reads: rebuilt when one of these is newer than its output.
SOURCES = [
    PROJECT / "pom.xml",
    *sorted((PROJECT / "src").rglob("*.java")),
    *sorted((PROJECT / "modules").rglob("*.properties")),
]
HEAP = "512m"
# OpenSearch 2.19 runs on Java 11 to 21; the machines have 17 (and a 25 beside it).
SUPPORTED_JAVA = range(11, 22)
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 30.0


class NodeError(RuntimeError):
    pass


def is_built() -> bool:
    if not (LAUNCHER.exists() and (HOME / "modules" / "analysis-common").exists()):
        return False
    built = LAUNCHER.stat().st_mtime
    return all(source.stat().st_mtime <= built for source in SOURCES)


def build(quiet: bool = True) -> Path:
    """Run the Maven build unless its output is current; returns the node's home."""
    if is_built():
        return HOME
    mvn = shutil.which("mvn")
    if mvn is None:
        raise NodeError("Maven (mvn) is needed to build the OpenSearch node")
    command = [mvn, "-B", "-f", str(PROJECT / "pom.xml"), "package"]
    if quiet:
        command.insert(1, "-q")
    env = dict(os.environ, JAVA_HOME=str(java_home()))
    completed = subprocess.run(command, env=env, capture_output=quiet, text=True)
    if completed.returncode != 0:
        output = (completed.stdout or "") + (completed.stderr or "")
        raise NodeError(f"the OpenSearch node's Maven build failed:\n{output[-4000:]}")
    LAUNCHER.touch()  # Maven keeps an unchanged jar's time; is_built() compares it
    return HOME


def java_major(java: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def java_home() -> Path:
    """A JDK that OpenSearch 2.19 runs on: OPENSEARCH_JAVA_HOME, JAVA_HOME, the
    ``java`` on PATH, then the machine's JVMs (/usr/lib/jvm), newest first."""
    candidates: list[Path] = []
    for variable in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(variable):
            candidates.append(Path(os.environ[variable]))
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path).resolve().parent.parent)
    jvms = Path("/usr/lib/jvm")
    if jvms.is_dir():
        candidates += sorted(
            (p for p in jvms.iterdir() if p.is_dir()), key=lambda p: p.name
        )[::-1]
    for home in candidates:
        if java_major(home / "bin" / "java") in SUPPORTED_JAVA:
            return home
    raise NodeError(
        "no Java 11-21 found for OpenSearch 2.19 (set OPENSEARCH_JAVA_HOME); "
        f"tried {', '.join(map(str, candidates)) or 'nothing'}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read() or b"{}")


def _put(url: str, body: dict, timeout: float = 10.0) -> dict:
    request = urllib.request.Request(  # noqa: S310 (our loopback node)
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read() or b"{}")


@dataclass
class Node:
    command: list[str]
    port: int
    data_dir: Path
    log_path: Path
    process: subprocess.Popen | None = None
    started_in_s: float = 0.0
    temporary: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_bytes(self) -> int:
        """Resident memory of the node's JVM (Linux /proc)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        return int(found.group(1)) * 1024 if found else 0

    def answers(self) -> bool:
        try:
            _get(f"{self.url}/_cluster/health", timeout=1.0)
        except (OSError, ValueError):
            return False
        return True

    def launch(self, timeout: float = START_TIMEOUT_S) -> None:
        """Start the JVM and wait until the node answers (its data kept)."""
        started = time.perf_counter()
        log = open(self.log_path, "ab")  # noqa: SIM115 (the node writes until it stops)
        self.process = subprocess.Popen(
            self.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.data_dir,
            start_new_session=True,
        )
        log.close()
        try:
            _wait_until_ready(self, timeout)
        except BaseException:
            self.halt()
            raise
        self.started_in_s = time.perf_counter() - started

    def halt(self) -> None:
        """SIGTERM (the launcher closes the node), SIGKILL after a while; the data
        stays (``launch()`` starts it again on the same port and data)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self) -> None:
        """Halt, and remove a temporary data directory."""
        self.halt()
        if self.temporary:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def start(
    port: int | None = None,
    data_dir: Path | None = None,
    heap: str = HEAP,
    log_path: Path | None = None,
    timeout: float = START_TIMEOUT_S,
) -> Node:
    """Build if needed, start a node on 127.0.0.1 and wait until it answers.

    Without ``data_dir`` the node's data is a temporary directory, removed on stop.
    """
    home = build()
    java = java_home() / "bin" / "java"
    temporary = data_dir is None
    data_dir = Path(data_dir or tempfile.mkdtemp(prefix="opensearch-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log_path = log_path or data_dir / "node.log"
    tmp = data_dir / "tmp"
    tmp.mkdir(exist_ok=True)
    command = [
        str(java),
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-XX:MaxDirectMemorySize=128m",
        f"-Djava.io.tmpdir={tmp}",
        "-Dlog4j2.disable.jmx=true",
        "-Djava.locale.providers=SPI,COMPAT",
        "-Dfile.encoding=UTF-8",
        "-cp",
        f"{home / 'lib'}/*:{LAUNCHER}",
        "cms.opensearch.DevNode",
        str(home),
        "cluster.name=cms-dev",
        "node.name=dev-node",
        f"http.port={port}",
        f"transport.port={free_port()}",
        f"path.data={data_dir / 'data'}",
        f"path.logs={data_dir / 'logs'}",
        # A development disk may be fuller than a production one: never go
        # read-only because of it.
        "cluster.routing.allocation.disk.threshold_enabled=false",
    ]
    node = Node(command, port, data_dir, log_path, temporary=temporary)
    node.launch(timeout)
    try:
        # One node: replicas could never be allocated (the cluster would stay
        # yellow). The official image in production decides for itself.
        _put(
            f"{node.url}/_index_template/dev-node-defaults",
            {
                "index_patterns": ["*"],
                "priority": 0,
                "template": {"settings": {"number_of_replicas": 0}},
            },
        )
    except BaseException:
        node.stop()
        raise
    return node


def _wait_until_ready(node: Node, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if node.process.poll() is not None:
            raise NodeError(
                f"the OpenSearch node exited ({node.process.returncode}):\n"
                + node.log_path.read_text(errors="replace")[-4000:]
            )
        try:
            health = _get(f"{node.url}/_cluster/health", timeout=1.0)
        except (OSError, ValueError):
            health = {}
        if health.get("status") in ("green", "yellow"):
            return
        time.sleep(0.2)
    raise NodeError(f"the OpenSearch node did not answer within {timeout:.0f} s")
