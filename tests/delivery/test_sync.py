"""Sync (CONTRACT section 5): a client that applies every change in order ends
with exactly the public articles, whatever happened in between; tokens are signed
and expire; pages hold at most 1,000 changes; queries do not grow with the page."""

from __future__ import annotations

import random
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.content.models import ArticlePage
from cms.content.visibility import public_articles
from delivery import sync as sync_module
from delivery.richtext import public_url_for_path
from publishing.golive import unpublish_page_if_expired
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, publish


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


class Client:
    """A static build's view of the site: article id -> url."""

    def __init__(self, api):
        self.api = api
        self.state: dict[int, str] = {}
        self.token: str | None = None
        self.pages = 0
        self.seen: set[str] = set()

    def sync(self) -> None:
        url = "/api/v1/sync/"
        if self.token:
            url += f"?since={self.token}"
        while url:
            response = self.api.get(url)
            assert response.status_code == 200, response.content
            data = response.json()
            self.pages += 1
            for change in data["changes"]:
                self.seen.add(change["change"])
                if change["change"] == "upsert":
                    self.state[change["id"]] = change["url"]
                else:
                    assert change["change"] == "delete"
                    self.state.pop(change["id"], None)
            self.token = data["since"]
            url = data["next"]


def public_now() -> dict[int, str]:
    return {
        pk: public_url_for_path(url_path)
        for pk, url_path in public_articles().values_list("pk", "url_path")
    }


def test_first_sync_lists_every_public_article_as_upserts(api, make_article, section):
    one = make_article(title="One")
    two = make_article(title="Two")
    ArticlePageFactory(parent=section, title="Draft", live=False)
    data = api.get("/api/v1/sync/").json()
    assert [(c["id"], c["change"], c["url"]) for c in data["changes"]] == [
        (one.pk, "upsert", "/news/one/"),
        (two.pk, "upsert", "/news/two/"),
    ]
    assert data["next"] is None
    assert data["since"]


def test_changes_since_a_token_in_commit_order_with_deletions(
    api, make_article, committed
):
    first = make_article(title="First")
    token = api.get("/api/v1/sync/").json()["since"]
    with committed():
        second = make_article(title="Second")
    with committed():
        first.unpublish()
    data = api.get(f"/api/v1/sync/?since={token}").json()
    assert [(c["id"], c["change"]) for c in data["changes"]] == [
        (second.pk, "upsert"),
        (first.pk, "delete"),
    ]
    assert data["changes"][1]["url"] == "/news/first/"
    again = api.get(f"/api/v1/sync/?since={data['since']}").json()
    assert again["changes"] == []
    assert again["next"] is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_client_applying_every_change_ends_with_the_public_articles(
    api, home, section, committed, seed
):
    rng = random.Random(seed)
    sport = ArticleIndexPageFactory(parent=home, title="Sport", slug="sport")
    sections = [section, sport]
    client = Client(api)
    made = 0

    def articles(live=True):
        return list(ArticlePage.objects.filter(live=live).order_by("pk"))

    def publish_new():
        nonlocal made
        made += 1
        parent = rng.choice(sections)
        publish(ArticlePageFactory(parent=parent, title=f"Piece {seed} {made}"))

    def rename(page):
        page.slug = f"{page.slug}-x"
        publish(page)

    def expire(page):
        ArticlePage.objects.filter(pk=page.pk).update(
            expire_at=timezone.now() - timedelta(seconds=1)
        )
        assert unpublish_page_if_expired(page.pk)

    def move(page):
        target = sport if page.get_parent().pk == section.pk else section
        page.move(target, pos="last-child")

    def toggle_section():
        fresh = type(sport).objects.get(pk=sport.pk)
        if fresh.live:
            fresh.unpublish()
        else:
            publish(fresh)

    def toggle_restriction():
        restriction = PageViewRestriction.objects.filter(page=sport).first()
        if restriction:
            restriction.delete()
        else:
            PageViewRestriction.objects.create(page=sport, restriction_type="login")

    def rename_author(page):
        page.author.name = page.author.name + "!"
        page.author.save()

    operations = [
        (3, lambda: publish_new()),
        (1, lambda: rename(rng.choice(articles()))),
        (1, lambda: rng.choice(articles()).unpublish()),
        (1, lambda: publish(rng.choice(articles(live=False)))),
        (1, lambda: expire(rng.choice(articles()))),
        (1, lambda: move(rng.choice(articles()))),
        (1, lambda: rng.choice(articles()).delete()),
        (1, toggle_section),
        (1, toggle_restriction),
        (1, lambda: rename_author(rng.choice(articles()))),
    ]
    weights = [w for w, _ in operations]
    for _ in range(4):
        publish_new()
    client.sync()
    for step in range(30):
        _, operation = rng.choices(operations, weights)[0]
        try:
            with committed():
                operation()
        except IndexError:  # nothing to act on (rng.choice of an empty list)
            continue
        if rng.random() < 0.4:
            client.sync()
            assert client.state == public_now(), f"after step {step}"
    client.sync()
    assert client.state == public_now()
    assert client.seen == {"upsert", "delete"}  # the run exercised both


def test_pages_hold_at_most_1000_changes_and_follow_next(
    api, make_article, monkeypatch, committed
):
    monkeypatch.setattr(sync_module, "PAGE_SIZE", 2)
    for n in range(5):
        make_article(title=f"Bulk {n}")
    first = api.get("/api/v1/sync/").json()
    assert len(first["changes"]) == 2
    assert first["next"]
    client = Client(api)
    client.sync()
    assert client.pages == 3
    assert client.state == public_now()
    for n in range(3):
        with committed():
            make_article(title=f"Later {n}")
    client.sync()
    assert client.state == public_now()


def test_the_page_size_is_1000():
    assert sync_module.PAGE_SIZE == 1000


@pytest.mark.parametrize("token", ["forged", "", "x" * 3000])
def test_a_token_the_server_did_not_issue_is_a_400(api, db, token):
    response = api.get("/api/v1/sync/", {"since": token})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "since"


def test_a_token_older_than_the_retention_is_a_410(api, db, settings):
    settings.SYNC_RETENTION_DAYS = 30
    old = signing.dumps(
        {"c": 0, "t": int(time.time()) - 31 * 86400}, salt=sync_module.SALT
    )
    response = api.get("/api/v1/sync/", {"since": old})
    assert response.status_code == 410
    error = response.json()["error"]
    assert error["field"] == "since"
    assert "sync from scratch" in error["message"]


def test_unknown_and_repeated_parameters_are_400s(api, db):
    assert api.get("/api/v1/sync/?limit=3").status_code == 400
    assert api.get("/api/v1/sync/?since=a&since=b").status_code == 400


def test_sync_is_served_with_etag_and_304(api, make_article):
    make_article()
    first = api.get("/api/v1/sync/")
    assert api.get("/api/v1/sync/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_sync_query_count_does_not_grow_with_the_page(api, make_article, committed):
    from django.core.cache import cache

    def count(url):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        return len(queries)

    make_article(title="A0")
    token = api.get("/api/v1/sync/").json()["since"]
    with committed():
        make_article(title="A1")
    small = (count("/api/v1/sync/"), count(f"/api/v1/sync/?since={token}"))
    for n in range(2, 8):
        with committed():
            make_article(title=f"A{n}")
    large = (count("/api/v1/sync/"), count(f"/api/v1/sync/?since={token}"))
    assert small == large
    # First listing: the log position and the articles (plus the savepoints
    # around them and the cache boundary); since: the log page.
    assert large[0] <= 6 and large[1] <= 3, large
