"""Production: no default for secrets or hosts."""

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import DEV_SECRET_KEY, env

SECRET_KEY = env.str("SECRET_KEY")
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters in "
        "production; the development key is refused"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Production names its database and Redis; the embedded defaults are for laptops.
env.str("DATABASE_URL")
env.str("REDIS_URL")
# Webhook endpoints must be https:// in production unless explicitly allowed.
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=True)
