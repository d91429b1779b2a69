"""Fixtures for the search tests: articles made and published through Wagtail."""

from __future__ import annotations

import pytest
from wagtail.rich_text import RichText

from tests.factories import ArticlePageFactory, AuthorFactory, publish


def paragraphs(*texts: str) -> list:
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in texts]


@pytest.fixture
def make_article(section, django_capture_on_commit_callbacks):
    """A published article under the section; ``body`` is a list of paragraphs.

    After-commit callbacks run, as they would in production: that is where the
    index update for the publish is enqueued (inline here: TASKS is immediate).
    """

    def make(
        title: str,
        body: tuple[str, ...] = ("Nothing to see here.",),
        intro: str = "A short introduction.",
        categories=(),
        tags=(),
        live: bool = True,
        **kwargs,
    ):
        kwargs.setdefault("author", AuthorFactory(name="Sam Writer", slug="sam"))
        article = ArticlePageFactory(
            parent=kwargs.pop("parent", section),
            title=title,
            intro=intro,
            body=paragraphs(*body),
            live=live,
            **kwargs,
        )
        if categories:
            article.categories.set(categories)
        if tags:
            article.tags.set(tags)
        if live:
            with django_capture_on_commit_callbacks(execute=True):
                return publish(article)
        article.save_revision()
        return article

    return make
