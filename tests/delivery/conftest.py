"""Fixtures for the delivery API tests: a client, a clean cache, a small tree."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from tests.factories import ArticlePageFactory, CategoryFactory, publish


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wsgi_in_test_transaction():
    """Like Django's test client: keep the test's connection (and transaction) open
    across WSGI requests instead of closing it at each request's end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api(db):
    return Client()


@pytest.fixture
def make_article(section):
    """A published article under the section (or ``parent``)."""

    def make(parent=None, categories=(), tags=(), **kwargs):
        article = ArticlePageFactory(parent=parent or section, **kwargs)
        if categories:
            article.categories.set(categories)
        if tags:
            article.tags.set(tags)
        return publish(article)

    return make


@pytest.fixture
def category(db):
    return CategoryFactory(name="Sleep", slug="sleep")


@pytest.fixture
def food(db):
    return CategoryFactory(name="Food", slug="food")


@pytest.fixture
def draft_article(make_article):
    """A live article ("Live title") with a newer draft ("Draft title")."""
    article = make_article(title="Live title")
    article.title = "Draft title"
    article.save_revision()
    article.refresh_from_db()
    return article
