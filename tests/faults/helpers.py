"""Shared steps of the fault tests: make articles, schedule them, read outcomes."""

from __future__ import annotations

import re
import statistics
from datetime import datetime, timedelta

from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from cms.content.models import ArticlePage
from publishing.models import Event
from tests.factories import ArticlePageFactory

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
SCHEDULED_PUBLISH = "wagtail.publish.scheduled"


def make_articles(parent, n: int) -> list[tuple[int, int]]:
    """n draft articles, each with one revision: [(page_id, revision_id)]."""
    out = []
    # Index updates are not what these tests are about: skip them while seeding.
    with override_settings(TASKS=DUMMY_TASKS):
        for _ in range(n):
            page = ArticlePageFactory(parent=parent, live=False)
            out.append((page.id, page.save_revision().id))
    return out


def schedule_at(revision_ids_and_times: list[tuple[int, datetime]]) -> None:
    """Approve revisions to go live, as the admin/API doors leave them."""
    for revision_id, at in revision_ids_and_times:
        Revision.objects.filter(id=revision_id).update(approved_go_live_at=at)


def published_at(page_ids) -> dict[int, datetime]:
    return dict(
        ArticlePage.objects.filter(id__in=page_ids, live=True).values_list(
            "id", "last_published_at"
        )
    )


def publish_log_counts(page_ids) -> dict[int, int]:
    counts = dict.fromkeys(page_ids, 0)
    for page_id in PageLogEntry.objects.filter(
        page_id__in=page_ids, action=SCHEDULED_PUBLISH
    ).values_list("page_id", flat=True):
        counts[page_id] += 1
    return counts


def published_event_counts(page_ids) -> dict[int, int]:
    counts = dict.fromkeys(page_ids, 0)
    for data in Event.objects.filter(type="article.published").values_list(
        "data", flat=True
    ):
        if data["id"] in counts:
            counts[data["id"]] += 1
    return counts


def lateness(planned: dict[int, datetime], actual: dict[int, datetime]) -> list[float]:
    return sorted((actual[p] - planned[p]).total_seconds() for p in planned)


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def soon(seconds: float) -> datetime:
    # Whole milliseconds: revision content (JSON) keeps go_live_at to the
    # millisecond, so that is the schedule the admin and API v3 doors store.
    at = timezone.now() + timedelta(seconds=seconds)
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def reminders_received(log: bytes) -> int:
    """Publish messages a worker has taken, by its log ("… received" lines; the
    task's bare name is in every worker's start-up banner)."""
    return len(re.findall(rb"publish_revisions_task\[[^\]]+\] received", log))
