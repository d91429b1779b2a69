"""The delivery API's shared response cache, ETags and invalidation.

Every cached response is stored with the *content version* it was rendered under, a
counter in Redis that any change visible to the public bumps right after its
transaction commits (delivery/signal_handlers.py). An entry whose version is not the
current one is never served: bumping the version retires every cached response at
once — lists, the changed article, and other articles' ``related`` blocks — so the
very next request sees the change. Time alone also changes what is public (a go-live
or expiry time passing before the sweep acts), so no entry outlives the next such
moment (its Redis TTL).

A lookup is one Redis round trip: ``MGET`` of the version key and the response key
(:func:`lookup`). :class:`FastCacheMiddleware`, the first middleware, serves hits from
there before sessions, auth, CSRF, Wagtail or ninja run (delivery/middleware.py);
:func:`cached_response` is the same cache seen from a view, for misses.

Entries are stored raw (not pickled): a header line ``<version> <etag>
<last-modified or -> <content type>`` and the body.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Page

from cms.cache_backend import report, unavailable
from delivery import prepared
from delivery.richtext import remembered_site_roots

logger = logging.getLogger(__name__)

VERSION_KEY = "delivery:content-version"
BOUNDARY_KEY = "delivery:next-boundary:{version}"
RESPONSE_KEY = "delivery:r:{digest}"
# Set in the WSGI environ once the fast path has looked the request's key up.
LOOKED_UP = "cms.fast_cache_looked_up"
# Upper bound on an entry's life even if no event arrives (defence in depth).
MAX_ENTRY_SECONDS = 300
# Paths whose response ignores the query string (the feed, the sitemap): filled in
# by cached_response(vary_on_query=False), read by the fast path.
NON_VARYING_PATHS: set[str] = set()


@dataclass
class CachedResponse:
    body: bytes
    etag: str
    last_modified: float | None = None
    content_type: str = "application/json"
    # Epoch seconds after which the entry must not be served (its Redis TTL).
    expires_at: float = 0.0


def redis_client():
    """The raw redis-py client behind Django's cache, made once per cache backend
    instance (Django makes a new ``redis.Redis`` per call: a costly object)."""
    backend = cache._cache
    client = getattr(backend, "delivery_client", None)
    if client is None:
        client = backend.delivery_client = backend.get_client(write=True)
    return client


def _new_version() -> int:
    # Milliseconds, so that a flushed Redis never reuses an old version.
    return int(time.time() * 1000)


def content_version() -> int:
    try:
        # Set it unless set (a flushed Redis), and read it: one round trip.
        key = cache.make_key(VERSION_KEY)
        pipe = redis_client().pipeline(transaction=False)
        pipe.set(key, _new_version(), nx=True)
        pipe.get(key)
        return int(pipe.execute()[1] or 0)
    except Exception as exc:  # Redis down: serve uncached rather than fail.
        cache_failed(exc, "the delivery API's content version")
        return 0


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, _new_version(), timeout=None)


def bump_content_version() -> None:
    try:
        _bump()
    except Exception as exc:
        if unavailable(exc):
            # settle_after_outage() bumps once Redis answers this process again.
            cache_failed(exc, "the delivery API's content version bump")
        else:
            logger.exception("could not bump the delivery API content version")


# Whether this process found Redis unreachable since it last bumped the version.
# Entries that Redis kept through the outage may then predate a change whose bump
# was lost (this process's, or a worker's while this one could not hear), so the
# first call that reaches Redis again bumps before anything is served.
_outage_seen = False


def cache_failed(exc: BaseException, where: str) -> None:
    """Log a failed response-cache call (cms/cache_backend.py's report); an outage
    is remembered for :func:`settle_after_outage`."""
    global _outage_seen
    if unavailable(exc):
        _outage_seen = True
    report(exc, where)


def settle_after_outage() -> None:
    """After an outage this process saw, retire every entry from before it (one
    version bump). Raises while Redis is still unreachable."""
    global _outage_seen
    if _outage_seen:
        _bump()
        _outage_seen = False


def purge_frontend_cache(page: Page) -> None:
    """Where a front-end cache is configured (``WAGTAILFRONTENDCACHE``), purge the
    article's API URL and the lists that show it (Wagtail's own frontend_cache
    app purges the page's site URL)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    urls = [
        f"{base}/api/v1/articles/",
        f"{base}/feeds/articles/",
        f"{base}/sitemap.xml",
    ]
    if page.slug:
        urls.append(f"{base}/api/v1/articles/{page.slug}/")
    try:
        purge_urls_from_cache(urls)
    except Exception:  # a CDN hiccup must never undo a publish
        logger.exception("front-end cache purge failed for page %s", page.pk)


def _first_live_after(field: str, now: datetime) -> Subquery:
    later = Page.objects.filter(live=True, **{f"{field}__gt": now}).order_by(field)
    return Subquery(later.values(field)[:1])


def _aware(moment: datetime | str) -> datetime:
    """A time as the database driver returned it (SQLite's: text, in UTC)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _next_boundary(version: int) -> float | None:
    """The next time a live page's go-live or expiry passes (epoch seconds)."""
    key = BOUNDARY_KEY.format(version=version)
    stored = cache.get(key)
    now = timezone.now()
    if stored is not None and (stored == 0 or stored > now.timestamp()):
        return stored or None
    # Each boundary is the first entry of its partial index (content/0003), read
    # in one statement alongside the tree's first row (a whole-table aggregate
    # before, a scan of every page on each cache miss).
    # Compiled once (delivery/prepared.py): it runs on every cache fill.
    statement = prepared.prepare(
        ("next-boundary",),
        lambda values: (
            Page.objects.order_by("path")
            .annotate(
                expire=_first_live_after("expire_at", values["now"]),
                go_live=_first_live_after("go_live_at", values["now"]),
            )
            .values_list("expire", "go_live")[:1]
            .query.sql_with_params()
        ),
        {"now": datetime},
    )
    found = statement.fetchall({"now": now})
    moments = [_aware(m) for m in (found[0] if found else ()) if m is not None]
    boundary = min(moments).timestamp() if moments else 0
    cache.set(key, boundary, timeout=MAX_ENTRY_SECONDS)
    return boundary or None


def cache_key(request: HttpRequest, vary_on_query: bool = True) -> str:
    query = (
        sorted(
            (name, value) for name in request.GET for value in request.GET.getlist(name)
        )
        if vary_on_query
        else []
    )
    digest = hashlib.sha256(repr((request.path, query)).encode()).hexdigest()
    return RESPONSE_KEY.format(digest=digest)


def encode_entry(version: int, entry: CachedResponse) -> bytes:
    modified = repr(entry.last_modified) if entry.last_modified else "-"
    head = (
        f"{version} {entry.etag} {modified} {entry.expires_at!r} {entry.content_type}\n"
    )
    return head.encode() + entry.body


def decode_entry(raw: bytes) -> tuple[int, CachedResponse] | None:
    try:
        head, body = raw.split(b"\n", 1)
        version, etag, modified, expires, content_type = head.decode().split(" ", 4)
        return int(version), CachedResponse(
            body,
            etag,
            None if modified == "-" else float(modified),
            content_type,
            float(expires),
        )
    except (ValueError, UnicodeDecodeError):
        return None


def lookup(raw_key: str) -> tuple[int | None, CachedResponse | None]:
    """The current content version and the entry for ``raw_key`` if it is current."""
    version_raw, entry_raw = redis_client().mget(
        [cache.make_key(VERSION_KEY), cache.make_key(raw_key)]
    )
    return current_entry(version_raw, entry_raw)


def current_entry(version_raw, entry_raw) -> tuple[int | None, CachedResponse | None]:
    try:
        version = int(version_raw) if version_raw is not None else None
    except ValueError:
        version = None
    if version is None or entry_raw is None:
        return version, None
    decoded = decode_entry(entry_raw)
    if decoded is None or decoded[0] != version:
        return version, None  # rendered under another version: never served
    return version, decoded[1]


def store(key: str, version: int, entry: CachedResponse) -> None:
    timeout = MAX_ENTRY_SECONDS
    boundary = _next_boundary(version)
    if boundary:
        timeout = max(0, min(timeout, int(boundary - time.time())))
    if timeout:
        entry.expires_at = time.time() + timeout
        redis_client().set(
            cache.make_key(key), encode_entry(version, entry), ex=timeout
        )


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return etag in candidates


def build_response(
    request: HttpRequest,
    entry: CachedResponse,
    content_type: str | None = None,
    public: bool = True,
) -> HttpResponse:
    if _etag_matches(request, entry.etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(
            entry.body, content_type=content_type or entry.content_type
        )
    response["ETag"] = entry.etag
    if public:
        response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
    if entry.last_modified:
        response["Last-Modified"] = http_date(entry.last_modified)
    response["Vary"] = "Origin"
    return response


def cached_response(
    request: HttpRequest,
    render: Callable[[], tuple[bytes, float | None]],
    content_type: str = "application/json",
    vary_on_query: bool = True,
) -> HttpResponse:
    """Serve from the shared cache, or render, store and serve.

    ``render`` returns the body and an optional Last-Modified (epoch seconds). Only
    successful renders are stored: errors propagate as exceptions.
    """
    if not vary_on_query:
        NON_VARYING_PATHS.add(request.path)
    key = cache_key(request, vary_on_query)
    version, entry = None, None
    # The fast path (delivery/middleware.py) has looked this key up already and
    # found nothing current: don't ask Redis again.
    if not request.META.get(LOOKED_UP):
        try:
            settle_after_outage()
            version, entry = lookup(key)
        except Exception as exc:
            cache_failed(exc, "the delivery API's response cache")
    if version is None:
        version = content_version()
    request.delivery_cache = "hit" if entry is not None else "miss"
    if entry is None:
        with remembered_site_roots():
            body, last_modified = render()
        entry = CachedResponse(body, etag_for(body), last_modified, content_type)
        if version:
            try:
                store(key, version, entry)
            except Exception as exc:
                cache_failed(exc, "the delivery API's response cache")
    return build_response(request, entry, content_type)
