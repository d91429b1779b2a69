"""Fixtures of the comments tests: a client, a clean cache, a public article."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from comments.models import Comment
from tests.factories import ArticlePageFactory, publish


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(db):
    return Client()


@pytest.fixture
def article(section):
    return publish(ArticlePageFactory(parent=section, title="Magnesium and sleep"))


def comments_url(article) -> str:
    return f"/api/v1/articles/{article.slug}/comments/"


def valid(**overrides) -> dict:
    return {
        "author_name": "Ada",
        "author_email": "ada@example.com",
        "body": "Thank you, this helped.",
        **overrides,
    }


@pytest.fixture
def submit(api, article):
    def post(payload=None, target=None, raw: bytes | None = None, **extra):
        body = raw if raw is not None else json.dumps(payload or valid()).encode()
        return api.post(
            comments_url(target or article),
            data=body,
            content_type="application/json",
            **extra,
        )

    return post


@pytest.fixture
def make_comment(article):
    def make(status=Comment.Status.APPROVED, target=None, **fields):
        fields = {**valid(), **fields}
        parent = fields.pop("parent", None)
        return Comment.objects.create(
            article=target or article,
            status=status,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            **fields,
        )

    return make
