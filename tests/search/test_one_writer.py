"""The search app is the one writer of the index for articles (search/indexing.py):
Wagtail's per-save auto-update is off for them, and what it did (drafts, deletions)
goes through the same writer."""

from __future__ import annotations

import pytest
from wagtail.search.models import IndexEntry

from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def enqueue(self, *args) -> None:
        self.calls.append(args)


def test_wagtail_does_not_index_articles_itself(section, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(
        "modelsearch.signal_handlers.insert_or_update_object_task", recorder
    )
    article = ArticlePageFactory(parent=section, title="Drafted")
    article.save_revision()
    assert [c for c in recorder.calls if c[:2] == ("content", "articlepage")] == []


def test_a_new_draft_is_in_the_index_for_the_admin_search(section):
    article = ArticlePageFactory(parent=section, title="Unpublished drafting notes")
    assert IndexEntry.objects.filter(object_id=str(article.pk)).exists()


def test_deleting_an_article_removes_its_entries(
    make_article, django_capture_on_commit_callbacks
):
    article = make_article("Molybdenum")
    assert IndexEntry.objects.filter(object_id=str(article.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not IndexEntry.objects.filter(object_id=str(article.pk)).exists()
