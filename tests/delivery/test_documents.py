"""Stored delivery documents (delivery/read_model.py): the same bytes as a
rendering from the pages, and never a stale or hidden thing, whatever changed
after they were rendered."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
import wagtail_factories
from django.core import signing
from django.core.cache import cache
from taggit.models import Tag
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from cms.content.models import ArticleDocument
from cms.content.models.pages import RelatedArticle
from delivery import read_model
from delivery.pagination import SALT as CURSOR_SALT
from tests.factories import CategoryFactory, publish

CURSOR = re.compile(r"cursor=([^\"&]+)")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def from_pages(api, url: str, monkeypatch) -> bytes:
    """The response rendered from the pages: no stored document is current."""
    cache.clear()
    with monkeypatch.context() as patch:
        patch.setattr(read_model, "FORMAT_VERSION", read_model.FORMAT_VERSION + 1)
        response = api.get(url)
    cache.clear()
    return response.content


def unsigned(content: bytes) -> bytes:
    """The body with its cursors' payloads in place of the signed tokens, which
    carry the second they were signed in."""

    def payload(match: re.Match) -> str:
        token = unquote(match.group(1))
        return json.dumps(signing.loads(token, salt=CURSOR_SALT), sort_keys=True)

    return CURSOR.sub(payload, content.decode()).encode()


def served(api, url: str):
    cache.clear()
    response = api.get(url)
    cache.clear()
    return response


def link_body(target) -> list:
    return [
        ("heading", {"text": "Linked", "level": "h2"}),
        (
            "paragraph",
            RichText(
                f'<p>See <a linktype="page" id="{target.pk}">the <b>other</b></a>,'
                ' <a href="https://example.org/x?a=1&amp;b=2">out</a> and'
                ' <a href="https://page-link.invalid/1/">a forged marker</a>.</p>'
            ),
        ),
    ]


@pytest.fixture
def linked(make_article, section):
    """Three articles sharing terms, one linking to another, with picks, images."""
    category = CategoryFactory(name="Sleep", slug="sleep")
    image = wagtail_factories.ImageFactory(title="A lake")
    target = make_article(title="Target", categories=[category], tags=["rest"])
    other = make_article(
        title="Other", categories=[category], tags=["rest"], hero_image=image
    )
    article = make_article(
        title="Linking",
        categories=[category],
        tags=["rest", "magnesium"],
        hero_image=image,
        hero_image_alt="Water",
        body=[
            *link_body(target),
            ("image", {"image": image, "alt": "", "caption": "Calm"}),
        ],
    )
    RelatedArticle.objects.create(page=article, article=other, sort_order=0)
    assert read_model.render_stale_documents() == 3
    return article, target, other


def test_stored_responses_are_the_bytes_rendered_from_the_pages(
    api, linked, monkeypatch
):
    article, _, _ = linked
    for url in (
        f"/api/v1/articles/{article.slug}/",
        "/api/v1/articles/",
        "/api/v1/articles/?limit=2&ordering=title",
        "/api/v1/articles/?category=sleep&tag=magnesium",
    ):
        stored = served(api, url)
        assert stored.status_code == 200
        assert unsigned(stored.content) == unsigned(
            from_pages(api, url, monkeypatch)
        ), url
    body = served(api, f"/api/v1/articles/{article.slug}/").json()["body"]
    paragraph = body[1]["value"]
    assert '<a href="/news/target/" rel="noopener noreferrer">the <b>other</b></a>' in (
        paragraph
    )
    assert "page-link.invalid" not in paragraph
    assert "a forged marker" in paragraph


def test_a_link_to_a_page_unpublished_later_loses_its_anchor(api, linked, monkeypatch):
    article, target, _ = linked
    target.unpublish()
    url = f"/api/v1/articles/{article.slug}/"
    paragraph = served(api, url).json()["body"][1]["value"]
    assert "the <b>other</b>" in paragraph
    assert "/news/target/" not in paragraph
    assert served(api, url).content == from_pages(api, url, monkeypatch)
    publish(target)
    paragraph = served(api, url).json()["body"][1]["value"]
    assert 'href="/news/target/"' in paragraph


def test_a_new_revision_is_served_before_its_document_is_rendered(api, linked):
    article, _, _ = linked
    article.title = "Renamed"
    publish(article)  # in a test transaction: the render task has not run
    assert served(api, f"/api/v1/articles/{article.slug}/").json()["title"] == (
        "Renamed"
    )
    assert "Renamed" in served(api, "/api/v1/articles/").content.decode()
    assert read_model.stale_article_ids() == [article.pk]
    assert read_model.render_stale_documents() == 1
    assert read_model.stale_article_ids() == []


def test_publishing_renders_the_document_once_the_transaction_commits(
    make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Fresh")
    stored = ArticleDocument.objects.get(page=article)
    assert stored.revision_id == article.live_revision_id
    assert read_model.stale_article_ids() == []


@pytest.mark.parametrize("change", ["author", "category", "tag", "image"])
def test_renaming_what_a_document_shows_retires_every_document(
    api, linked, change, django_capture_on_commit_callbacks
):
    article, _, other = linked
    epoch = read_model.current_epoch()
    if change == "author":
        thing = article.author
        thing.name = "Renamed Person"
    elif change == "category":
        thing = article.categories.get()
        thing.name = "Renamed Category"
    elif change == "tag":
        thing = Tag.objects.get(name="magnesium")
        thing.name = "Renamed tag"
    else:
        thing = article.hero_image
        thing.title = "Renamed image"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        thing.save()
    assert read_model.current_epoch() == epoch + 1
    assert len(read_model.stale_article_ids()) == 3
    detail = served(api, f"/api/v1/articles/{article.slug}/").content.decode()
    listing = served(api, "/api/v1/articles/").content.decode()
    assert "Renamed" in detail and "Renamed" in listing
    for callback in callbacks:  # the re-render the bump enqueued
        callback()
    assert read_model.stale_article_ids() == []


def test_creating_a_tag_or_an_image_retires_nothing(linked):
    epoch = read_model.current_epoch()
    Tag.objects.create(name="brand new", slug="brand-new")
    wagtail_factories.ImageFactory(title="New upload")
    assert read_model.current_epoch() == epoch


@pytest.mark.parametrize("hide", ["unpublish", "restrict", "expire"])
def test_a_stored_article_hidden_later_is_gone_everywhere(api, linked, hide):
    article, target, other = linked
    from django.utils import timezone

    if hide == "unpublish":
        other.unpublish()
    elif hide == "restrict":
        PageViewRestriction.objects.create(
            page=other, restriction_type="password", password="x"
        )
    else:
        # Past its expiry before the sweep has unpublished it: still live=True.
        type(other).objects.filter(pk=other.pk).update(
            expire_at=timezone.now() - timezone.timedelta(seconds=1)
        )
    assert ArticleDocument.objects.filter(page=other).exists()
    assert served(api, f"/api/v1/articles/{other.slug}/").status_code == 404
    ids = [r["id"] for r in served(api, "/api/v1/articles/").json()["results"]]
    assert other.pk not in ids and article.pk in ids
    related = served(api, f"/api/v1/articles/{article.slug}/").json()["related"]
    assert other.pk not in [r["id"] for r in related]
    assert target.pk in [r["id"] for r in related]


def test_a_moved_section_changes_urls_before_documents_are_rendered_again(
    api, linked, home
):
    article, _, _ = linked
    section = article.get_parent().specific
    section.slug = "stories"
    publish(section)
    detail = served(api, f"/api/v1/articles/{article.slug}/").json()
    assert detail["url"] == "/stories/linking/"
    assert 'href="/stories/target/"' in detail["body"][1]["value"]
    assert set(read_model.stale_article_ids()) == {a.pk for a in linked}


def test_rendering_again_changes_nothing_and_drops_unpublished_articles(linked):
    article, _, other = linked
    assert read_model.render_stale_documents() == 0
    other.unpublish()
    assert read_model.render_documents([article.pk, other.pk]) == 1
    assert not ArticleDocument.objects.filter(page=other).exists()


def test_compiled_queries_read_the_clock_on_each_run(api, linked, monkeypatch):
    """The lookups compiled once per process (delivery/prepared.py) compare
    with the time each request runs at, not the time they were compiled at."""
    from datetime import timedelta

    from django.utils import timezone

    article, _, other = linked
    later = timezone.now() + timedelta(hours=1)
    type(other).objects.filter(pk=other.pk).update(go_live_at=later)
    assert read_model.render_documents([other.pk]) == 1
    detail = f"/api/v1/articles/{other.slug}/"
    assert served(api, detail).status_code == 404  # compiled here, not yet public
    listed = [r["id"] for r in served(api, "/api/v1/articles/").json()["results"]]
    assert other.pk not in listed
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2))
    assert served(api, detail).status_code == 200
    listed = [r["id"] for r in served(api, "/api/v1/articles/").json()["results"]]
    assert other.pk in listed
