"""Development: the embedded run of `make run` (which asks for this module)."""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import SECRET_KEY, VAR_DIR, env
from cms.settings.environment import development_secret_key

DEBUG = env.bool("DEBUG", default=True)

# A front end on this machine (FRONTEND_BASE_URL, http://localhost:3000 unless set)
# may call the API from the browser, and receive webhooks on loopback.
from urllib.parse import urlsplit  # noqa: E402

from cms.settings.base import (  # noqa: E402
    CORS_ALLOW_ALL_ORIGINS,
    CORS_ALLOWED_ORIGINS,
    FRONTEND_BASE_URL,
)

_front_end = urlsplit(FRONTEND_BASE_URL)
if not CORS_ALLOW_ALL_ORIGINS and _front_end.scheme and _front_end.netloc:
    CORS_ALLOWED_ORIGINS = sorted(
        {*CORS_ALLOWED_ORIGINS, f"{_front_end.scheme}://{_front_end.netloc}"}
    )
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=True)

# This checkout's own random key (var/), unless SECRET_KEY is set.
SECRET_KEY = SECRET_KEY or development_secret_key(VAR_DIR)
