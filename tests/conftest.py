import socket
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.test import override_settings
from wagtail.models import Site

from cms.cache_backend import ConnectionPool
from cms.celery_app import app as celery_app
from tests.factories import ArticleIndexPageFactory


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def section(home):
    return ArticleIndexPageFactory(parent=home, title="News and Blogs", slug="news")


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_unreachable(address: tuple[str, int] | None = None):
    """The cache and the broker pointed at a Redis that is not there (a port nothing
    listens on), or at ``address``; the usual Redis again on leaving."""
    host, port = address or ("127.0.0.1", _unused_port())
    default = settings.CACHES["default"]
    caches = {
        **settings.CACHES,
        "default": {**default, "LOCATION": f"redis://{host}:{port}/1"},
    }
    dead_broker = f"redis://{host}:{port}/0"
    broker_url = celery_app.conf.broker_url
    celery_app.conf.broker_url = dead_broker
    try:
        # override_settings rebuilds the cache handlers (Django's setting_changed).
        with override_settings(CACHES=caches, CELERY_BROKER_URL=dead_broker):
            yield
    finally:
        celery_app.conf.broker_url = broker_url
        ConnectionPool.down_until.pop((host, port, None), None)


@pytest.fixture
def redis_down():
    """``with redis_down(): …`` runs its block with Redis unreachable."""
    return redis_unreachable
