"""The product as the benchmark serves it: production settings without the
production checks that need real secrets, DEBUG off, the Redis cache on.

The environment (DATABASE_URL, REDIS_URL) is read by cms.settings.base as usual;
`bench/run.py` points them at the benchmark database and Redis.
"""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import SECRET_KEY, VAR_DIR
from cms.settings.environment import development_secret_key

SECRET_KEY = SECRET_KEY or development_secret_key(VAR_DIR)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# wrk sends every request from one address: a per-client rate limit would measure
# the limiter's 429s, not the API.
API_RATE_LIMIT = ""
# Quiet request logging: the load generator would otherwise measure the console.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
