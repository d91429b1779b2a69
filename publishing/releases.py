"""Releases: several articles that go live together, all at once or not at all.

Scheduling a release captures each article's latest revision and holds the
articles against separate scheduling (publishing/planning.py). At its time, the
worker follows the go-live protocol (publishing/golive.py) on the release row, then
publishes every article in one transaction; any failure rolls every article back
and the release is marked failed, with a reason per article.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log as log_action
from wagtail.models import Page

from publishing import events, golive, planning, signals
from publishing.models import Release, ReleaseItem

logger = logging.getLogger(__name__)


class ReleaseError(Exception):
    def __init__(self, message: str, article_ids: list[int] | None = None) -> None:
        super().__init__(message)
        self.article_ids = article_ids or []


def release_failures(release: Release) -> list[dict]:
    """Why each article of the release could not go live now (empty: it can)."""
    items = list(release.items.all())
    page_ids = [item.article_id for item in items]
    pages = {p.id: p for p in Page.objects.filter(id__in=page_ids)}
    failures = []
    for item in items:
        page = pages.get(item.article_id)
        if page is None or item.page_id is None:
            reason = "the article was deleted"
        elif item.revision_id is None or item.revision is None:
            reason = "the article's scheduled revision no longer exists"
        elif Page.objects.ancestor_of(page).filter(depth__gt=1, live=False).exists():
            reason = "the article is under an unpublished parent"
        else:
            continue
        failures.append({"article_id": item.article_id, "reason": reason})
    if not items:
        failures.append({"article_id": None, "reason": "the release has no articles"})
    return failures


def schedule_release(release: Release, publish_at: datetime | None = None) -> Release:
    """Capture each article's latest revision and mark the release scheduled."""
    with transaction.atomic():
        release = Release.objects.select_for_update().get(id=release.id)
        if publish_at is not None:
            release.publish_at = publish_at
        if release.publish_at is None:
            raise ReleaseError("publish_at is required")
        items = list(release.items.select_related("page"))
        Page.objects.select_for_update().filter(
            id__in=[i.article_id for i in items]
        ).order_by("id").first()
        conflicts = []
        for item in items:
            if planning.pending_publication(
                item.article_id
            ) is not None or planning.releases_holding(
                item.article_id, exclude_release=release.id
            ):
                conflicts.append(item.article_id)
        if conflicts:
            raise ReleaseError("articles are already scheduled", conflicts)
        for item in items:
            if item.page is not None:
                item.revision = item.page.specific.get_latest_revision() or (
                    item.page.specific.save_revision(log_action=False)
                )
                item.save(update_fields=["revision"])
        release.status = Release.Status.SCHEDULED
        release.failures = []
        release.save(update_fields=["publish_at", "status", "failures", "updated_at"])
    return release


def unschedule_release(release: Release, user=None) -> bool:
    """Back to draft; logged and sent as ``release.unscheduled``. False if it was not
    scheduled. Who may call it is ``publishing.permissions.can_manage_release``."""
    with transaction.atomic():
        updated = Release.objects.filter(
            id=release.id, status=Release.Status.SCHEDULED
        ).update(status=Release.Status.DRAFT, updated_at=timezone.now())
        if not updated:
            return False
        article_ids = list(release.items.values_list("article_id", flat=True))
        events.record_event(
            events.RELEASE_UNSCHEDULED,
            {"id": release.id, "title": release.title, "article_ids": article_ids},
        )
        log_action(release, "publishing.release.unschedule", user=user)
    logger.info("release %s unscheduled by %s", release.id, getattr(user, "pk", None))
    return True


def publish_release_if_due(release_id: int, now: datetime | None = None) -> bool:
    """All of the release's articles go live in one transaction, or none does."""
    publish_at = (
        Release.objects.filter(id=release_id, status=Release.Status.SCHEDULED)
        .values_list("publish_at", flat=True)
        .first()
    )
    if publish_at is None or golive.too_early(publish_at, now):
        return False
    with transaction.atomic():
        due, _ = golive.due_under_lock(
            lambda: Release.objects.select_for_update().filter(id=release_id).first(),
            lambda: list(
                Release.objects.filter(
                    id=release_id,
                    status=Release.Status.SCHEDULED,
                    publish_at__isnull=False,
                )
            ),
            lambda release: release.publish_at,
            now,
        )
        if not due:
            return False
        release = due[0]
        items = list(release.items.select_related("revision"))
        golive.lock_pages(i.article_id for i in items)
        failures = release_failures(release)
        if not failures:
            failures = _publish_all_or_none(items)
        article_ids = [i.article_id for i in items]
        if failures:
            release.status = Release.Status.FAILED
            release.failures = failures
            release.save(update_fields=["status", "failures", "updated_at"])
            events.record_event(
                events.RELEASE_FAILED,
                {
                    "id": release.id,
                    "title": release.title,
                    "article_ids": article_ids,
                    "failures": failures,
                },
            )
            logger.warning("release %s failed: %s", release.id, failures)
            return True
        release.status = Release.Status.PUBLISHED
        release.failures = []
        release.save(update_fields=["status", "failures", "updated_at"])
        events.record_event(
            events.RELEASE_PUBLISHED,
            {"id": release.id, "title": release.title, "article_ids": article_ids},
        )
    logger.info("published release %s", release_id)
    return True


def _publish_all_or_none(items: list[ReleaseItem]) -> list[dict]:
    """Publish every item's revision inside a savepoint; on any error, none.

    The articles are announced together (one ``articles_published``), and only if
    all of them went live."""
    current = None
    try:
        with transaction.atomic(), signals.one_batch():
            for item in items:
                current = item.article_id
                revision = item.revision
                revision.content["go_live_at"] = None
                revision.publish(
                    log_action="wagtail.publish.scheduled",
                    skip_permission_checks=True,
                )
    except Exception as exc:  # any failure rolls every article back
        logger.exception("release publish failed at article %s", current)
        return [{"article_id": current, "reason": f"publish failed: {exc}"}]
    return []


def releases_at_risk(
    limit: int = 100, releases=None
) -> list[tuple[Release, list[dict]]]:
    """Scheduled releases (of ``releases``, default all) that would fail now."""
    at_risk = []
    releases = Release.objects.all() if releases is None else releases
    for release in releases.filter(status=Release.Status.SCHEDULED).order_by(
        "publish_at"
    )[:limit]:
        failures = release_failures(release)
        if failures:
            at_risk.append((release, failures))
    return at_risk
