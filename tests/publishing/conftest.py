import pytest
from django.core.cache import cache

from tests.factories import ArticlePageFactory, publish


@pytest.fixture(autouse=True)
def _clear_cache():
    # Sweep markers and heartbeats live in the cache (Redis): start each test clean.
    cache.clear()
    yield


@pytest.fixture
def article(section):
    return ArticlePageFactory(parent=section, title="Magnesium and sleep")


@pytest.fixture
def live_article(section):
    return publish(ArticlePageFactory(parent=section, title="Live one"))
