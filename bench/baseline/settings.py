"""Stock Wagtail over the same database rows: API v2 and v3 as a stock project mounts
them, Wagtail's background tasks run immediately (inside the request, the default),
and the floor view. Served by the same gunicorn settings as the product.
"""

from bench.settings import *  # noqa: F403
from bench.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]
ROOT_URLCONF = "bench.baseline.urls"
# Stock Wagtail: search-index and reference-index updates run in the request.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
