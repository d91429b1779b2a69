"""Production, the default of every entry point: no default for secrets or hosts.

A missing, weak or development SECRET_KEY, or no ALLOWED_HOSTS, stops the process at
start with one line that says what to set.
"""

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import TRUSTED_PROXY_COUNT, VAR_DIR, env
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
# HTTPS only: plain http is redirected (but /healthz/, which a load balancer or the
# compose health check asks over plain http inside the network), and browsers are
# told to use nothing else for a year (HSTS).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# X-Forwarded-Proto is believed only from a declared proxy (TRUSTED_PROXY_COUNT > 0):
# without one, any client could claim its plain-http request was https.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Production names its database and Redis; the embedded defaults are for laptops.
env.str("DATABASE_URL")
env.str("REDIS_URL")
# Webhook endpoints must be https:// in production unless explicitly allowed.
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=True)
