import pytest
from django.core.management import call_command
from wagtail.models import Revision

from cms.content import demo_data
from cms.content.models import ArticleIndexPage, ArticlePage, Author, Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def counts() -> dict[str, int]:
    return {
        "articles": ArticlePage.objects.count(),
        "live": ArticlePage.objects.live().count(),
        "revisions": Revision.objects.count(),
        "authors": Author.objects.count(),
        "categories": Category.objects.count(),
    }


def test_demo_builds_the_news_and_blogs_section(loaded):
    section = ArticleIndexPage.objects.get(slug="news")
    assert section.title == "News and Blogs"
    assert section.live
    assert ArticlePage.objects.child_of(section).count() == 33


def test_demo_has_three_authors_six_categories_and_thirty_live_articles(loaded):
    assert Author.objects.count() == 3
    assert Category.objects.count() == 6
    assert Category.objects.filter(name="News and Blogs").exists()
    assert ArticlePage.objects.live().count() == 30


def test_demo_articles_have_the_shape_of_a_blog_post(loaded):
    for article in ArticlePage.objects.live().prefetch_related("categories"):
        types = [block.block_type for block in article.body]
        assert types.count("heading") >= 3, article.slug
        assert "paragraph" in types
        assert article.body[len(types) - 2].value["text"] == "Conclusion"
        assert article.author_id is not None
        assert article.categories.exists()
        assert article.hero_image_id is not None
        assert article.reading_time_minutes >= 1
        assert article.first_published_at is not None


def test_demo_related_posts_follow_the_data(loaded):
    spec = next(a for a in demo_data.ARTICLES if len(a["related"]) >= 2)
    article = ArticlePage.objects.get(slug=spec["slug"])
    related = [link.article.slug for link in article.related_links.all()]
    assert related == spec["related"]


def test_demo_has_a_draft_a_scheduled_and_an_expired_article(loaded):
    draft = ArticlePage.objects.get(slug=demo_data.DRAFT_ARTICLE["slug"])
    assert draft.live is False and draft.first_published_at is None
    assert draft.has_unpublished_changes

    scheduled = ArticlePage.objects.get(slug=demo_data.SCHEDULED_ARTICLE["slug"])
    assert scheduled.live is False
    assert scheduled.go_live_at is not None
    assert Revision.page_revisions.filter(
        object_id=str(scheduled.pk), approved_go_live_at__isnull=False
    ).exists()

    expired = ArticlePage.objects.get(slug=demo_data.EXPIRED_ARTICLE["slug"])
    assert expired.live is False and expired.expired is True


def test_running_the_demo_loader_twice_changes_nothing(loaded):
    before = counts()
    titles = dict(ArticlePage.objects.values_list("pk", "latest_revision_id"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == before
    assert dict(ArticlePage.objects.values_list("pk", "latest_revision_id")) == titles
