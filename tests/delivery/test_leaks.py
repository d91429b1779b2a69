"""No hidden article, or any field of one, appears through any public door.

Each test first proves that the hidden article exists (in the database, with the
category and tag the door counts), then asks the door.
"""

from __future__ import annotations

import pytest
from taggit.models import Tag
from wagtail.models import Revision

from cms.content.models import ArticleDocument, ArticlePage
from delivery import read_model
from tests.delivery.hidden import HIDDEN_KINDS, make_hidden, pick_as_related
from tests.factories import CategoryFactory

WORD = "zanzibarine"


@pytest.fixture(params=["from_pages", "from_documents"])
def world(request, section, make_article):
    """A public article and a hidden one sharing a category and a tag; served
    from the pages, or from stored documents rendered for every live article
    (the hidden one's too, where it is live: visibility is decided on read)."""

    def build(kind: str):
        category = CategoryFactory(name="Hidden things", slug="hidden-things")
        hidden = make_hidden(kind, section, WORD, category=category, tag="hushed")
        visible = make_article(
            title="Plain visible", categories=[category], tags=["hushed"]
        )
        pick_as_related(visible, hidden)
        # Proof that the hidden article exists, with its secret somewhere.
        assert ArticlePage.objects.filter(pk=hidden.pk).exists()
        latest = Revision.objects.filter(object_id=str(hidden.pk)).latest("pk")
        assert WORD in latest.content["title"].lower()
        assert hidden.categories.filter(pk=category.pk).exists()
        assert Tag.objects.filter(name="hushed").exists()
        if request.param == "from_documents":
            read_model.render_documents(
                ArticlePage.objects.values_list("pk", flat=True)
            )
            assert ArticleDocument.objects.filter(page=visible).exists()
        return hidden, visible

    return build


def only_draft_hidden(kind: str) -> bool:
    """A live article with a newer draft: the article is public, the draft never."""
    return kind == "newer_revision"


def body_of(response) -> str:
    assert response.status_code in (200, 404), response.content
    return response.content.decode().lower()


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_in_list(api, world, kind):
    hidden, _ = world(kind)
    data = api.get("/api/v1/articles/").json()
    ids = [r["id"] for r in data["results"]]
    assert (hidden.pk in ids) == only_draft_hidden(kind)
    assert WORD not in str(data).lower()


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_detail_is_404(api, world, kind):
    hidden, _ = world(kind)
    response = api.get(f"/api/v1/articles/{hidden.slug}/")
    if only_draft_hidden(kind):
        assert response.json()["title"] == "Innocent title"
        assert WORD not in response.content.decode().lower()
    else:
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_found_by_search(api, world, kind):
    hidden, _ = world(kind)
    data = api.get("/api/v1/articles/", {"q": WORD}).json()
    assert data["count"] == 0
    assert WORD not in str(data).lower()


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_in_related(api, world, kind):
    hidden, visible = world(kind)
    data = api.get(f"/api/v1/articles/{visible.slug}/").json()
    related = [r["id"] for r in data["related"]]
    assert (hidden.pk in related) == only_draft_hidden(kind)
    assert WORD not in str(data).lower()


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_counted_in_categories(api, world, kind):
    world(kind)
    results = api.get("/api/v1/categories/").json()["results"]
    expected = 2 if only_draft_hidden(kind) else 1
    assert {r["slug"]: r["article_count"] for r in results}["hidden-things"] == expected


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_counted_in_tags(api, world, kind):
    world(kind)
    results = api.get("/api/v1/tags/").json()["results"]
    expected = 2 if only_draft_hidden(kind) else 1
    assert {r["slug"]: r["count"] for r in results}["hushed"] == expected


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_suggested(api, world, kind):
    world(kind)
    data = api.get("/api/v1/search/suggest/", {"q": WORD[:4]}).json()
    assert data == {"results": []}


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_in_feed(api, world, kind):
    hidden, visible = world(kind)
    body = body_of(api.get("/feeds/articles/"))
    assert visible.slug in body
    assert WORD not in body
    assert (hidden.slug in body) == only_draft_hidden(kind)


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_article_not_in_sitemap(api, world, kind):
    hidden, visible = world(kind)
    body = body_of(api.get("/sitemap.xml"))
    assert visible.slug in body
    assert (hidden.slug in body) == only_draft_hidden(kind)


def test_tag_only_on_hidden_articles_is_not_listed(api, section):
    make_hidden("draft", section, WORD, tag="only-hidden")
    assert Tag.objects.filter(slug="only-hidden").exists()
    slugs = [r["slug"] for r in api.get("/api/v1/tags/").json()["results"]]
    assert "only-hidden" not in slugs
