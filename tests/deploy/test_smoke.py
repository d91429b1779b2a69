"""The production smoke test: docker-compose.yml's stack, run without Docker.

Every process is started from the command its compose service runs (tests/support/
processes.py reads them from docker-compose.yml): the one-shot ``migrate`` (the
migrations, then the first admin from ADMIN_*), gunicorn with the production
settings, the publishing worker, the webhook worker, beat, the optional ``demo``,
and Debian's nginx with deploy/nginx.conf, changed only in its addresses and paths.
They run on a fresh PostgreSQL database, a Redis with a password and one media
folder that web and workers share, as the compose volume is; static files are
collected first with the Dockerfile's own command (its build step).

Then, through nginx only: the admin's CSS and scripts (WhiteNoise: hashed names, a
year's caching, gzip), the API docs page, a hero image of an article from the API
and its rendition, a scheduled publish going live at its second, and X-Forwarded-For
believed only as far as TRUSTED_PROXY_COUNT=1 says.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import yaml
from django.conf import settings

from tests.browser.test_admin_journey import local, set_date_field
from tests.support.processes import (
    COMPOSE,
    ROOT,
    Pipeline,
    RedisServer,
    compose_argv,
    free_port,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
DOCKERFILE = ROOT / "Dockerfile"
# The Dockerfile's build step, run here as the image build runs it.
COLLECTSTATIC = ["python", "manage.py", "collectstatic", "--noinput", "-v", "0"]
# Every compose service built from the image, and how the smoke test runs it.
ONE_SHOT = ("migrate", "demo")
LONG_RUNNING = ("web", "worker", "webhook-worker", "beat", "nginx")
# What the smoke test may change in a compose command: where it listens or keeps
# its state, and a worker's name. Nothing else (the drift check below).
ADAPTED_OPTIONS = {"--bind", "--hostname", "--schedule", "-c", "-e"}
API_RATE_LIMIT = 40
ADMIN_PASSWORD = secrets.token_urlsafe(16)


def adapted_nginx_conf(web_port: int, port: int, media: Path, tmp: Path) -> str:
    """deploy/nginx.conf with this machine's addresses and paths, nothing else: each
    replaced line must be there exactly once, so that the file cannot change under
    the test unnoticed."""
    text = NGINX_CONF.read_text()
    for old, new in {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "server web:8000;": f"server 127.0.0.1:{web_port};",
        "alias /app/var/media/;": f"alias {media}/;",
        "pid /var/run/nginx.pid;": f"pid {tmp}/nginx.pid;",
    }.items():
        assert text.count(old) == 1, f"{old!r} should appear once in {NGINX_CONF}"
        text = text.replace(old, new)
    return text


def _server_database_url() -> tuple[dict, str]:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    base = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
    return db, f"{base}{db['PORT'] or 5432}"


def _admin_connection():
    db, _ = _server_database_url()
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


class Smoke:
    """The running stack: where nginx answers, and how long it took."""

    def __init__(self, pipeline: Pipeline, base: str, timings: dict) -> None:
        self.pipeline = pipeline
        self.base = base
        self.port = urlsplit(base).port
        self.timings = timings
        self.readers = 0

    def get(
        self, path: str, headers: dict | None = None, source: str = "127.0.0.1"
    ) -> tuple[int, dict, bytes]:
        """One request to nginx from ``source`` (any 127.x address is this
        machine): status, headers (lower-case names), body."""
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            conn.close()

    def json(self, path: str) -> dict:
        """An API answer, each from a loopback address of its own: many readers,
        none of them near the rate limit of the test below."""
        self.readers += 1
        source = f"127.0.{1 + self.readers // 250}.{1 + self.readers % 250}"
        status, _, body = self.get(path, source=source)
        assert status == 200, (path, status, body[:500])
        return json.loads(body)


@pytest.fixture(scope="module")
def smoke():
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.fail("nginx is not installed (make tools installs Debian's package)")
    name = f"cms_smoke_{os.getpid()}_{secrets.token_hex(3)}"
    _, server_url = _server_database_url()
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    redis = RedisServer(password=secrets.token_hex(16)).start()
    # World-readable folders: nginx's workers run as another user (nobody) and read
    # the media folder, as the nginx container reads the shared volume.
    tmp = Path(tempfile.mkdtemp(prefix="cms-smoke-"))
    var = tmp / "var"
    media = var / "media"
    media.mkdir(parents=True)
    for folder in (tmp, var, media):
        folder.chmod(0o755)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    pipeline = Pipeline(
        f"{server_url}/{name}",
        redis.url,
        tmp,
        VAR_DIR=str(var),
        MEDIA_ROOT=str(media),
        MEDIA_STORAGE="filesystem",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WAGTAILADMIN_BASE_URL=base,
        # As docker-compose.yml: nginx is the one proxy in front.
        TRUSTED_PROXY_COUNT="1",
        ADMIN_USERNAME="smoke",
        ADMIN_PASSWORD=ADMIN_PASSWORD,
        ADMIN_EMAIL="smoke@example.com",
        CACHE_KEY_PREFIX=name,
        API_RATE_LIMIT=f"{API_RATE_LIMIT}/h",
        # Plain http on loopback: no TLS here (compose's defaults are true).
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    timings = {}
    try:
        started = time.monotonic()
        pipeline.run_once("collectstatic", argv=[sys.executable, *COLLECTSTATIC[1:]])
        timings["collectstatic_s"] = round(time.monotonic() - started, 1)

        # The cold start: an empty database to a healthy /healthz/ through nginx.
        started = time.monotonic()
        pipeline.run_once("migrate")
        timings["migrate_s"] = round(time.monotonic() - started, 1)
        web = pipeline.web()
        pipeline.worker("worker")
        pipeline.webhook_worker("webhook-worker")
        pipeline.beat("beat")
        nginx = pipeline.nginx(
            adapted_nginx_conf(urlsplit(web.url).port, port, media, tmp),
            f"{base}/healthz/",
        )
        assert nginx.alive()
        smoke = Smoke(pipeline, base, timings)
        assert wait_for(lambda: smoke.get("/healthz/")[0] == 200, 60)
        timings["cold_start_to_healthy_s"] = round(time.monotonic() - started, 1)

        started = time.monotonic()
        pipeline.run_once("demo")
        timings["demo_s"] = round(time.monotonic() - started, 1)
        print(f"\n[smoke] timings: {json.dumps(timings)}")
        (tmp / "timings.json").write_text(json.dumps(timings))
        yield smoke
    finally:
        pipeline.stop_all()
        redis.stop()
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not os.environ.get("CMS_SMOKE_KEEP_LOGS"):
            shutil.rmtree(tmp, ignore_errors=True)


def started_argv(smoke: Smoke, name: str) -> list[str]:
    return smoke.pipeline.procs[name].argv


def without_adapted_options(argv: list[str]) -> list[str]:
    out, skip = [], False
    for word in argv:
        if skip:
            skip = False
        elif word in ADAPTED_OPTIONS:
            skip = True
        else:
            out.append(word)
    return out


def test_the_smoke_stack_runs_compose_s_commands(smoke):
    """Every service built from the image is started here, and with its compose
    command (only listen addresses, state paths and worker names changed)."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    built = {name for name, spec in services.items() if "build" in spec}
    assert built == set(ONE_SHOT) | set(LONG_RUNNING) - {"nginx"}, built
    assert services["nginx"]["volumes"][0].startswith("./deploy/nginx.conf:")
    for name in (*ONE_SHOT, *LONG_RUNNING):
        started = started_argv(smoke, name)
        expected = compose_argv(name)
        assert Path(started[0]).name == Path(expected[0]).name, name
        assert without_adapted_options(started[1:]) == without_adapted_options(
            expected[1:]
        ), name
    # The build step is the Dockerfile's.
    assert " ".join(COLLECTSTATIC) in DOCKERFILE.read_text()


def test_cold_start_is_timed(smoke):
    assert 0 < smoke.timings["cold_start_to_healthy_s"] < 300, smoke.timings


def test_admin_static_files_come_from_whitenoise_hashed_cached_and_compressed(smoke):
    status, _, body = smoke.get("/admin/login/")
    assert status == 200
    stylesheets = re.findall(rb'href="(/static/[^"]+\.css)"', body)
    scripts = re.findall(rb'src="(/static/[^"]+\.js)"', body)
    assert stylesheets and scripts, body[:2000]
    for path in (*stylesheets, *scripts):
        # Content-hashed names (ManifestStaticFilesStorage), not the source names.
        assert re.search(rb"\.[0-9a-f]{12}\.(css|js)$", path), path
    path = stylesheets[0].decode()
    status, headers, body = smoke.get(path, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["content-type"].startswith("text/css")
    assert "immutable" in headers["cache-control"]
    assert int(re.search(r"max-age=(\d+)", headers["cache-control"])[1]) >= 31536000
    assert b"{" in gzip.decompress(body)
    # Without gzip in Accept-Encoding, the plain file.
    status, headers, plain = smoke.get(path)
    assert status == 200 and "content-encoding" not in headers
    assert plain == gzip.decompress(body)


def test_admin_renders_with_its_css_and_scripts_in_chromium(smoke, page):
    failed = []
    page.on(
        "response",
        lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None,
    )
    page.goto(f"{smoke.base}/admin/login/")
    page.fill("#id_username", "smoke")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{smoke.base}/admin/")
    page.wait_for_load_state("networkidle")
    assert failed == []
    # Every stylesheet parsed into rules, and the scripts ran: the sidebar is drawn
    # by Wagtail's JavaScript.
    sheets = page.evaluate(
        "Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
        ".map(l => l.sheet ? l.sheet.cssRules.length : 0)"
    )
    assert sheets and min(sheets) > 0, sheets
    assert page.locator("[data-wagtail-sidebar] a, .sidebar a").count() > 3
    # Styled: the sidebar is not laid out as an unstyled list of links.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.sidebar'))."
        "backgroundColor !== 'rgba(0, 0, 0, 0)'"
    )
    page.screenshot(path=str(smoke.pipeline.tmp / "admin.png"))


def test_api_docs_render_in_chromium(smoke, page):
    page.goto(f"{smoke.base}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() > 5
    assert "articles" in page.content()


def test_a_hero_image_from_the_api_loads_through_nginx(smoke, page):
    articles = smoke.json("/api/v1/articles/")["results"]
    hero = next(a["hero_image"] for a in articles if a["hero_image"])
    url = urlsplit(hero["url"])
    # An absolute URL on the address nginx answers (WAGTAILADMIN_BASE_URL).
    assert f"{url.scheme}://{url.netloc}" == smoke.base, hero
    assert url.path.startswith("/media/images/"), hero
    status, headers, body = smoke.get(url.path)
    assert status == 200
    assert headers["content-type"].startswith("image/")
    assert "max-age=2592000" in headers["cache-control"]
    assert "gunicorn" not in headers.get("server", "")
    # The file is the rendition the web process wrote to the shared media folder.
    media = smoke.pipeline.tmp / "var" / "media"
    assert body == (media / url.path.removeprefix("/media/")).read_bytes()
    # And Chromium draws it, on the article's page of the reading view.
    article = next(a for a in articles if a["hero_image"])
    page.goto(f"{smoke.base}{urlsplit(article['url']).path}")
    drawn = page.evaluate(
        "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0)"
        ".map(i => new URL(i.src).pathname)"
    )
    assert any(p.startswith("/media/images/") for p in drawn), drawn
    # Documents are not served from the media folder, only through Django.
    assert smoke.get("/media/documents/anything.pdf")[0] == 404


def test_x_forwarded_for_is_believed_only_from_the_one_proxy(smoke):
    """TRUSTED_PROXY_COUNT=1: the client is the address nginx saw, whatever the
    client wrote in X-Forwarded-For itself. The rate limit (API_RATE_LIMIT per
    client address) shows which address the web process took."""
    for n in range(API_RATE_LIMIT):
        status, _, _ = smoke.get(
            "/sitemap.xml",
            {"X-Forwarded-For": f"198.51.100.{n}"},  # a new "client" every time
            source="127.0.0.2",
        )
        assert status == 200, n
    # All were counted as 127.0.0.2: the next one is refused, whatever it claims.
    status, headers, _ = smoke.get(
        "/sitemap.xml", {"X-Forwarded-For": "203.0.113.9"}, source="127.0.0.2"
    )
    assert status == 429 and "retry-after" in headers
    # Another address nginx sees is another client (not nginx's own address).
    assert smoke.get("/sitemap.xml", source="127.0.0.3")[0] == 200


def test_a_scheduled_publish_goes_live_at_its_second(smoke, page):
    article = smoke.json("/api/v1/articles/")["results"][-1]
    new_title = f"Scheduled through nginx {secrets.token_hex(3)}"
    page.goto(f"{smoke.base}/admin/login/")
    page.fill("#id_username", "smoke")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{smoke.base}/admin/")
    page.goto(f"{smoke.base}/admin/pages/{article['id']}/edit/")
    page.fill("#id_title", new_title)
    page.click("[data-side-panel-toggle=status]")
    page.get_by_role("button", name="Set schedule").click()
    go_live = (datetime.now(UTC) + timedelta(seconds=12)).replace(microsecond=0)
    set_date_field(page, "#id_go_live_at", local(go_live))
    page.get_by_role("button", name="Save schedule").click()
    page.wait_for_url("**/edit/**")
    footer = page.locator("footer")
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    footer.locator("button[name=action-publish]").click()
    page.wait_for_load_state()
    path = f"/api/v1/articles/{article['slug']}/"
    assert smoke.json(path)["title"] == article["title"]  # not yet

    seen = wait_for(lambda: smoke.json(path)["title"] == new_title, 60, interval=0.2)
    assert seen, smoke.pipeline.log("worker")[-3000:]
    updated = datetime.fromisoformat(smoke.json(path)["updated_at"])
    assert go_live <= updated <= go_live + timedelta(seconds=2), (updated, go_live)
