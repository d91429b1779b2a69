"""The reading view (CONTRACT.md section 3): the site at each public page's URL,
drafts in the admin's preview, preview links; the one 404; never a 5xx."""

from __future__ import annotations

import re

import pytest
import wagtail_factories
from django.core.cache import cache
from django.test import Client
from wagtail.rich_text import RichText

from cms.content.preview import mint_preview_token
from delivery import reading
from tests.delivery.hidden import HIDDEN_KINDS, make_hidden, pick_as_related
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory

pytestmark = pytest.mark.django_db


def page(client: Client, path: str):
    response = client.get(path)
    assert response.status_code < 500, response.content[:2000]
    return response


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("ed", "ed@example.com", "pw")


@pytest.fixture
def rich_article(make_article, category):
    image = wagtail_factories.ImageFactory(
        title="A glass", file__width=800, file__height=600
    )
    related = make_article(title="Evening light", categories=[category])
    article = make_article(
        title="Water & you",
        intro="How much to drink.",
        hero_image=image,
        hero_image_alt="A full glass of water",
        categories=[category],
        tags=["hydration"],
        body=[
            ("heading", {"text": "Why it matters", "level": "h2"}),
            ("heading", {"text": "In summer", "level": "h3"}),
            (
                "paragraph",
                RichText(f'<p>See <a linktype="page" id="{related.pk}">this</a>.</p>'),
            ),
            ("image", {"image": image, "alt": "Water in a glass", "caption": "Cheers"}),
            ("quote", {"text": "Drink up", "attribution": "Mum"}),
            ("list", {"style": "numbered", "items": ["one", "two"]}),
            ("list", {"style": "bulleted", "items": ["three"]}),
            ("embed", "https://www.youtube.com/watch?v=abc"),
        ],
    )
    pick_as_related(article, related)
    return article


def test_an_article_is_drawn_from_the_api_document(api, rich_article):
    document = api.get(f"/api/v1/articles/{rich_article.slug}/").json()
    response = page(api, document["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = text(response)
    assert "<h1>Water &amp; you</h1>" in html
    assert "How much to drink." in html
    assert f"By {document['author']['name']}" in html
    assert f'datetime="{document["published_at"]}"' in html
    assert '<a href="/news/">News and Blogs</a>' in html  # its section
    hero = document["hero_image"]
    assert f'<img src="{hero["url"]}"' in html
    assert 'alt="A full glass of water"' in html
    assert f'width="{hero["width"]}" height="{hero["height"]}"' in html
    # Every body block type, in order.
    body = html[html.index('<div class="prose">') : html.index("</article>")]
    expected = [
        "<h2>Why it matters</h2>",
        "<h3>In summer</h3>",
        '<p>See <a href="/news/evening-light/"',
        'alt="Water in a glass"',
        "<figcaption>Cheers</figcaption>",
        "<blockquote><p>Drink up</p></blockquote>",
        "<figcaption>— Mum</figcaption>",
        "<ol><li>one</li><li>two</li></ol>",
        "<ul><li>three</li></ul>",
        'href="https://www.youtube.com/watch?v=abc"',
    ]
    positions = [body.index(fragment) for fragment in expected]
    assert positions == sorted(positions)
    # Categories, tags and the related posts (as the API lists them).
    assert '<a href="/?category=sleep">Sleep</a>' in html
    assert '<a href="/?tag=hydration">hydration</a>' in html
    related = html[html.index('id="related-heading"') :]
    for summary in document["related"]:
        assert f'<a href="{summary["url"]}">{summary["title"]}</a>' in related
    assert f'<link rel="canonical" href="{document["seo"]["canonical_url"]}">' in html


def test_srcset_is_used_where_the_document_has_one():
    picture = reading.image(
        {
            "url": "https://cms.example/a.jpg",
            "width": 1200,
            "height": 630,
            "alt": "A lake",
            "srcset": [
                {"url": "https://cms.example/a-320.jpg", "width": 320, "height": 168},
                {"url": "https://cms.example/a-640.jpg", "width": 640, "height": 336},
            ],
        }
    )
    assert picture["srcset"] == (
        "https://cms.example/a-320.jpg 320w, https://cms.example/a-640.jpg 640w"
    )
    assert picture["sizes"] == reading.IMAGE_SIZES


def test_a_section_lists_its_public_articles(api, make_article, section):
    make_article(title="Visible one")
    make_hidden("draft", section, "unseen")
    response = page(api, "/news/")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>News and Blogs</h1>" in html
    assert "Visible one" in html
    assert "secret" not in html.lower()


def test_the_home_lists_the_latest_and_narrows_by_category_and_tag(
    api, make_article, category, food
):
    make_article(title="Sleep piece", categories=[category], tags=["rest"])
    make_article(title="Food piece", categories=[food])
    everything = text(page(api, "/"))
    assert "Sleep piece" in everything and "Food piece" in everything
    by_category = text(page(api, "/?category=food"))
    assert "Food piece" in by_category and "Sleep piece" not in by_category
    by_tag = text(page(api, "/?tag=rest"))
    assert "Sleep piece" in by_tag and "Food piece" not in by_tag
    assert page(api, "/?category=nothing-like-it").status_code == 404
    assert page(api, "/?page=9").status_code == 404


def test_listings_page_by_twenty(api, make_article):
    for n in range(reading.PAGE_SIZE + 1):
        make_article(title=f"Piece {n}")
    first = text(page(api, "/news/"))
    assert 'href="/news/?page=2" rel="next"' in first
    second = text(page(api, "/news/?page=2"))
    assert second.count('<li>\n    \n    <div>\n      <h2><a href="/news/') == 1
    assert 'href="/news/" rel="prev"' in second


@pytest.mark.parametrize("kind", [k for k in HIDDEN_KINDS if k != "newer_revision"])
def test_a_hidden_page_is_the_same_404_as_a_missing_one(api, section, kind):
    hidden = make_hidden(kind, section, "hideaway")
    hidden_url = hidden.url_path.removeprefix("/home")
    missing = page(api, hidden_url.replace(hidden.slug, "never-existed"))
    found = page(api, hidden_url)
    assert found.status_code == missing.status_code == 404
    assert found.content == missing.content
    assert found["Content-Type"] == missing["Content-Type"]
    assert "secret" not in text(found).lower()


def test_a_newer_draft_is_not_shown_at_the_live_url(api, section):
    article = make_hidden("newer_revision", section, "hideaway")
    html = text(page(api, "/news/innocent-title/"))
    assert "Innocent title" in html
    assert "secret" not in html.lower()
    assert article.live


def test_a_hidden_section_hides_its_url_and_its_articles(
    api, home, make_article, django_capture_on_commit_callbacks
):
    gone = ArticleIndexPageFactory(parent=home, title="Gone", slug="gone")
    make_article(parent=gone, title="Under it")
    assert page(api, "/gone/under-it/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        gone.unpublish()
    assert page(api, "/gone/").status_code == 404
    assert page(api, "/gone/under-it/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/news/%00/",
        "/news/" + "a" * 5000 + "/",
        "/news/../",
        "/news/%ff%fe/",
        "/nested/deep/deeper/",
        "/news/?page=0",
        "/news/?page=-1",
        "/news/?page=１",
        "/news/?page=99999999999999999999",
        "/?category=%00",
        "/news/no-slash",
        "/_util/login/",
    ],
)
def test_no_page_url_is_a_5xx(api, make_article, path):
    make_article(title="Something")
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code < 500


def test_only_get_and_head(api, make_article):
    make_article(title="Something")
    assert api.head("/news/something/").status_code == 200
    assert api.post("/news/something/").status_code in (403, 405)


def test_pages_revalidate_with_their_etag(api, make_article):
    make_article(title="Something")
    first = page(api, "/news/something/")
    assert first["Cache-Control"] == "public, no-cache"
    again = api.get("/news/something/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_publish_shows_at_once(api, make_article, django_capture_on_commit_callbacks):
    article = make_article(title="Before")
    assert "Before" in text(page(api, "/news/before/"))
    article.title = "After"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert "After" in text(page(api, "/news/before/"))


def test_the_admin_preview_renders_the_unsaved_article(rich_article, editor):
    rich_article.title = "Unsaved title"
    response = rich_article.make_preview_request()
    html = text(response)
    assert response.status_code == 200
    assert "<h1>Unsaved title</h1>" in html
    assert "Preview of a draft" in html
    assert "<blockquote><p>Drink up</p></blockquote>" in html
    assert "TemplateDoesNotExist" not in html


def test_the_admin_preview_of_a_new_article(section, editor):
    article = ArticlePageFactory.build(title="Brand new", intro="Fresh.", slug="new")
    article.depth, article.path = section.depth + 1, section.path + "0001"
    article.url_path = section.url_path + "new/"
    html = text(article.make_preview_request())
    assert "<h1>Brand new</h1>" in html


def test_the_admin_preview_of_a_section(section, make_article):
    make_article(title="In the section")
    section.intro = "All the news."
    html = text(section.make_preview_request())
    assert "<h1>News and Blogs</h1>" in html and "All the news." in html
    assert "In the section" in html


def test_view_draft_and_view_live_from_the_admin(rich_article, editor):
    client = Client()
    client.force_login(editor)
    draft = client.get(f"/admin/pages/{rich_article.pk}/view_draft/")
    assert draft.status_code == 200
    assert "<h1>Water &amp; you</h1>" in text(draft)
    live = client.get(rich_article.url)
    assert live.status_code == 200
    assert "Preview of a draft" not in text(live)


def test_a_preview_link_shows_its_revision_privately(draft_article, editor):
    token = mint_preview_token(draft_article, user_id=editor.pk)
    assert token.url == f"/preview/?token={token.token}"
    response = page(Client(), token.url)
    assert response.status_code == 200
    assert "<h1>Draft title</h1>" in text(response)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 5000])
def test_a_bad_preview_link_is_a_401_page(db, token):
    response = page(Client(), f"/preview/?token={token}")
    assert response.status_code == 401
    assert "This preview link does not work" in text(response)
    assert response["Cache-Control"] == "private, no-store"


def test_a_tampered_preview_link_is_a_401_page(draft_article, editor):
    token = mint_preview_token(draft_article, user_id=editor.pk).token
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert page(Client(), f"/preview/?token={tampered}").status_code == 401


def test_the_404_page_names_nothing_of_the_path(api, section):
    make_hidden("draft", section, "hideaway")
    html = text(page(api, "/news/hideaway-secret/"))
    assert not re.search("hideaway", html, re.IGNORECASE)


def test_query_count_of_an_article_page(
    api, rich_article, django_assert_max_num_queries
):
    api.get(f"/news/{rich_article.slug}/")
    cache.clear()
    # 12, and 2 for the reader comments below it (comments/reading.py): the
    # approved comments and whether they are open.
    with django_assert_max_num_queries(14):
        assert page(api, f"/news/{rich_article.slug}/").status_code == 200
