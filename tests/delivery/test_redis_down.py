"""Redis down: every public endpoint still answers, from the database (R27).

The cache and the broker are pointed at a port nothing listens on (``redis_down``,
tests/conftest.py). Each endpoint must answer exactly what it answers with Redis up;
only the speed and the ``Server-Timing`` cache state may differ.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.rich_text import RichText

from cms.content.models import ArticleDocument
from cms.content.preview import mint_preview_token
from delivery import cache as delivery_cache
from delivery import signal_handlers
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings, tmp_path):
    # Every counter the public API keeps in Redis is in play.
    settings.API_RATE_LIMIT = "600/m"
    settings.PREVIEW_RATE_LIMIT = "60/m"
    settings.AUTH_FAILURE_RATE_LIMIT = "10/m"
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def no_outage_seen(monkeypatch):
    monkeypatch.setattr(delivery_cache, "_outage_seen", False)


@pytest.fixture
def site(make_article, category):
    """Two live articles, one linking to the other, with an image, a category, a
    tag and an author; and a newer draft of one of them, for a preview."""
    image = wagtail_factories.ImageFactory(
        title="A glass", file__width=800, file__height=600
    )
    author = AuthorFactory(name="Ada", slug="ada", avatar=image)
    water = make_article(
        title="Water and sleep",
        author=author,
        hero_image=image,
        categories=[category],
        tags=["water"],
    )
    make_article(
        title="Magnesium facts",
        author=author,
        categories=[category],
        tags=["magnesium"],
        body=[
            (
                "paragraph",
                RichText(f'<p>See <a linktype="page" id="{water.pk}">water</a>.</p>'),
            )
        ],
    )
    water.title = "A draft title"
    water.save_revision()
    chief = get_user_model().objects.create_superuser(
        "chief", "chief@example.com", "x" * 12
    )
    return {"preview": mint_preview_token(water, user_id=chief.pk).token}


def public_paths(site: dict) -> list[str]:
    return [
        "/api/v1/articles/",
        "/api/v1/articles/?q=water",
        "/api/v1/articles/?q=magnesium&category=sleep",
        "/api/v1/articles/?tag=water&limit=1",
        "/api/v1/articles/water-and-sleep/",
        "/api/v1/articles/magnesium-facts/",
        "/api/v1/articles/no-such-article/",
        "/api/v1/articles/?limit=1000",
        "/api/v1/search/suggest/?q=magn",
        "/api/v1/categories/",
        "/api/v1/authors/",
        "/api/v1/authors/ada/",
        "/api/v1/tags/",
        f"/api/v1/preview/?token={site['preview']}",
        "/api/v1/preview/?token=tampered",
        "/api/v1/openapi.json",
        "/api/v1/docs/",
        "/feeds/articles/",
        "/sitemap.xml",
    ]


def answers(paths: list[str]) -> dict[str, tuple[int, bytes]]:
    client = Client(raise_request_exception=False)
    return {path: _answer(client.get(path)) for path in paths}


def _answer(response) -> tuple[int, bytes]:
    return response.status_code, response.content


@pytest.mark.parametrize("documents", ["stored", "rendered from the pages"])
def test_every_public_endpoint_answers_the_same_without_redis(
    site, redis_down, documents
):
    if documents != "stored":
        ArticleDocument.objects.all().delete()
    paths = public_paths(site)
    with_redis = answers(paths)
    with redis_down():
        without_redis = answers(paths)
    assert {p: status for p, (status, _) in without_redis.items()} == {
        p: status for p, (status, _) in with_redis.items()
    }
    for path in paths:
        assert without_redis[path] == with_redis[path], path
    statuses = {status for status, _ in without_redis.values()}
    assert statuses == {200, 400, 401, 404}


def test_a_cached_response_is_not_needed_without_redis(site, redis_down):
    """Served from the database, with the same ETag and a conditional GET."""
    api = Client()
    first = api.get("/api/v1/articles/")
    assert "cache;desc=hit" in api.get("/api/v1/articles/")["Server-Timing"]
    with redis_down():
        again = api.get("/api/v1/articles/")
        assert again.status_code == 200
        assert "cache;desc=miss" in again["Server-Timing"]
        assert again["ETag"] == first["ETag"]
        unchanged = api.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert unchanged.status_code == 304


def test_the_cache_is_used_again_once_redis_returns(site, redis_down):
    api = Client()
    with redis_down():
        assert api.get("/api/v1/categories/").status_code == 200
    assert "cache;desc=miss" in api.get("/api/v1/categories/")["Server-Timing"]
    assert "cache;desc=hit" in api.get("/api/v1/categories/")["Server-Timing"]


def test_a_publish_while_redis_was_down_is_served_once_it_returns(
    site, redis_down, make_article, django_capture_on_commit_callbacks
):
    # Redis keeps its data through the outage (a partition, a restart with AOF):
    # the entry cached before it must not outlive the publish whose bump was lost.
    api = Client()
    count = api.get("/api/v1/articles/").json()["count"]
    assert "cache;desc=hit" in api.get("/api/v1/articles/")["Server-Timing"]
    with redis_down(), django_capture_on_commit_callbacks(execute=True):
        make_article(title="Published in the dark")
    assert api.get("/api/v1/articles/").json()["count"] == count + 1


def test_a_reader_during_an_outage_retires_entries_from_before_it(
    site, redis_down, make_article, django_capture_on_commit_callbacks, monkeypatch
):
    # The publish happened on a worker, whose bump was lost with Redis: the web
    # process only knows that it could not reach Redis for a while.
    api = Client()
    count = api.get("/api/v1/articles/").json()["count"]
    with redis_down():
        with monkeypatch.context() as lost:
            lost.setattr(signal_handlers, "bump_content_version", lambda: None)
            with django_capture_on_commit_callbacks(execute=True):
                make_article(title="Published on a worker")
        assert api.get("/api/v1/tags/").status_code == 200
    assert api.get("/api/v1/articles/").json()["count"] == count + 1


def test_rate_limits_let_readers_through_without_redis(site, settings, redis_down):
    settings.API_RATE_LIMIT = "2/m"
    api = Client()
    with redis_down():
        statuses = [api.get("/api/v1/tags/").status_code for _ in range(5)]
    assert statuses == [200] * 5
    # With Redis the limit holds again.
    statuses = [api.get("/api/v1/tags/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.fixture
def silent_redis():
    """A TCP port that accepts connections and never answers: a hung Redis, or
    one behind a partition, costs a timeout where a dead one costs a refusal."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_a_hung_redis_costs_one_timeout_not_one_per_cache_call(
    site, redis_down, silent_redis
):
    api = Client(raise_request_exception=False)
    paths = ["/api/v1/articles/", "/api/v1/articles/water-and-sleep/"] * 3
    with redis_down(silent_redis):
        started = time.monotonic()
        statuses = [api.get(path).status_code for path in paths]
        elapsed = time.monotonic() - started
    assert statuses == [200] * len(paths)
    # Each request makes ~5 cache calls, each waiting out the 1 s socket timeout
    # without the breaker (30 s here); with it, one wait per RETRY_AFTER.
    assert elapsed < 8, elapsed
