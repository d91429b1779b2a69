"""The bulk seeder writes pages that Wagtail loads, renders and serves as its own."""

import pytest
from wagtail.models import Page, Site

from bench.seed import RELATED_PER_ARTICLE, seed_articles
from cms.content.models import ArticlePage, Author, Category


@pytest.fixture
def seeded(db):
    # Three batches of five, so that batch boundaries are exercised.
    seed_articles(15, batch_size=5, progress=False)
    return list(ArticlePage.objects.live().order_by("path"))


def test_seeded_articles_are_live_with_their_live_revision(seeded):
    assert len(seeded) == 15
    for page in seeded:
        assert page.live and not page.has_unpublished_changes
        assert page.live_revision_id == page.latest_revision_id is not None
        assert page.first_published_at is not None


def test_seeded_revision_restores_the_page_with_its_relations(seeded):
    page = seeded[-1]
    restored = page.latest_revision.as_object()
    assert restored.title == page.title
    assert list(restored.body.raw_data) == list(page.body.raw_data)
    assert sorted(restored.tags.names()) == sorted(page.tags.names())
    assert {c.pk for c in restored.categories.all()} == {
        c.pk for c in page.categories.all()
    }
    assert [r.article_id for r in restored.related_links.all()] == [
        r.article_id for r in page.related_links.all()
    ]


def test_seeded_pages_keep_the_page_tree_consistent(seeded):
    assert Page.find_problems() == ([], [], [], [], [])
    section = seeded[0].get_parent()
    assert section.get_children().count() == section.numchild == 15


def test_seeded_page_url_routes_to_the_page(seeded, rf):
    page = Page.objects.get(pk=seeded[3].pk).specific
    assert isinstance(page, ArticlePage)
    assert page.url == f"/news/{page.slug}/"
    root = Site.objects.get(is_default_site=True).root_page.specific
    routed = root.route(rf.get(page.url), ["news", page.slug])
    assert routed.page.pk == page.pk


def test_seeded_body_has_ten_blocks_of_about_eight_hundred_words(seeded):
    page = seeded[0]
    assert len(page.body) == 10
    words = len(page.body_text().split())
    assert 650 <= words <= 950
    assert page.reading_time_minutes == page.compute_reading_time()


def test_seeded_articles_have_byline_taxonomy_and_related_posts(seeded):
    assert Author.objects.count() == 3
    assert Category.objects.count() == 12
    for page in seeded:
        assert page.author_id is not None
        assert 1 <= page.categories.count() <= 2
        assert 3 <= page.tags.count() <= 5
        related = [r.article_id for r in page.related_links.all()]
        assert len(related) == RELATED_PER_ARTICLE
        assert page.pk not in related and len(set(related)) == len(related)


def test_seeding_again_appends_after_the_existing_articles(seeded):
    seed_articles(4, batch_size=10, progress=False)
    assert ArticlePage.objects.count() == 19
    assert Page.find_problems() == ([], [], [], [], [])
    assert ArticlePage.objects.values("slug").distinct().count() == 19


def test_seeded_drafts_are_never_published_and_never_served(seeded, client):
    seed_articles(3, batch_size=2, progress=False, seed=9, live=False)
    drafts = list(ArticlePage.objects.filter(live=False))
    assert len(drafts) == 3
    assert Page.find_problems() == ([], [], [], [], [])
    for page in drafts:
        assert page.has_unpublished_changes and page.first_published_at is None
        assert page.live_revision_id is None and page.latest_revision_id is not None
        assert page.latest_revision.as_object().title == page.title
        assert client.get(f"/api/v1/articles/{page.slug}/").status_code == 404
    listed = client.get("/api/v1/articles/", {"limit": 100}).json()
    assert listed["count"] == 15
    assert not {p.pk for p in drafts} & {r["id"] for r in listed["results"]}
