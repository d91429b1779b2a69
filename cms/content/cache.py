"""The delivery API's shared response cache, ETags and invalidation.

Every cache key holds the current *content version*, a counter in Redis that any
change visible to the public bumps right after its transaction commits (see
``signal_handlers``). Bumping it retires every cached response at once — lists, the
changed article, and other articles' ``related`` blocks — so the very next request
sees the change. Time alone also changes what is public (a go-live or expiry time
passing before the sweep acts), so no entry outlives the next such moment.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Page

logger = logging.getLogger(__name__)

VERSION_KEY = "delivery:content-version"
BOUNDARY_KEY = "delivery:next-boundary:{version}"
# Upper bound on an entry's life even if no event arrives (defence in depth).
MAX_ENTRY_SECONDS = 300


@dataclass
class CachedResponse:
    body: bytes
    etag: str
    last_modified: float | None = None


def content_version() -> int:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # Milliseconds, so that a flushed Redis never reuses an old version.
            cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
            version = cache.get(VERSION_KEY)
        return int(version or 0)
    except Exception:  # Redis down: serve uncached rather than fail.
        logger.warning("content version unavailable; serving uncached", exc_info=True)
        return 0


def bump_content_version() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
    except Exception:
        logger.exception("could not bump the delivery API content version")


def _next_boundary(version: int) -> float | None:
    """The next time a live page's go-live or expiry passes (epoch seconds)."""
    key = BOUNDARY_KEY.format(version=version)
    stored = cache.get(key)
    now = timezone.now()
    if stored is not None and (stored == 0 or stored > now.timestamp()):
        return stored or None
    found = Page.objects.filter(live=True).aggregate(
        expire=Min("expire_at", filter=Q(expire_at__gt=now)),
        go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
    )
    moments = [m for m in found.values() if isinstance(m, datetime)]
    boundary = min(moments).timestamp() if moments else 0
    cache.set(key, boundary, timeout=MAX_ENTRY_SECONDS)
    return boundary or None


def cache_key(request: HttpRequest, version: int, vary_on_query: bool = True) -> str:
    query = sorted(
        (name, value) for name in request.GET for value in request.GET.getlist(name)
    )
    if not vary_on_query:
        query = []
    digest = hashlib.sha256(repr((request.path, query)).encode()).hexdigest()
    return f"delivery:r:{version}:{digest}"


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
    content_type: str = "application/json",
    public: bool = True,
) -> HttpResponse:
    if _etag_matches(request, entry.etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry.body, content_type=content_type)
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
    version = content_version()
    key = cache_key(request, version, vary_on_query)
    entry = None
    if version:
        try:
            entry = cache.get(key)
        except Exception:
            logger.warning("response cache unavailable", exc_info=True)
    request.delivery_cache = "hit" if entry is not None else "miss"
    if entry is None:
        body, last_modified = render()
        entry = CachedResponse(body, etag_for(body), last_modified)
        if version:
            try:
                timeout = MAX_ENTRY_SECONDS
                boundary = _next_boundary(version)
                if boundary:
                    timeout = max(0, min(timeout, int(boundary - time.time())))
                if timeout:
                    cache.set(key, entry, timeout=timeout)
            except Exception:
                logger.warning("response cache unavailable", exc_info=True)
    return build_response(request, entry, content_type)
