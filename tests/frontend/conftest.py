"""The reference front end over the real stack, in Debian's Chromium.

One stack for the module, started by tests/support/processes.py: the CMS's web
server as `make run` starts it (the admin needs its static files), the publishing
and webhook workers and beat as compose starts them, and ``next start`` of one
production build (cms.frontend.ensure_build: built once, reused while the sources
do not change). The CMS's webhook endpoint points at the front end's revalidation
route, and HEADLESS_PREVIEW_URL at its draft-mode route, as `make frontend` sets
them up.

The processes share the test database, so the tests are transactional (their data
committed, the database emptied after each and the migrations' data restored); each
test makes its own editor, section and webhook endpoint (with the secret the front
end was started with).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from cms import frontend
from publishing.webhooks import encryption
from publishing.webhooks.signing import generate_secret
from tests.support import processes
from tests.support.browser import chromium, new_page
from tests.support.processes import Pipeline, free_port
from tests.support.suite import database_url, purge_queues

PASSWORD = "front-end-e2e-password"


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = build_opener(NoRedirect)


def get(url: str) -> tuple[int, dict, str]:
    """One GET, redirects not followed: status, headers, body."""
    try:
        with _opener.open(Request(url), timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


# The harness's poll: 20 s unless told, every 0.2 s.
wait_until = partial(processes.wait_for, timeout=20, interval=0.2)


class Site:
    """The running stack: the CMS's and the front end's addresses."""

    def __init__(
        self, pipeline: Pipeline, cms_url: str, front_url: str, secret: str
    ) -> None:
        self.pipeline = pipeline
        self.secret = secret
        self.cms = cms_url
        self.front = front_url

    def page(self, path: str) -> tuple[int, dict, str]:
        return get(self.front + path)


@pytest.fixture(scope="session")
def frontend_build() -> Path:
    if not shutil.which("node"):
        pytest.fail("Node.js is not installed (the front end needs Node 20)")
    return frontend.ensure_build()


# Per test (the module has one): its processes stop before the test's database is
# emptied, so none of them writes into the empty database (a content type made
# again there broke the next transactional test's restore).
@pytest.fixture
def site(frontend_build, transactional_db):
    # The suite's cache may hold another run's site root paths (with a site id
    # that no longer exists): the processes would make no redirect on a rename.
    cache.clear()
    purge_queues()
    tmp = Path(tempfile.mkdtemp(prefix="cms-frontend-"))
    front_port = free_port()
    front_url = f"http://127.0.0.1:{front_port}"
    pipeline = Pipeline(
        database_url(),
        settings.REDIS_URL,
        tmp,
        HEADLESS_PREVIEW_URL=f"{front_url}/api/preview/?token={{token}}",
        FRONTEND_BASE_URL=front_url,
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        WEBHOOK_REQUIRE_HTTPS="false",
        NEXT_TELEMETRY_DISABLED="1",
        # The endpoint's secret is encrypted by this process (register_webhook):
        # the processes decrypt it with the same key.
        WEBHOOK_SECRET_KEYS=encryption.keys()[0].decode(),
    )
    secret = generate_secret()
    try:
        pipeline.worker(concurrency=2)
        pipeline.webhook_worker(concurrency=4)
        pipeline.beat()
        web = pipeline.runserver()
        frontend.clear_data_cache()
        pipeline.next_start(
            frontend_build,
            port=front_port,
            CMS_URL=web.url,
            CMS_WEBHOOK_SECRET=secret,
        )
        yield Site(pipeline, web.url, front_url, secret)
    finally:
        pipeline.stop_all()
        if os.environ.get("CMS_FRONTEND_KEEP_LOGS"):
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def receiver(site, transactional_db):
    """The CMS's webhook endpoint for the front end's revalidation route, as
    `make frontend` registers it."""
    out = io.StringIO()
    call_command(
        "register_webhook",
        f"{site.front}/api/revalidate/",
        secret=site.secret,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue().strip()


@pytest.fixture
def browser():
    # Per test, like the database: Playwright's event loop must be gone when the
    # test's database is emptied, or Django's connection there is another one
    # (asgiref's context-local), without the serialized rows to restore, and the
    # flush makes new content types that break the next transactional test.
    # DJANGO_ALLOW_ASYNC_UNSAFE is for the test's own ORM calls beside that loop;
    # restored after, so that no later child process inherits it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium() as browser:
            yield browser


@pytest.fixture
def page(browser):
    with new_page(browser, timeout_ms=20_000) as page:
        yield page
