"""A new user's first contact, on the embedded default that `make run` starts.

The real stack (``python -m cms.stack``: SQLite, the embedded Redis on a unix
socket, runserver, two workers and beat) in a folder of its own, driven by
Debian's Chromium: the dashboard tells the truth, the reading view serves the site
and the preview panel, a release entered as 09:00 America/New_York is 14:00 UTC in
the publishing API, the month grid shows it and the list's inline form moves it,
and a failing webhook delivery's page shows its attempts. It writes the
screenshots of docs/ (README, docs/admin.md). About two minutes, most of it the
stack's start.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import ROOT
from tests.support import processes

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DOCS = ROOT / "docs"
NEW_YORK = ZoneInfo("America/New_York")
ARTICLE = "/news/magnesium-and-restless-legs/"
ARTICLE_TITLE = "Magnesium and Restless Legs: What the Evidence Says"
DRAFT_TITLE = "Protein: How Much Do You Really Need?"
DRAFT_URL = "/news/protein-how-much/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedStack:
    """`make run` in a temporary folder, on a free port."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.var = tmp / "var"
        self.log = tmp / "stack.log"
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
            and not k.startswith("CACHE_KEY")
        }
        self.env.update(VAR_DIR=str(self.var), PORT=str(self.port))
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 240) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cms.stack"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while "press Ctrl-C" not in self.log.read_text():
            assert self.process.poll() is None, self.log.read_text()[-4000:]
            assert time.monotonic() < deadline, self.log.read_text()[-4000:]
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def manage(self, code: str) -> str:
        """Python run by `manage.py shell` against the stack's own database."""
        env = {**self.env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def password(self) -> str:
        return (self.var / "admin-password.txt").read_text().strip()

    def get(self, path: str, token: str | None = None):
        request = Request(self.base + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
                return response.status, response.read()
        except OSError as exc:  # HTTPError is an OSError with a code and a body
            return getattr(exc, "code", 0), exc.read() if hasattr(exc, "read") else b""


@pytest.fixture
def stack(tmp_path):
    running = EmbeddedStack(tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        if os.environ.get("CMS_BROWSER_KEEP_LOGS"):
            print(running.log.read_text()[-20000:])


# The harness's poll, at a pace a page load can keep.
wait_for = partial(processes.wait_for, interval=0.5)


def winter_day(after: int = 7) -> date:
    """A day at least ``after`` days ahead on which New York keeps standard time
    (UTC-5), so that 09:00 there is 14:00 UTC."""
    day = datetime.now(NEW_YORK).date() + timedelta(days=after)
    while datetime(day.year, day.month, day.day, 9, tzinfo=NEW_YORK).utcoffset() != (
        timedelta(hours=-5)
    ):
        day += timedelta(days=1)
    return day


def log_in(page, stack: EmbeddedStack) -> None:
    page.goto(f"{stack.base}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", stack.password())
    page.click("button[type=submit]")
    page.wait_for_url(f"{stack.base}/admin/")


def shot(page, name: str, locator=None, full_page: bool = False) -> None:
    target = locator or page
    if locator is None:
        target.screenshot(path=str(DOCS / name), full_page=full_page)
    else:
        target.screenshot(path=str(DOCS / name))


def test_a_new_user_finds_every_screen_working_and_truthful(stack, page):
    log_in(page, stack)

    # The dashboard: real queue depths from the embedded Redis, no broker alarm.
    def dashboard_settled():
        page.goto(f"{stack.base}/admin/")
        panel = page.locator("[data-pipeline-health]")
        return "worker@" in panel.inner_text() and panel

    panel = wait_for(dashboard_settled, 60)
    text = panel.inner_text()
    assert "cannot be reached" not in text and "broker unreachable" not in text
    assert "publishing 0" in page.locator("[data-queue-depths]").inner_text() or (
        "publishing " in page.locator("[data-queue-depths]").inner_text()
    )
    assert panel.get_attribute("data-pipeline-health") == "healthy", text
    shot(page, "admin-health.png", page.locator("section:has([data-pipeline-health])"))

    # The reading view: the site at the article's URL ("View live"), drafts 404.
    status, body = stack.get(ARTICLE)
    assert status == 200 and f"<h1>{ARTICLE_TITLE}</h1>".encode() in body
    hidden = stack.get(DRAFT_URL)
    missing = stack.get("/news/never-written/")
    assert hidden[0] == missing[0] == 404 and hidden[1] == missing[1]
    page.set_viewport_size({"width": 1000, "height": 1000})
    page.goto(f"{stack.base}{ARTICLE}")
    shot(page, "reading-article.png")
    page.set_viewport_size({"width": 1400, "height": 1000})

    # The preview panel renders the article through the reading view.
    article_id = int(stack.manage(
        "from cms.content.models import ArticlePage;"
        f"print(ArticlePage.objects.get(title={ARTICLE_TITLE!r}).pk)"
    ))  # fmt: skip
    page.goto(f"{stack.base}/admin/pages/{article_id}/edit/")
    page.click("[data-side-panel-toggle=preview]")
    frame = page.frame_locator("#w-preview-iframe")
    heading = frame.locator("h1").first
    heading.wait_for()
    assert heading.inner_text() == ARTICLE_TITLE
    preview_text = frame.locator("body").inner_text()
    for error in ("TemplateDoesNotExist", "Server Error", "Traceback"):
        assert error not in preview_text
    page.wait_for_timeout(500)
    shot(page, "admin-preview.png")
    # "View live": the editor's LIVE tag links to the article's URL.
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Visit the live page").first.click()
    assert popup.value.locator("h1").inner_text() == ARTICLE_TITLE

    # A release entered as 09:00 in New York: 14:00 UTC in the publishing API.
    day = winter_day()
    page.goto(f"{stack.base}/admin/publishing/releases/add/")
    page.fill("#id_title", "Winter launch")
    page.select_option("#id_time_zone", "America/New_York")
    page.locator("#id_publish_at").evaluate(
        "(el, value) => { el.value = value;"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }",
        f"{day.isoformat()} 09:00:00",
    )
    page.click("#id_items-ADD")
    form = page.locator("[id^=inline_child_items-]:visible").last
    form.get_by_role("button", name="Choose").click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill("Protein")
    modal.get_by_role("link", name=DRAFT_TITLE).first.click()
    modal.wait_for(state="hidden")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url("**/publishing/releases/**")
    release_id = int(stack.manage(
        "from publishing.models import Release;"
        "print(Release.objects.get(title='Winter launch').pk)"
    ))  # fmt: skip
    page.goto(f"{stack.base}/admin/publishing/releases/{release_id}/")
    page.get_by_role("button", name="Schedule release").click()
    page.locator("[data-release-status=scheduled]").wait_for()
    page.reload()  # without the success message's banner
    shot(page, "admin-release.png")
    token = stack.manage(
        "from django.contrib.auth import get_user_model;"
        "from publishing.tokens import PUBLISHING_READ, create_token;"
        "user = get_user_model().objects.get(username='admin');"
        "print(create_token(user=user, name='browser test',"
        " scopes=[PUBLISHING_READ])[1])"
    )
    status, body = stack.get(f"/api/v1/publishing/releases/{release_id}/", token)
    assert status == 200, body
    release = json.loads(body)
    assert release["publish_at"] == f"{day.isoformat()}T14:00:00+00:00"
    assert release["time_zone"] == "America/New_York"

    # The month grid shows it; the list's inline form moves it.
    page.goto(f"{stack.base}/admin/publishing/calendar/?on={day.isoformat()}")
    entry = page.locator(f"[data-calendar-entry='release-{release_id}']")
    entry.wait_for()
    assert "Winter launch" in entry.inner_text()
    page.wait_for_timeout(300)
    shot(page, "admin-calendar.png")
    row_day = (
        datetime(day.year, day.month, day.day, 14, tzinfo=UTC)
        .astimezone(ZoneInfo("Europe/London"))
        .date()
    )
    page.goto(f"{stack.base}/admin/publishing/calendar/?view=day&date={row_day}#agenda")
    row = page.locator(f"[data-calendar-item='release-{release_id}']")
    row.locator("input[type=datetime-local]").fill(f"{day.isoformat()}T10:30:00")
    row.get_by_role("button", name="Reschedule").click()
    page.wait_for_load_state()
    status, body = stack.get(f"/api/v1/publishing/releases/{release_id}/", token)
    assert json.loads(body)["publish_at"] == f"{day.isoformat()}T15:30:00+00:00"

    # A webhook endpoint on a closed loopback port: its delivery page shows why.
    page.goto(f"{stack.base}/admin/webhooks_endpoint/new/")
    page.fill("#id_url", "http://127.0.0.1:9/api/revalidate")
    page.fill("#id_description", "A local front end that is not running")
    page.check("input[name=events][value='article.published']")
    page.get_by_role("button", name="Create").first.click()
    # The signing secret is shown once, on a page of its own; Done goes to the list.
    page.get_by_text("shown only now").wait_for()
    assert page.locator("code").first.inner_text().startswith("whsec_")
    page.get_by_role("link", name="Done").click()
    page.wait_for_url("**/webhooks_endpoint/")
    stack.manage(
        "from cms.content.models import ArticlePage;"
        f"a = ArticlePage.objects.get(pk={article_id});"
        "a.save_revision().publish(); print('ok')"
    )

    def delivery_with_attempts():
        page.goto(f"{stack.base}/admin/webhooks_delivery/")
        link = page.locator("a[href*='/webhooks_delivery/inspect/']").first
        if not link.count():
            return None
        link.click()
        page.wait_for_load_state()
        attempts = page.locator("[data-delivery-attempts] [data-attempt]")
        return attempts.count() and attempts

    attempts = wait_for(delivery_with_attempts, 60, interval=2)
    assert attempts, "no attempt was logged"
    assert "Connection refused" in attempts.first.inner_text()
    shot(page, "admin-webhook-delivery.png")

    # A calm console: the start-up ends with the URLs and the login; no traceback.
    console = stack.log.read_text()
    tail = console[console.index("[cms] site:") :]
    assert "[cms] login:    admin / " in tail
    assert "Traceback" not in console
