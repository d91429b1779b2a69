from collections import defaultdict

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


@pytest.fixture
def sent_tasks(monkeypatch):
    """Celery messages recorded instead of sent: task name -> [(args, options)].

    The publishing modules send their tasks by name (``app.send_task``), and a
    task's own ``apply_async`` ends there too."""
    from cms.celery_app import app

    sent = defaultdict(list)

    def send_task(name, args=(), kwargs=None, **options):
        sent[name].append((tuple(args), options))

    monkeypatch.setattr(app, "send_task", send_task)
    return sent
