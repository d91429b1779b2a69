"""The test suite: PostgreSQL and Redis at their usual loopback addresses."""

import os

# Tests talk to the machine's services unless told otherwise; this is the one place
# outside base.py that sets environment defaults, before base.py reads them.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379")
os.environ.setdefault("CACHE_KEY_PREFIX", "cms-test")
# Wagtail's django-tasks run inline in the suite, so tests that start no worker still
# see index updates; the pipeline's tests and workers use the Celery backend of
# base.py (cms.tasks_backend.CeleryBackend) where they say so.
os.environ.setdefault(
    "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
)

from cms.settings.base import *  # noqa: E402, F403
from cms.settings.base import SECRET_KEY, VAR_DIR  # noqa: E402
from cms.settings.environment import development_secret_key  # noqa: E402

SECRET_KEY = SECRET_KEY or development_secret_key(VAR_DIR)

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WEBHOOK_ALLOW_PRIVATE_TARGETS = True
API_RATE_LIMIT = ""
# Off by default, as the anonymous limit: tests that are about them switch them on.
PREVIEW_RATE_LIMIT = ""
AUTH_FAILURE_RATE_LIMIT = ""
