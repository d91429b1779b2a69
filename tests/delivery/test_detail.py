"""The article detail: body blocks, rich text links, images, related and SEO."""

from __future__ import annotations

import pytest
import wagtail_factories
from wagtail.rich_text import RichText

from cms.content.models import ArticlePage
from cms.content.models.pages import RelatedArticle
from tests.delivery.hidden import make_hidden, pick_as_related


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def detail(api, article) -> dict:
    response = api.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_detail_has_summary_fields_body_related_and_seo(api, make_article):
    article = make_article(title="Hydration", seo_title="", search_description="")
    data = detail(api, article)
    assert {"body", "related", "seo"} <= set(data)
    assert data["seo"] == {
        "title": "Hydration",
        "description": article.intro,
        "canonical_url": "http://localhost:3000/news/hydration/",
        "og_image": None,
    }
    heading, paragraph = data["body"]
    assert heading["type"] == "heading"
    assert heading["value"] == {"text": "Why it matters", "level": "h2"}
    assert heading["id"]
    assert paragraph["type"] == "paragraph"
    assert paragraph["value"].startswith("<p>Plenty of water helps.")


def test_seo_prefers_the_editors_seo_fields(api, make_article, settings):
    settings.FRONTEND_BASE_URL = "https://www.example.org"
    article = make_article(
        title="Hydration", seo_title="Drink up", search_description="Why water"
    )
    seo = detail(api, article)["seo"]
    assert seo["title"] == "Drink up"
    assert seo["description"] == "Why water"
    assert seo["canonical_url"] == "https://www.example.org/news/hydration/"


def test_every_block_type_is_serialised(api, make_article):
    image = wagtail_factories.ImageFactory(
        title="A glass", file__width=800, file__height=600
    )
    article = make_article(
        body=[
            ("quote", {"text": "Drink", "attribution": "Mum"}),
            ("list", {"style": "numbered", "items": ["one", "two"]}),
            ("image", {"image": image, "alt": "Water in a glass", "caption": "Cheers"}),
            ("embed", "https://www.youtube.com/watch?v=abc"),
        ],
        hero_image=image,
        hero_image_alt="Hero alt",
    )
    data = detail(api, article)
    quote, listing, picture, embed = data["body"]
    assert quote["value"] == {"text": "Drink", "attribution": "Mum"}
    assert listing["value"] == {"style": "numbered", "items": ["one", "two"]}
    assert picture["value"]["caption"] == "Cheers"
    rendition = picture["value"]["image"]
    assert rendition["alt"] == "Water in a glass"
    assert rendition["url"].startswith("http://127.0.0.1:8000/media/images/")
    assert (rendition["width"], rendition["height"]) == (800, 600)
    assert embed["value"] == {"url": "https://www.youtube.com/watch?v=abc"}
    hero = data["hero_image"]
    assert hero["alt"] == "Hero alt"
    assert set(hero) == {"url", "width", "height", "alt", "srcset", "focal_point"}
    assert data["seo"]["og_image"] == hero


def test_image_alt_falls_back_to_image_title(api, make_article):
    image = wagtail_factories.ImageFactory(title="A glass")
    article = make_article(hero_image=image)
    assert detail(api, article)["hero_image"]["alt"] == "A glass"


def test_internal_links_resolve_to_public_urls(api, make_article):
    target = make_article(title="Target")
    article = make_article(
        body=[
            (
                "paragraph",
                RichText(f'<p>See <a linktype="page" id="{target.pk}">this</a>.</p>'),
            )
        ]
    )
    (paragraph,) = detail(api, article)["body"]
    assert paragraph["value"] == (
        '<p>See <a href="/news/target/" rel="noopener noreferrer">this</a>.</p>'
    )


@pytest.mark.parametrize("kind", ["draft", "private", "expired", "unpublished_parent"])
def test_links_to_hidden_pages_are_removed_with_text_kept(
    api, make_article, section, kind
):
    hidden = make_hidden(kind, section, "hideaway")
    assert ArticlePage.objects.filter(pk=hidden.pk).exists()
    article = make_article(
        body=[
            (
                "paragraph",
                RichText(f'<p>See <a linktype="page" id="{hidden.pk}">that</a>.</p>'),
            )
        ]
    )
    (paragraph,) = detail(api, article)["body"]
    assert paragraph["value"] == "<p>See that.</p>"


def test_link_with_a_non_ascii_digit_id_keeps_text(api, make_article):
    """``"᧚".isdigit()`` is true but ``int("᧚")`` fails: it was a 500."""
    article = make_article(
        body=[("paragraph", RichText('<p><a linktype="page" id="\u19da">odd</a></p>'))]
    )
    assert detail(api, article)["body"][0]["value"] == "<p>odd</p>"


def test_link_to_missing_page_keeps_text(api, make_article):
    article = make_article(
        body=[("paragraph", RichText('<p><a linktype="page" id="99999">gone</a></p>'))]
    )
    assert detail(api, article)["body"][0]["value"] == "<p>gone</p>"


def test_related_puts_editor_picks_first_then_closest(
    api, make_article, category, food
):
    sleep = category
    article = make_article(title="Main", categories=[sleep, food], tags=["rest"])
    pick_b = make_article(title="Pick B")
    pick_a = make_article(title="Pick A")
    make_article(title="Close", categories=[sleep, food], tags=["rest"])
    make_article(title="Near", categories=[sleep])
    make_article(title="Unrelated")
    pick_as_related(article, pick_b)
    RelatedArticle.objects.create(page=article, article=pick_a, sort_order=1)
    related = [r["title"] for r in detail(api, article)["related"]]
    assert related == ["Pick B", "Pick A", "Close", "Near"]


def test_related_order_is_the_editors_then_most_shared_then_newest(
    api, make_article, category, food
):
    """Ids and creation order deliberately disagree with the wanted order."""
    sleep = category
    article = make_article(title="Main", categories=[sleep, food], tags=["rest"])
    second_pick = make_article(title="Second pick")
    first_pick = make_article(title="First pick")
    older_one_shared = make_article(title="Older, one shared", categories=[sleep])
    newer_one_shared = make_article(title="Newer, one shared", categories=[food])
    make_article(title="All shared", categories=[sleep, food], tags=["rest"])
    RelatedArticle.objects.create(page=article, article=first_pick, sort_order=0)
    RelatedArticle.objects.create(page=article, article=second_pick, sort_order=1)
    assert older_one_shared.first_published_at < newer_one_shared.first_published_at
    related = [r["title"] for r in detail(api, article)["related"]]
    assert related == [
        "First pick",
        "Second pick",
        "All shared",
        "Newer, one shared",
        "Older, one shared",
    ]


def test_picks_without_a_sort_order_come_after_the_ordered_ones(api, make_article):
    """Orderable.sort_order is nullable (rows made outside the admin's form)."""
    article = make_article(title="Main")
    unordered = make_article(title="Unordered")
    ordered = make_article(title="Ordered")
    RelatedArticle.objects.create(page=article, article=unordered, sort_order=None)
    RelatedArticle.objects.create(page=article, article=ordered, sort_order=0)
    related = [r["title"] for r in detail(api, article)["related"]]
    assert related[:2] == ["Ordered", "Unordered"]


def test_related_is_at_most_five_never_itself_never_twice(api, make_article, category):
    article = make_article(title="Main", categories=[category])
    others = [make_article(categories=[category]) for _ in range(7)]
    pick_as_related(article, others[0])
    related = [r["id"] for r in detail(api, article)["related"]]
    assert len(related) == 5
    assert article.pk not in related
    assert len(set(related)) == 5
    assert related[0] == others[0].pk


def test_detail_carries_last_modified(api, make_article):
    article = make_article()
    response = api.get(f"/api/v1/articles/{article.slug}/")
    assert response.has_header("Last-Modified")


def test_draft_related_suggests_by_category_when_the_draft_has_no_tags(
    make_article, category
):
    from delivery.related import related_ids

    close = make_article(title="Close", categories=[category])
    make_article(title="Unrelated")
    draft = make_article(title="Draft", categories=[category])
    draft.tags.set([])
    assert related_ids(draft, draft=True) == [close.pk]


def test_hidden_articles_ranked_closest_do_not_crowd_out_public_ones(
    api, make_article, section, monkeypatch, category, food
):
    """The ranking reads a window of candidates before checking visibility; when
    hidden articles fill it, it reads a wider one rather than returning fewer."""
    from delivery import related
    from tests.delivery.hidden import HIDDEN_KINDS

    monkeypatch.setattr(related, "CLOSEST_WINDOW", 2)
    sleep = category
    article = make_article(title="Main", categories=[sleep, food])
    for i in range(2):
        make_article(title=f"Public {i}", categories=[sleep])
    # Every kind of hidden article shares both categories: each ranks above the
    # public ones, and there are more of them than one window holds. (The
    # "newer_revision" one is public in its live version, which may be related.)
    for i, kind in enumerate(HIDDEN_KINDS):
        hidden = make_hidden(kind, section, f"hidden{i}", category=sleep)
        hidden.categories.add(food)
    related = [r["title"] for r in detail(api, article)["related"]]
    assert {"Public 0", "Public 1"} <= set(related)
    assert not any("secret" in title for title in related)
