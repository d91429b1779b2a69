"""Production, the default of every entry point: no default for secrets or hosts.

A missing, weak or development SECRET_KEY, or no ALLOWED_HOSTS, stops the process at
start with one line that says what to set.
"""

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import VAR_DIR, env
from cms.settings.environment import is_development_key, weak_secret_key

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: production settings (the default) need a random "
        "value of at least 50 characters; for a development run use `make run` or "
        "DJANGO_SETTINGS_MODULE=cms.settings.dev"
    )
if is_development_key(SECRET_KEY, VAR_DIR):
    raise ImproperlyConfigured(
        "SECRET_KEY: this checkout's development key is refused in production"
    )
if problem := weak_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(f"SECRET_KEY is refused in production: {problem}")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set: production settings need the site's host names"
    )
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Production names its database and Redis; the embedded defaults are for laptops.
env.str("DATABASE_URL")
env.str("REDIS_URL")
# Webhook endpoints must be https:// in production unless explicitly allowed.
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=True)
