"""Production: no default for secrets or hosts."""

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import DEV_SECRET_KEY, MIDDLEWARE, STORAGES, env

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

# Static files from the web process itself (WhiteNoise), as collectstatic left them at
# build time: content-hashed names served with a year's `immutable` caching, gzip and
# brotli variants chosen by Accept-Encoding. Right after SecurityMiddleware, as
# WhiteNoise asks; nginx passes /static/ through (deploy/nginx.conf).
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The first superuser's password comes from ADMIN_PASSWORD, never made up.
ADMIN_GENERATE_PASSWORD = False
