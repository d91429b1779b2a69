"""`/healthz/`: is each service this process depends on answering?

200 with ``"status": "ok"`` when all are, else 503 with ``"status": "unavailable"``;
``checks`` says which (``{"ok", "ms"}`` each). Why a check failed is logged, and shown
only to staff: an anonymous caller (a load balancer, anyone) learns up or down.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cms.celery_app import app as celery_app

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    # Straight to Redis: through Django's API an unreachable Redis reads as a miss
    # (cms/cache_backend.py), and the reason would be lost.
    client = cache._cache.get_client(write=True)
    key = cache.make_key("healthz")
    client.set(key, b"ok", ex=10)
    if client.get(key) != b"ok":
        raise RuntimeError("cache did not return what was written")


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        # One attempt, one second: a health check must not hang on a dead broker.
        conn.ensure_connection(max_retries=1, timeout=1)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def _is_staff(request: HttpRequest) -> bool:
    try:
        return bool(request.user.is_staff)
    except Exception:  # noqa: BLE001 - the session store may be what is down
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            results[name] = {"ok": False}
            errors[name] = f"{type(exc).__name__}: {exc}"
            logger.warning("health check %s failed: %s", name, errors[name])
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    if errors and _is_staff(request):
        for name, error in errors.items():
            results[name]["error"] = error
    healthy = not errors
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
