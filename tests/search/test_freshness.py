"""Freshness bookkeeping: changes are recorded in the publish transaction and
cleared by the indexing task; renames re-index the articles that carry the name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.content.visibility import public_articles
from search.freshness import index_lag_seconds
from search.indexing import index_articles
from search.models import PendingIndexUpdate
from search.query import search_articles
from tests.factories import ArticlePageFactory, AuthorFactory, CategoryFactory, publish

pytestmark = pytest.mark.django_db


def ids_for(q: str) -> list[int]:
    return search_articles(public_articles(), q).ids


def test_publish_records_a_pending_update_until_it_is_indexed(section):
    article = ArticlePageFactory(parent=section, title="Selenium")
    publish(article)  # after-commit callbacks do not run: the task never ran
    assert list(PendingIndexUpdate.objects.values_list("page_id", flat=True)) == [
        article.pk
    ]
    assert index_lag_seconds(now=timezone.now() + timedelta(seconds=5)) >= 5
    index_articles([article.pk])
    assert not PendingIndexUpdate.objects.exists()
    assert index_lag_seconds() == 0.0


def test_unpublish_records_a_pending_update(make_article):
    article = make_article("Selenium")
    PendingIndexUpdate.objects.all().delete()
    article.unpublish()
    assert PendingIndexUpdate.objects.filter(page_id=article.pk).exists()


def test_indexing_twice_equals_indexing_once(make_article):
    article = make_article("Selenium in nuts")
    assert index_articles([article.pk]) == 1
    assert index_articles([article.pk]) == 1
    assert ids_for("selenium") == [article.pk]


def test_renaming_a_category_reindexes_its_articles(
    make_article, django_capture_on_commit_callbacks
):
    category = CategoryFactory(name="Nutrition")
    article = make_article("Plain title", categories=[category])
    assert ids_for("nutrition") == [article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        category.name = "Dietetics"
        category.save()
    assert ids_for("dietetics") == [article.pk]
    assert ids_for("nutrition") == []


def test_renaming_an_author_reindexes_their_articles(
    make_article, django_capture_on_commit_callbacks
):
    author = AuthorFactory(name="Ada Lovelace")
    article = make_article("Plain title", author=author)
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Grace Hopper"
        author.save()
    assert ids_for("hopper") == [article.pk]


def test_saving_a_snippet_without_renaming_enqueues_nothing(
    make_article, django_capture_on_commit_callbacks
):
    author = AuthorFactory(name="Ada Lovelace")
    make_article("Plain title", author=author)
    with django_capture_on_commit_callbacks() as callbacks:
        author.bio = "New bio"
        author.save()
    assert not PendingIndexUpdate.objects.exists()
    assert [cb for cb in callbacks if cb.__module__.startswith("search")] == []


def test_search_never_returns_non_public_articles_whatever_the_index_holds(
    make_article,
):
    live = make_article("Magnesium live")
    unpublished = make_article("Magnesium unpublished")
    expired = make_article("Magnesium expired")
    draft = make_article("Magnesium draft", live=False)
    unpublished.unpublish()
    expired.expire_at = timezone.now() - timedelta(seconds=1)
    expired.save()
    # Force every one of them into the index, as a stale index might hold them.
    index_articles([live.pk, unpublished.pk, expired.pk, draft.pk])
    assert ids_for("magnesium") == [live.pk]


def test_sweep_indexes_changes_whose_task_was_lost(section):
    from search.tasks import sweep_pending_index_task

    article = publish(ArticlePageFactory(parent=section, title="Vanadium"))
    # The publish's after-commit task never ran (as if the broker had been down).
    PendingIndexUpdate.objects.update(changed_at=timezone.now() - timedelta(minutes=1))
    assert sweep_pending_index_task() == 1
    assert not PendingIndexUpdate.objects.exists()
    assert ids_for("vanadium") == [article.pk]
