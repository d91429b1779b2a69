"""The pipeline health panel on the admin dashboard.

It draws ``publishing.monitoring.pipeline_status()``, the data of
``GET /api/v1/publishing/status/``, and says in words what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from wagtail.admin.ui.components import Component

from publishing.monitoring import (
    HEARTBEAT_TTL,
    OVERDUE_UNHEALTHY_S,
    SWEEP_STALE_S,
    pipeline_status,
)
from publishing.webhooks.models import Endpoint

# Past this, the search index is called behind.
INDEX_LAG_WARN_S = 60


def _age(at: datetime | None, now: datetime) -> float | None:
    return None if at is None else (now - at).total_seconds()


def problems(status: Mapping[str, Any], now: datetime | None = None) -> list[str]:
    """What an editor should hear about, in plain words (empty: all is well)."""
    now = now or timezone.now()
    found = []
    if not status["workers"]:
        found.append(
            f"No worker seen for {HEARTBEAT_TTL} s: scheduled items will not go live."
        )
    if status["queues"] is None:
        found.append("The message broker (Redis) cannot be reached.")
    sweep_age = _age(status["last_sweep_at"], now)
    if sweep_age is None:
        found.append("The schedule sweep has never run: is celery beat running?")
    elif sweep_age >= SWEEP_STALE_S:
        found.append(
            f"The last schedule sweep was {sweep_age:.0f} s ago: "
            "is celery beat running?"
        )
    overdue = status["oldest_overdue"]
    if overdue and _age(overdue["due_at"], now) >= OVERDUE_UNHEALTHY_S:
        found.append(
            f"A {overdue['type']} is overdue by {_age(overdue['due_at'], now):.0f} s."
        )
    lag = status["search_index_lag_s"]
    if lag is not None and lag > INDEX_LAG_WARN_S:
        found.append(f"The search index is {lag:.0f} s behind.")
    search = status.get("search") or {}
    if search.get("status") == "degraded":
        found.append(f"Search is degraded: {search.get('detail')}.")
    if status["failing_webhook_endpoints"]:
        found.append(
            f"{len(status['failing_webhook_endpoints'])} webhook endpoint(s) failing "
            "or disabled."
        )
    for release in status["releases_at_risk"]:
        found.append(f"Release “{release['title']}” would fail if it went live now.")
    if status.get("dead_letters"):
        found.append(f"{status['dead_letters']} task(s) in the dead-letter list.")
    return found


class PipelineHealthPanel(Component):
    name = "pipeline_health"
    template_name = "publishing/health_panel.html"
    order = 50

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        status = pipeline_status()
        failing = list(
            Endpoint.objects.filter(id__in=status["failing_webhook_endpoints"])
        )
        sweep_age = _age(status["last_sweep_at"], now)
        return {
            "status": status,
            "problems": problems(status, now),
            "failing_endpoints": failing,
            "workers": [
                {**w, "age": _age(w["last_seen"], now)} for w in status["workers"]
            ],
            "sweep_age": sweep_age,
            "overdue_age": (
                _age(status["oldest_overdue"]["due_at"], now)
                if status["oldest_overdue"]
                else None
            ),
        }
