"""Rate limits in Redis (Django's cache), requirement R19 (docs/requirements.md). Each
is a fixed window, counted by one script (:data:`COUNT_LINES`), given as
``<count>/<s|m|h>``; empty disables it.

- ``API_RATE_LIMIT`` (600/m): anonymous delivery requests per client address.
- ``PREVIEW_RATE_LIMIT`` (60/m): previews per user: drafts read with the tokens
  one editor minted, and preview links one API user mints.
- ``AUTH_FAILURE_RATE_LIMIT`` (10/m): failed authentications (any 401) on the
  token-authenticated paths, per client address. Past it, until the window ends,
  an attempt that does not authenticate is a 429 (one with no token, or a
  malformed one, without any database read), while a request with a valid token
  is still served: guessing is slowed, the address's real users are not locked
  out (CONTRACT section 2).

The address is the connection's, or the ``TRUSTED_PROXY_COUNT``-th entry from the
right of ``X-Forwarded-For``. Past a limit: 429 with ``Retry-After``. If Redis is
down the limits let requests through (serving beats refusing everyone).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from cms.api_contract import ApiError, error_response
from cms.cache_backend import report
from cms.content.preview import read_preview_token
from delivery.cache import redis_client

PERIODS = {"s": 1, "m": 60, "h": 3600}
# The count, the one way every limit counts: the window's counter (KEYS[n]) is
# created with its expiry (ARGV[1] seconds) if missing, then incremented, in one
# round trip. The fast cache path runs the same lines in the round trip of its
# cache lookup (delivery/middleware.py).
COUNT_LINES = """
redis.call('SET', KEYS[{n}], 0, 'EX', ARGV[1], 'NX')
local used = redis.call('INCR', KEYS[{n}])
"""
COUNT = COUNT_LINES.format(n=1) + "return used\n"
# Set in the WSGI environ by the fast cache path once it has counted the request.
COUNTED = "cms.rate_limit_counted"
RATE = re.compile(r"^\s*(\d+)\s*/\s*([smh])\s*$")
LIMITED_PREFIXES = ("/api/v1/", "/feeds/", "/sitemap.xml")
# The publishing API authenticates; its callers are not anonymous readers.
EXEMPT_PREFIXES = ("/api/v1/publishing/",)
# Where a request carries a token (bearer API token or signed preview token).
TOKEN_PREFIXES = ("/api/v1/publishing/", "/api/v1/preview/", "/api/v3-preview/")


def parse_rate(value: str) -> tuple[int, int] | None:
    """``"600/m"`` -> ``(600, 60)``; empty -> ``None``."""
    if not value or not value.strip():
        return None
    match = RATE.match(value)
    if not match:
        raise ValueError(f"a rate limit must look like 600/m, not {value!r}")
    return int(match.group(1)), PERIODS[match.group(2)]


def client_address(request: HttpRequest) -> str:
    trusted = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote
    forwarded = [
        a.strip()
        for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if a.strip()
    ]
    # Each trusted proxy appends the address it saw; the client is the entry the
    # outermost trusted proxy appended. Anything further left is client-supplied.
    if len(forwarded) >= trusted:
        return forwarded[-trusted]
    return forwarded[0] if forwarded else remote


def current_rate() -> tuple[int, int] | None:
    return _parsed_rate(settings.API_RATE_LIMIT)


_RATES: dict[str, tuple[int, int] | None] = {}


def _parsed_rate(value: str) -> tuple[int, int] | None:
    if value not in _RATES:
        _RATES[value] = parse_rate(value)
    return _RATES[value]


def applies(request: HttpRequest) -> bool:
    path = request.path
    return path.startswith(LIMITED_PREFIXES) and not path.startswith(EXEMPT_PREFIXES)


def window_key(request: HttpRequest, period: int, now: float) -> str:
    """The counter of this client's current window (a Django cache key)."""
    return f"ratelimit:{client_address(request)}:{period}:{int(now // period)}"


def refusal(used: int, count: int, period: int, now: float) -> HttpResponse | None:
    """The 429 once ``used`` passes ``count`` in this window, else ``None``."""
    if used <= count:
        return None
    window = int(now // period)
    retry_after = max(1, int((window + 1) * period - now + 0.999))
    response = error_response(
        429, "rate_limited", f"Too many requests; retry in {retry_after} s."
    )
    response["Retry-After"] = str(retry_after)
    return response


RATE_SETTINGS = ("API_RATE_LIMIT", "PREVIEW_RATE_LIMIT", "AUTH_FAILURE_RATE_LIMIT")


def check_rate_settings(**kwargs) -> list[checks.CheckMessage]:
    """A system check: a malformed rate stops the server at start, not each request."""
    errors = []
    for name in RATE_SETTINGS:
        try:
            parse_rate(getattr(settings, name, ""))
        except ValueError as exc:
            errors.append(checks.Error(str(exc), id="content.E001", obj=name))
    return errors


def _counter(scope: str, ident: str, period: int, now: float) -> str:
    return f"ratelimit:{scope}:{ident}:{period}:{int(now // period)}"


def limit(scope: str, ident: str, rate_setting: str) -> HttpResponse | None:
    """Count one request of ``ident`` under ``scope``; the 429 once past the rate."""
    rate = _parsed_rate(rate_setting)
    if not rate:
        return None
    count, period = rate
    now = time.time()
    used = _incr(_counter(scope, ident, period, now), period)
    return None if used is None else refusal(used, count, period, now)


def registered_script(client, name: str, source: str):
    """The Lua script ``source``, registered once per Redis client."""
    script = getattr(client, name, None)
    if script is None:
        script = client.register_script(source)
        setattr(client, name, script)
    return script


def _incr(key: str, period: int) -> int | None:
    """One more in this window's counter; ``None`` if Redis cannot be reached."""
    try:
        count = registered_script(redis_client(), "delivery_count", COUNT)
        return int(count(keys=[cache.make_key(key)], args=[period + 1]))
    except Exception as exc:
        report(exc, "the rate limiter")
        return None


class AuthFailureLimitMiddleware:
    """Refuse token-authenticated paths to an address past its failed attempts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rate = _parsed_rate(settings.AUTH_FAILURE_RATE_LIMIT)
        if not rate or not request.path.startswith(TOKEN_PREFIXES):
            return self.get_response(request)
        count, period = rate
        now = time.time()
        key = _counter("auth-failures", client_address(request), period, now)
        try:
            failures = int(cache.get(key) or 0)
        except Exception as exc:
            report(exc, "the rate limiter")
            return self.get_response(request)
        if failures >= count and not carries_plausible_token(request):
            return refusal(failures + 1, count, period, now)
        response = self.get_response(request)
        if response.status_code == 401:
            _incr(key, period)
            if failures >= count:
                return refusal(failures + 1, count, period, now)
        return response


def carries_plausible_token(request: HttpRequest) -> bool:
    """Whether the request carries a token worth looking up, judged offline.

    A bearer token must pass Wagtail's format check (prefix, length, checksum); a
    preview token its signature. Anything else is refused past the limit without
    costing a database read.
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        from wagtail.models import APIToken

        return APIToken.validate_token_format(credential.strip())
    token = request.GET.get("token")
    if token and request.path.startswith("/api/v1/preview/"):
        try:
            read_preview_token(token)
        except ApiError:
            return False
        return True
    return False


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The fast cache path (FastCacheMiddleware) may have counted this request
        # already, in the same Redis round trip as its cache lookup.
        if not request.META.get(COUNTED):
            rate = current_rate()
            if rate and applies(request):
                limited = self._check(request, *rate)
                if limited is not None:
                    return limited
        return self.get_response(request)

    def _check(self, request: HttpRequest, count: int, period: int):
        now = time.time()
        used = _incr(window_key(request, period, now), period)
        return None if used is None else refusal(used, count, period, now)
