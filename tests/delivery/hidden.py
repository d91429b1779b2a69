"""Each kind of content the public must never see, made as editors make it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.content.models import ArticlePage
from cms.content.models.pages import RelatedArticle
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, publish

HIDDEN_KINDS = [
    "draft",
    "newer_revision",
    "future",
    "expired",
    "expired_flag",
    "private",
    "private_section",
    "unpublished_parent",
]


def make_hidden(kind: str, section, word: str, category=None, tag=None):
    """A hidden article whose title (in the hidden version) contains ``word``.

    Returns the article; its hidden title is ``f"{word} secret"``.
    """
    title = f"{word.capitalize()} secret"
    parent = section
    if kind == "unpublished_parent":
        parent = ArticleIndexPageFactory(parent=section.get_parent(), title="Gone")
    if kind == "private_section":
        parent = ArticleIndexPageFactory(parent=section.get_parent(), title="Staff")
        PageViewRestriction.objects.create(
            page=parent, restriction_type="password", password="x"
        )
    if kind == "newer_revision":
        article = ArticlePageFactory(parent=parent, title="Innocent title")
    elif kind == "draft":
        article = ArticlePageFactory(parent=parent, title=title, live=False)
    else:
        article = ArticlePageFactory(parent=parent, title=title)
    if category is not None:
        article.categories.set([category])
    if tag is not None:
        article.tags.set([tag])
    article.save()
    now = timezone.now()
    if kind == "draft":
        article.save_revision()
    elif kind == "newer_revision":
        publish(article)
        article.title = title
        article.intro = f"{word} draft intro"
        article.save_revision()
    elif kind == "future":
        article.go_live_at = now + timedelta(days=1)
        publish(article)
    elif kind == "expired":
        publish(article)
        # Expired a moment ago; the scheduler has not unpublished it yet.
        ArticlePage.objects.filter(pk=article.pk).update(
            expire_at=now - timedelta(seconds=1)
        )
    elif kind == "expired_flag":
        publish(article)
        article.unpublish(set_expired=True)
    elif kind == "private":
        publish(article)
        PageViewRestriction.objects.create(
            page=article, restriction_type="password", password="x"
        )
    else:
        publish(article)
    if kind == "unpublished_parent":
        parent.unpublish()
    article.refresh_from_db()
    return article


def pick_as_related(owner, article) -> None:
    """The editor chooses ``article`` as ``owner``'s first related post."""
    RelatedArticle.objects.create(page=owner, article=article, sort_order=0)
