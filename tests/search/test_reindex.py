"""manage.py reindex: batches, stale entries removed, idempotent, search online."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.search.models import IndexEntry

from cms.content.models import ArticlePage
from cms.content.visibility import public_articles
from search.query import search_articles

pytestmark = pytest.mark.django_db


def index_state() -> list[tuple]:
    return list(
        IndexEntry.objects.order_by("content_type_id", "object_id").values_list(
            "content_type_id", "object_id", "title_text", "body_text"
        )
    )


def test_reindex_twice_equals_reindex_once(make_article):
    for n in range(5):
        make_article(f"Magnesium {n}", body=(f"Body {n} about zinc.",))
    call_command("reindex", batch_size=2, verbosity=0, stdout=StringIO())
    once = index_state()
    results_once = search_articles(public_articles(), "magnesium zinc")
    call_command("reindex", batch_size=2, verbosity=0, stdout=StringIO())
    assert index_state() == once
    assert search_articles(public_articles(), "magnesium zinc") == results_once


@pytest.mark.search_backends("database")  # the index table itself
def test_reindex_restores_entries_and_removes_stale_ones(make_article):
    article = make_article("Magnesium restored")
    IndexEntry.objects.filter(object_id=str(article.pk)).delete()
    stale = IndexEntry.objects.order_by("pk").first()
    stale.pk = None
    stale.object_id = "999999"
    stale.save()
    assert search_articles(public_articles(), "magnesium").ids == []
    call_command("reindex", verbosity=0, stdout=StringIO())
    assert search_articles(public_articles(), "magnesium").ids == [article.pk]
    assert not IndexEntry.objects.filter(object_id="999999").exists()


@pytest.mark.search_backends("database")  # OpenSearch's index holds every page type
def test_reindex_reports_documents_per_second(make_article):
    make_article("One")
    out = StringIO()
    call_command("reindex", articles_only=True, verbosity=0, stdout=out)
    assert "Indexed 1 documents" in out.getvalue()
    assert "documents/s" in out.getvalue()
    assert ArticlePage.objects.count() == 1
