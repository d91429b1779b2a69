"""The baseline's app: declares the stock ``api_fields`` before anything builds an API.

Wagtail 8's API v3 builds its page schemas from ``api_fields`` once, when
``wagtail.api.v3.api`` is first imported, and ``wagtail.contrib.redirects``' own
``ready()`` imports it. Declaring the fields in ``urls.py`` (as the first version
of this baseline did) came too late: v3's detail then answered with id, title and
meta only, 779 bytes against our 12 KB, and its figures flattered stock. This app
is listed first in ``INSTALLED_APPS`` so that its ``ready()`` runs before any other.
"""

from django.apps import AppConfig


class BaselineConfig(AppConfig):
    name = "bench.baseline"
    label = "bench_baseline"

    def ready(self) -> None:
        from bench.baseline.api_fields import declare_api_fields

        declare_api_fields()
