"""What the processes a test starts (processes.py) need to share the suite's world:
the test database as a URL, and the suite's settings for children that run them."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def database_url(name_suffix: str = "") -> str:
    """The suite's database as a URL; with ``name_suffix``, a database of that name
    beside it on the same server (a scratch one a child creates, e.g. the bench's)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}{name_suffix}"
    )


def suite_env(**extra: str) -> dict[str, str]:
    """The environment of a child on the test settings, as this process has them:
    the same secret key (webhook secrets are encrypted with it), cache namespace
    and task backend; ``extra`` wins."""
    return {
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "SECRET_KEY": settings.SECRET_KEY,
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "cms-test"),
        "TASKS_BACKEND": settings.TASKS["default"]["BACKEND"],
        **extra,
    }


def purge_queues() -> None:
    """Empty the app's Celery queues on the suite's broker: whatever earlier tests
    left there is not the next processes' to run."""
    from cms.celery_app import QUEUES, app

    with app.connection_for_write() as conn:
        for queue in QUEUES:
            try:
                conn.default_channel.queue_purge(queue)
            except Exception:  # noqa: BLE001 - a queue never declared is empty
                pass
