"""factory_boy factories for the content model."""

from __future__ import annotations

import factory
import wagtail_factories
from django.utils.text import slugify
from wagtail.rich_text import RichText

from cms.content.models import ArticleIndexPage, ArticlePage, Author, Category


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    bio = "Writes about health."

    class Meta:
        model = Author
        django_get_or_create = ("slug",)


class CategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "A category."

    class Meta:
        model = Category
        django_get_or_create = ("slug",)


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))

    class Meta:
        model = ArticleIndexPage


def default_body() -> list:
    return [
        ("heading", {"text": "Why it matters", "level": "h2"}),
        ("paragraph", RichText("<p>" + "Plenty of water helps. " * 20 + "</p>")),
    ]


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    intro = "A short introduction."
    author = factory.SubFactory(AuthorFactory)
    body = factory.LazyFunction(default_body)

    class Meta:
        model = ArticlePage


def publish(page):
    """Publish the page's current state through Wagtail, as the admin does."""
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page


def api_token(user, scopes=None, expires_at=None, name="test") -> str:
    """The plaintext of a new API token for ``user`` (every scope unless given)."""
    from publishing.tokens import SCOPES, create_token

    return create_token(
        user=user,
        name=name,
        scopes=list(SCOPES) if scopes is None else scopes,
        expires_at=expires_at,
    )[1]
