"""Response-wide concerns of the delivery API.

``FastCacheMiddleware`` (the first middleware) answers anonymous GETs that have a
current cached response with one Redis round trip (``MGET`` of the content version
and the entry, pipelined with the rate limiter's ``INCR``), before sessions, auth,
CSRF, messages, Wagtail and ninja run; everything else goes down the usual chain.
``ServerTimingMiddleware`` adds ``Server-Timing: db;dur=…, cache;desc=hit|miss,
total;dur=…`` to every response, so a front-end developer sees where time goes.
``ApiErrorShapeMiddleware`` gives Django's own 404/405/413 pages under /api/v1/ (no
route, wrong method, body too big) the contract's JSON error shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware

from cms.api_errors import STATUS_CODES, error_response
from cms.content import ratelimit
from cms.content.cache import (
    NON_VARYING_PATHS,
    VERSION_KEY,
    build_response,
    cache_key,
    current_entry,
    redis_client,
)

API_PREFIX = "/api/v1/"
MESSAGES = {
    404: "Not found.",
    405: "Method not allowed.",
    413: "The request body is too large.",
    400: "Bad request.",
}


class _QueryTimer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        timer = _QueryTimer()
        wrappers = []
        for alias in connections:
            wrapper = connections[alias].execute_wrapper(timer)
            wrapper.__enter__()
            wrappers.append(wrapper)
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        total = (time.perf_counter() - start) * 1000
        cache_state = getattr(request, "delivery_cache", "miss")
        response["Server-Timing"] = (
            f"db;dur={timer.seconds * 1000:.1f}, cache;desc={cache_state}, "
            f"total;dur={total:.1f}"
        )
        return response


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code in MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            shaped = error_response(status, STATUS_CODES[status], MESSAGES[status])
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response


CACHED_PREFIXES = ("/api/v1/", "/feeds/", "/sitemap.xml")
# Never served from the shared cache: authenticated, or drafts.
UNCACHED_PREFIXES = ("/api/v1/publishing/", "/api/v1/preview/")
# Middleware whose only effect on a delivery response is headers: the fast path
# applies the same ones (when installed) so that a hit looks exactly like a miss.
HEADER_MIDDLEWARE = {
    "django.middleware.security.SecurityMiddleware": SecurityMiddleware,
    "django.middleware.common.CommonMiddleware": CommonMiddleware,
    "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptionsMiddleware,
}
CORS_MIDDLEWARE = "corsheaders.middleware.CorsMiddleware"


def _unused(request: HttpRequest) -> HttpResponse:  # pragma: no cover
    raise AssertionError("header-only middleware never calls the view")


COUNT_AND_GET = """
redis.call('SET', KEYS[3], 0, 'EX', ARGV[1], 'NX')
local used = redis.call('INCR', KEYS[3])
return {used, redis.call('GET', KEYS[1]) or false, redis.call('GET', KEYS[2]) or false}
"""


def _count_and_get(client):
    """The rate limiter's INCR (as RateLimitMiddleware counts) and both GETs."""
    script = getattr(client, "delivery_count_and_get", None)
    if script is None:
        script = client.delivery_count_and_get = client.register_script(COUNT_AND_GET)
    return script


class FastCacheMiddleware:
    """Serve current cached delivery responses before the rest of the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        installed = list(settings.MIDDLEWARE)
        self.header_middleware = [
            HEADER_MIDDLEWARE[name](_unused)
            for name in reversed(installed)
            if name in HEADER_MIDDLEWARE
        ]
        self.cors = None
        if CORS_MIDDLEWARE in installed:
            from corsheaders.middleware import CorsMiddleware

            self.cors = CorsMiddleware(_unused)

    def eligible(self, request: HttpRequest) -> bool:
        path = request.path
        return (
            request.method == "GET"
            and path.startswith(CACHED_PREFIXES)
            and not path.startswith(UNCACHED_PREFIXES)
            and "HTTP_AUTHORIZATION" not in request.META
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.eligible(request):
            return self.get_response(request)
        start = time.perf_counter()
        key = cache_key(request, request.path not in NON_VARYING_PATHS)
        rate = ratelimit.current_rate() if ratelimit.applies(request) else None
        keys = [cache.make_key(VERSION_KEY), cache.make_key(key)]
        try:
            client = redis_client()
            if rate:
                # Count the request and read the cache in one command (a script).
                now = time.time()
                counter = cache.make_key(ratelimit.window_key(request, rate[1], now))
                used, *replies = _count_and_get(client)(
                    keys=[*keys, counter], args=[rate[1] + 1]
                )
            else:
                replies = client.mget(keys)
        except Exception:  # Redis trouble: the usual chain copes with it.
            return self.get_response(request)
        if rate:
            request.rate_limit_counted = True
            refused = ratelimit.refusal(used, rate[0], rate[1], now)
            if refused is not None:
                return self.finish(request, refused, start, "miss", headers=False)
        _, entry = current_entry(*replies)
        if entry is None:
            return self.get_response(request)
        request.delivery_cache = "hit"
        return self.finish(request, build_response(request, entry), start, "hit")

    def finish(self, request, response, start, state, headers=True) -> HttpResponse:
        if headers:
            for middleware in self.header_middleware:
                response = middleware.process_response(request, response)
        if self.cors is not None:
            self.cors.add_response_headers(request, response)
        total = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = (
            f"db;dur=0.0, cache;desc={state}, total;dur={total:.1f}"
        )
        return response
