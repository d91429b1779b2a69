"""Response-wide concerns of the delivery API.

``ServerTimingMiddleware`` adds ``Server-Timing: db;dur=…, cache;desc=hit|miss,
total;dur=…`` to every response, so a front-end developer sees where time goes.
``ApiErrorShapeMiddleware`` gives Django's own 404/405/413 pages under /api/v1/ (no
route, wrong method, body too big) the contract's JSON error shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse

from cms.api_errors import STATUS_CODES, error_response

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
