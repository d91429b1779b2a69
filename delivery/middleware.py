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

from cms.api_contract import STATUS_CODES, error_response
from delivery import ratelimit
from delivery.cache import (
    LOOKED_UP,
    NON_VARYING_PATHS,
    VERSION_KEY,
    CachedResponse,
    build_response,
    cache_failed,
    cache_key,
    current_entry,
    redis_client,
    settle_after_outage,
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


# Count the request (the rate limiter's own count) and read the version and, when
# asked (ARGV[2] = "1"), the entry: one command, one round trip.
COUNT_AND_GET = (
    ratelimit.COUNT_LINES.format(n=3)
    + """
local entry = false
if ARGV[2] == '1' then entry = redis.call('GET', KEYS[2]) or false end
return {used, redis.call('GET', KEYS[1]) or false, entry}
"""
)
# Entries this process has served lately, by key: a hit whose version is still
# current is then served without moving its body out of Redis again.
LOCAL_ENTRIES = 256


def _count_and_get(client):
    return ratelimit.registered_script(client, "delivery_count_and_get", COUNT_AND_GET)


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
        self.local: dict[str, tuple[int, CachedResponse]] = {}

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
        response = self.safely_serve(request)
        return self.get_response(request) if response is None else response

    def safely_serve(self, request: HttpRequest) -> HttpResponse | None:
        """:meth:`serve`, but whatever goes wrong (a query string Django refuses, say)
        is left to the full stack, which answers it properly."""
        try:
            return self.serve(request)
        except Exception:
            return None

    def serve(self, request: HttpRequest) -> HttpResponse | None:
        """The response from the cache (or the rate limiter's 429), or ``None``."""
        if request.META.get(LOOKED_UP) or not self.eligible(request):
            return None
        # What ALLOWED_HOSTS refuses, the full stack refuses (DisallowedHost: 400);
        # the fast path must not answer it first.
        request.get_host()
        # Looked up once per request, whether by FastCacheApplication or here.
        request.META[LOOKED_UP] = True
        start = time.perf_counter()
        key = cache_key(request, request.path not in NON_VARYING_PATHS)
        rate = ratelimit.current_rate() if ratelimit.applies(request) else None
        keys = [cache.make_key(VERSION_KEY), cache.make_key(key)]
        local = self.local.get(key)
        if local is not None and local[1].expires_at <= time.time():
            local = None
        entry = None
        try:
            settle_after_outage()
            client = redis_client()
            if rate:
                now = time.time()
                counter = cache.make_key(ratelimit.window_key(request, rate[1], now))
                used, version_raw, entry_raw = _count_and_get(client)(
                    keys=[*keys, counter],
                    args=[rate[1] + 1, "0" if local else "1"],
                )
                request.META[ratelimit.COUNTED] = True
                refused = ratelimit.refusal(used, rate[0], rate[1], now)
                if refused is not None:
                    return self.finish(request, refused, start, "miss", headers=False)
            elif local is not None:
                version_raw, entry_raw = client.get(keys[0]), None
            else:
                version_raw, entry_raw = client.mget(keys)
            if local is not None:
                if version_raw is not None and int(version_raw) == local[0]:
                    entry = local[1]
                else:  # the version moved on: is there a newer entry?
                    self.local.pop(key, None)
                    version_raw, entry_raw = client.mget(keys)
            if entry is None:
                version, entry = current_entry(version_raw, entry_raw)
                if entry is not None and entry.expires_at > time.time():
                    if len(self.local) >= LOCAL_ENTRIES:
                        self.local.clear()
                    self.local[key] = (version, entry)
        except Exception as exc:  # Redis trouble: the usual chain copes with it.
            cache_failed(exc, "the delivery API's fast cache path")
            return None
        if entry is None:
            return None
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


class FastCacheApplication:
    """The same fast path one step earlier, around Django's WSGI handler (cms/wsgi.py):
    a hit skips the handler too (request signals, the middleware chain's wrappers).
    Anything else goes to Django, where FastCacheMiddleware knows it was looked up.
    """

    def __init__(self, application) -> None:
        self.application = application
        self.fast: FastCacheMiddleware | None = None

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and environ.get(
            "PATH_INFO", ""
        ).startswith(CACHED_PREFIXES):
            from django.core.handlers.wsgi import WSGIRequest

            if self.fast is None:
                self.fast = FastCacheMiddleware(_unused)
            # A request built on a copy: WSGIRequest writes the decoded path back
            # into its environ, which Django's handler could then no longer decode
            # (a character outside Latin-1 there was a 500). The flags the fast
            # path sets travel back.
            probe = dict(environ)
            response = self.fast.safely_serve(WSGIRequest(probe))
            for flag in (LOOKED_UP, ratelimit.COUNTED):
                if flag in probe:
                    environ[flag] = probe[flag]
            if response is not None:
                start_response(
                    f"{response.status_code} {response.reason_phrase}",
                    list(response.items()),
                )
                return [response.content]
        return self.application(environ, start_response)
