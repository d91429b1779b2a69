"""Article editing tweaks: related chooser, suggestions, reading time, SEO."""

from django.urls import reverse

from cms.content.models import ArticlePage, RelatedArticle
from tests.factories import ArticlePageFactory, CategoryFactory, publish


def test_related_posts_chooser_offers_only_articles():
    form_class = ArticlePage.get_edit_handler().get_form_class()
    widget = form_class.formsets["related_links"].form.base_fields["article"].widget
    assert widget.target_models == [ArticlePage]


def test_editor_shows_reading_time_picks_and_automatic_suggestions(
    admin_client, section
):
    sleep = CategoryFactory(name="Sleep")
    picked = publish(ArticlePageFactory(parent=section, title="Picked by hand"))
    similar = ArticlePageFactory(parent=section, title="Shares a category")
    similar.categories.set([sleep])
    similar.tags.add("sleep")
    publish(similar)
    unrelated = publish(ArticlePageFactory(parent=section, title="Nothing in common"))
    article = ArticlePageFactory(parent=section, title="Being edited")
    article.categories.set([sleep])
    article.tags.add("sleep")
    article.related_links = [RelatedArticle(article=picked)]
    article.save_revision()

    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[article.id])
    ).content.decode()
    assert f"<strong>{article.reading_time_minutes} min</strong>" in html
    assert f'data-related-article="{picked.id}"' in html
    assert f'data-related-article="{similar.id}"' in html
    assert f'data-related-article="{unrelated.id}"' not in html
    assert "data-seo-summary" in html
