"""The public API while Redis is down, on the production shape (R26, R27).

A real gunicorn, started with docker-compose.yml's web command and production
settings, serves the test database against a Redis of the test's own. The test
kills that Redis for OUTAGE_SECONDS while a paced client reads the public
endpoints: every answer must be the one given with Redis up (0 5xx), /healthz/
must say 503, and once Redis is back the shared cache must serve hits again.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.factories import AuthorFactory, CategoryFactory
from tests.faults.conftest import database_url
from tests.support.processes import ROOT, free_port, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OUTAGE_SECONDS = 30
# Requests per second, all from one address: below the production default rate
# limit (API_RATE_LIMIT=600/m) so that a 429 never stands in for an answer.
PACE = 8
PATHS = [
    "/api/v1/articles/",
    "/api/v1/articles/?q=magnesium",
    "/api/v1/articles/?category=sleep&limit=2",
    "/api/v1/search/suggest/?q=magn",
    "/api/v1/articles/magnesium-and-sleep/",
    "/feeds/articles/",
    "/sitemap.xml",
    "/api/v1/categories/",
    "/api/v1/authors/",
    "/api/v1/tags/",
]


def compose_web_command(port: int) -> list[str]:
    """docker-compose.yml's web command, bound to loopback on ``port``."""
    spec = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    args = shlex.split(spec["services"]["web"]["command"])
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    args[0] = str(Path(sys.executable).with_name(args[0]))
    return args


class Web:
    """gunicorn as compose runs it, with production settings."""

    def __init__(self, redis_url: str, tmp: Path) -> None:
        self.port = free_port()
        self.log_path = tmp / "web.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"faults-{self.port}",
            "PYTHONUNBUFFERED": "1",
            # Plain http on loopback (TLS ends before the app): no 301 to https.
            "SECURE_SSL_REDIRECT": "false",
        }
        # The suite's own defaults (cms/settings/test.py) are not production's.
        env.pop("TASKS_BACKEND", None)
        env.pop("API_RATE_LIMIT", None)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                compose_web_command(self.port),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def get(self, path: str) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def answers(self) -> bool:
        try:
            return self.get("/healthz/")[0] in (200, 503)
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@pytest.fixture
def web(own_redis, articles):
    tmp = Path(tempfile.mkdtemp(prefix="cms-web-"))
    server = Web(own_redis.url, tmp)
    try:
        assert wait_for(server.answers, timeout=90, interval=0.5), server.log()[-3000:]
        yield server
    finally:
        server.stop()


@pytest.fixture
def articles(make_published):
    sleep = CategoryFactory(name="Sleep", slug="sleep")
    author = AuthorFactory(name="Ada", slug="ada")
    make_published("Magnesium and sleep", author, [sleep], ["magnesium"])
    for n in range(5):
        make_published(f"Water note {n}", author, [sleep], ["water"])


@pytest.fixture
def make_published(section):
    from tests.factories import ArticlePageFactory, publish

    def make(title, author, categories, tags):
        article = ArticlePageFactory(parent=section, title=title, author=author)
        article.categories.set(categories)
        article.tags.set(tags)
        return publish(article)

    return make


def comparable(body: bytes):
    """The answer, less what changes by itself: a cursor is signed with the time
    (django.core.signing), so only whether there is a next or previous page counts."""
    if not body.startswith(b"{"):
        return body
    data = json.loads(body)
    for link in ("next", "previous"):
        if link in data:
            data[link] = data[link] is not None
    return data


def paced_reads(web: Web, seconds: float, expected: dict) -> Counter:
    """Read PATHS round robin for ``seconds``; count outcomes, checking bodies."""
    outcomes: Counter = Counter()
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        path = PATHS[n % len(PATHS)]
        n += 1
        try:
            status, headers, body = web.get(path)
        except OSError as exc:
            outcomes[f"{type(exc).__name__}"] += 1
            continue
        outcomes[status] += 1
        if status == 200:
            assert comparable(body) == comparable(expected[path]), path
            outcomes[headers.get("Server-Timing", "").split(", ")[1]] += 1
        time.sleep(max(0.0, 1 / PACE - (time.monotonic() - started)))
    return outcomes


def test_public_api_answers_from_the_database_while_redis_is_down(web, own_redis):
    expected = {}
    for path in PATHS:
        status, _, body = web.get(path)
        assert status == 200, (path, body[:300])
        expected[path] = body
    # Redis up: the second read of each is a shared-cache hit.
    before = paced_reads(web, len(PATHS) / PACE, expected)
    assert before[200] == before["cache;desc=hit"] > 0, before

    own_redis.kill()
    down = paced_reads(web, OUTAGE_SECONDS, expected)
    health = web.get("/healthz/")
    print(f"\nRedis down {OUTAGE_SECONDS} s: {dict(down)}")
    assert set(down) == {200, "cache;desc=miss"}, down
    assert down[200] >= OUTAGE_SECONDS * PACE // 3, down
    assert health[0] == 503
    assert b"Error" not in health[2] and b"refused" not in health[2]

    own_redis.start()
    assert wait_for(lambda: web.get("/healthz/")[0] == 200, timeout=15)
    # Each web process bumps the content version once it reaches Redis again
    # (entries from before the outage are not trusted): then every read is a hit.
    after: Counter = Counter()

    def all_hits() -> bool:
        round_ = paced_reads(web, len(PATHS) / PACE, expected)
        after.update(round_)
        return round_[200] == round_["cache;desc=hit"] > 0

    settled = wait_for(all_hits, timeout=30, interval=0)
    print(f"Redis back: {dict(after)}")
    assert set(after) <= {200, "cache;desc=hit", "cache;desc=miss"}, after
    assert settled, after

    log = web.log()
    assert "Internal Server Error" not in log
    assert "Traceback" not in log, log[-5000:]
    # An outage is said, not shouted: a line per place per 10 s, not per request.
    assert 0 < log.count("redis unavailable") < down.total() / 2, log[-5000:]
