import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page, Workflow
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cms.content.models import ArticlePage, RelatedArticle
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    CategoryFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def test_reading_time_is_computed_from_intro_and_body(section):
    words = "word " * 600
    article = ArticlePageFactory(
        parent=section,
        intro="Short.",
        body=[("paragraph", RichText(f"<p>{words}</p>"))],
    )
    # 601 words at 200 words a minute: 4 minutes (rounded up).
    assert article.reading_time_minutes == 4


def test_reading_time_counts_every_block_type(section):
    article = ArticlePageFactory(
        parent=section,
        intro="Intro.",
        body=[
            ("heading", {"text": "word " * 150, "level": "h2"}),
            ("quote", {"text": "word " * 150, "attribution": "Someone"}),
            ("list", {"style": "bulleted", "items": ["word " * 150]}),
        ],
    )
    assert article.reading_time_minutes == 3


def test_reading_time_is_at_least_one_minute(section):
    article = ArticlePageFactory(parent=section, intro="Hi.", body=[])
    assert article.reading_time_minutes == 1


def test_intro_longer_than_300_characters_is_rejected(section):
    article = ArticlePageFactory.build(
        intro="x" * 301, title="Too long", slug="long", author=None
    )
    with pytest.raises(ValidationError) as error:
        section.add_child(instance=article)
    assert "intro" in error.value.message_dict


def test_article_keeps_categories_tags_and_author(section):
    nutrition = CategoryFactory(name="Nutrition")
    news = CategoryFactory(name="News and Blogs")
    author = AuthorFactory(name="Dana Reyes")
    article = ArticlePageFactory(parent=section, author=author)
    article.categories = [nutrition, news]
    article.tags.set(["magnesium", "sleep"])
    publish(article)
    article = ArticlePage.objects.get(pk=article.pk)
    assert {c.slug for c in article.categories.all()} == {"nutrition", "news-and-blogs"}
    assert sorted(t.name for t in article.tags.all()) == ["magnesium", "sleep"]
    assert article.author.name == "Dana Reyes"


def test_related_posts_keep_the_editors_order(section):
    a, b, c = (ArticlePageFactory(parent=section) for _ in range(3))
    article = ArticlePageFactory(parent=section)
    article.related_links = [
        RelatedArticle(article=c),
        RelatedArticle(article=a),
        RelatedArticle(article=b),
    ]
    publish(article)
    links = ArticlePage.objects.get(pk=article.pk).related_links.all()
    assert [link.article_id for link in links] == [c.pk, a.pk, b.pk]


def test_model_validation_rejects_self_relation(section):
    article = ArticlePageFactory(parent=section)
    article.related_links = [RelatedArticle(article=article)]
    with pytest.raises(ValidationError, match="cannot be related to itself"):
        article.full_clean()


def test_model_validation_rejects_more_than_five_related(section):
    others = [ArticlePageFactory(parent=section) for _ in range(6)]
    article = ArticlePageFactory(parent=section)
    article.related_links = [RelatedArticle(article=o) for o in others]
    with pytest.raises(ValidationError, match="at most 5 related posts"):
        article.full_clean()


def test_article_slugs_are_unique_across_the_site(home, section):
    """CONTRACT section 1: ``articles/{slug}/`` names one article, so a slug taken
    in another section is refused too, with the error on the slug."""
    ArticlePageFactory(parent=section, slug="hydration")
    duplicate = ArticlePageFactory.build(title="Again", slug="hydration", author=None)
    with pytest.raises(ValidationError) as error:
        section.add_child(instance=duplicate)
    assert "slug" in error.value.message_dict
    other_section = ArticleIndexPageFactory(parent=home, slug="features")
    elsewhere = ArticlePageFactory.build(title="Elsewhere", slug="hydration")
    with pytest.raises(ValidationError) as error:
        other_section.add_child(instance=elsewhere)
    assert "unique across the site" in error.value.message_dict["slug"][0]
    # A section may share a slug with an article: only articles are named by it.
    assert ArticleIndexPageFactory(parent=home, slug="hydration").slug == "hydration"


def test_articles_only_live_under_sections(home, section):
    assert ArticlePage.can_create_at(home) is False
    assert ArticlePage.can_create_at(section) is True


def test_editorial_review_workflow_guards_the_whole_site(home):
    root = Page.get_first_root_node()
    workflow = root.get_workflow()
    assert isinstance(workflow, Workflow)
    assert workflow.name == "Editorial review"
    assert home.get_workflow() == workflow


def test_scheduled_revision_waits_for_its_go_live_time(section):
    from datetime import timedelta

    from django.utils import timezone

    article = ArticlePageFactory(parent=section, live=False)
    article.go_live_at = timezone.now() + timedelta(hours=1)
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    revision.refresh_from_db()
    assert article.live is False
    assert revision.approved_go_live_at == article.go_live_at


# --- the admin's form ----------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@x.org", "pw")
    client.force_login(user)
    return client


def article_form_data(title: str, related_ids: list[int]) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "intro": "An intro.",
            "body": streamfield([("paragraph", rich_text("<p>Body text.</p>"))]),
            "tags": "",
            "related_links": inline_formset(
                [{"article": pk} for pk in related_ids], min=0, max=5
            ),
            "hero_image_alt": "",
            "display_date": "",
        }
    )


def add_url(section) -> str:
    return f"/admin/pages/add/content/articlepage/{section.pk}/"


def test_admin_creates_an_article_with_related_posts(admin_client, section):
    a = ArticlePageFactory(parent=section)
    b = ArticlePageFactory(parent=section)
    response = admin_client.post(
        add_url(section), article_form_data("Fresh piece", [b.pk, a.pk])
    )
    assert response.status_code == 302, response.content[:2000]
    created = ArticlePage.objects.get(slug="fresh-piece")
    assert [link.article_id for link in created.related_links.all()] == [b.pk, a.pk]


def test_admin_rejects_the_same_related_article_twice(admin_client, section):
    a = ArticlePageFactory(parent=section)
    response = admin_client.post(
        add_url(section), article_form_data("Twice", [a.pk, a.pk])
    )
    assert response.status_code == 200
    assert b"already in the related posts" in response.content
    assert not ArticlePage.objects.filter(slug="twice").exists()


def test_admin_rejects_self_relation_on_edit(admin_client, section):
    article = ArticlePageFactory(parent=section, title="Self", slug="self")
    response = admin_client.post(
        f"/admin/pages/{article.pk}/edit/", article_form_data("Self", [article.pk])
    )
    assert response.status_code == 200
    assert b"cannot be related to itself" in response.content


def test_admin_rejects_more_than_five_related(admin_client, section):
    others = [ArticlePageFactory(parent=section).pk for _ in range(6)]
    data = article_form_data("Many", others)
    data["related_links-MAX_NUM_FORMS"] = "1000"
    response = admin_client.post(add_url(section), data)
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="many").exists()


def test_authors_and_categories_are_editable_snippets(admin_client):
    response = admin_client.post(
        "/admin/snippets/content/category/add/",
        {"name": "Sleep", "slug": "sleep", "description": "Rest."},
    )
    assert response.status_code == 302
    response = admin_client.get("/admin/snippets/content/author/")
    assert response.status_code == 200
