"""The pipeline health panel on the admin dashboard.

It draws ``publishing.monitoring.pipeline_status()``, the data of
``GET /api/v1/publishing/status/``, and says in words what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
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


@dataclass(frozen=True)
class Problem:
    """Something an editor should hear about: what is wrong, what it means, and
    what to do. ``critical`` when scheduled content will not go live on time."""

    text: str
    critical: bool = True

    def __str__(self) -> str:
        return self.text


def problems(status: Mapping[str, Any], now: datetime | None = None) -> list[Problem]:
    """What is really wrong, in plain words, each saying what to do (empty: all
    is well). Nothing here is a guess: each line is read from the status data."""
    now = now or timezone.now()
    found = []
    if status["queues"] is None:
        found.append(
            Problem(
                "The message broker (Redis) cannot be reached: scheduled items wait "
                "in the database until it is back. Check that Redis is running and "
                "that REDIS_URL points at it (make run starts its own)."
            )
        )
    if not status["workers"]:
        found.append(
            Problem(
                f"No Celery worker has been seen for {HEARTBEAT_TTL} s: scheduled "
                "items will not go live. Start one (celery -A cms worker; make run "
                "starts two) and check its log."
            )
        )
    sweep_age = _age(status["last_sweep_at"], now)
    if sweep_age is None:
        found.append(
            Problem(
                "The schedule sweep has never run: start celery beat "
                "(celery -A cms beat; make run starts it)."
            )
        )
    elif sweep_age >= SWEEP_STALE_S:
        found.append(
            Problem(
                f"The last schedule sweep was {sweep_age:.0f} s ago: celery beat "
                "seems to have stopped; restart it."
            )
        )
    overdue = status["oldest_overdue"]
    if overdue and _age(overdue["due_at"], now) >= OVERDUE_UNHEALTHY_S:
        found.append(
            Problem(
                f"A {overdue['type']} is overdue by "
                f"{_age(overdue['due_at'], now):.0f} s: the workers are behind or "
                "stopped; see their log."
            )
        )
    lag = status["search_index_lag_s"]
    if lag is not None and lag > INDEX_LAG_WARN_S:
        found.append(
            Problem(
                f"The search index is {lag:.0f} s behind: new articles are not yet "
                "found by search. It catches up by itself once the indexing queue "
                "drains; manage.py reindex rebuilds it.",
                critical=False,
            )
        )
    search = status.get("search") or {}
    if search.get("status") == "degraded":
        found.append(
            Problem(
                f"Search is degraded: {search.get('detail')}. Public search answers "
                "from the database meanwhile; index updates wait and are written "
                "when it is back.",
                critical=False,
            )
        )
    if status["failing_webhook_endpoints"]:
        count = len(status["failing_webhook_endpoints"])
        found.append(
            Problem(
                f"{count} webhook endpoint{'s' if count != 1 else ''} failing or "
                "disabled (listed below): their receivers miss events. Open the "
                "endpoint's delivery log to see each attempt's error.",
                critical=False,
            )
        )
    for release in status["releases_at_risk"]:
        found.append(
            Problem(
                f"Release “{release['title']}” would fail if it went live now: open "
                "it to see which article is the problem."
            )
        )
    if status.get("dead_letters"):
        found.append(
            Problem(
                f"{status['dead_letters']} task(s) in the dead-letter list: a task "
                "killed its worker repeatedly. See the workers' log.",
                critical=False,
            )
        )
    return found


class PipelineHealthPanel(Component):
    name = "pipeline_health"
    template_name = "publishing/health_panel.html"
    order = 50

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        request = (parent_context or {}).get("request")
        # No request, no user: an anonymous view, which names no content.
        status = pipeline_status(getattr(request, "user", None) or AnonymousUser())
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
