"""Stock Wagtail over the same database rows: API v2 and v3 as a stock project mounts
them, Wagtail's background tasks run immediately (inside the request, the default),
and the floor view. Served by the same gunicorn settings as the product.
"""

from bench.settings import *  # noqa: F403
from bench.settings import INSTALLED_APPS

# The baseline app first: its ready() declares the stock api_fields before any
# other app's ready() imports API v3 (see bench/baseline/apps.py).
INSTALLED_APPS = [
    "bench.baseline.apps.BaselineConfig",
    *INSTALLED_APPS,
    "wagtail.api.v2",
    "rest_framework",
]
ROOT_URLCONF = "bench.baseline.urls"
# Stock Wagtail: search-index and reference-index updates run in the request.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
