"""The bench's processes, started by the one harness (tests/support/processes.py).

They run this process's settings module, database, Redis and secret key (the
endpoints' webhook secrets are encrypted with it), not production's, so that the
figures are those of the configuration the bench measures. Needs Django set up.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.support.processes import Pipeline


def pipeline(prefix: str, **env: str) -> Pipeline:
    """A :class:`Pipeline` on this process's configuration; logs in a new folder."""
    from django.conf import settings

    return Pipeline(
        settings.DATABASE_URL,
        settings.REDIS_URL,
        Path(tempfile.mkdtemp(prefix=prefix)),
        DJANGO_SETTINGS_MODULE=os.environ["DJANGO_SETTINGS_MODULE"],
        SECRET_KEY=settings.SECRET_KEY,
        **env,
    )
