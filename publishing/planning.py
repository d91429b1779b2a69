"""Planning: what the publishing API, the calendar and the admin ask for.

A schedule is Wagtail's own (publishing/golive.py): scheduling an article is what
the admin does when an editor sets "go-live" and publishes, so the admin's
go-live field, the calendar and the publishing API are doors to the same
schedule. An article in a scheduled release (publishing/releases.py) is held by it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Revision

from cms.content.models import ArticlePage
from publishing import events
from publishing.models import Release, ReleaseItem, ScheduleZone
from publishing.payloads import schedule_data


class ScheduleConflict(Exception):
    """The article is held by a scheduled release."""


def releases_holding(page_id: int, exclude_release: int | None = None) -> list[int]:
    queryset = ReleaseItem.objects.filter(
        article_id=page_id, release__status=Release.Status.SCHEDULED
    )
    if exclude_release is not None:
        queryset = queryset.exclude(release_id=exclude_release)
    return list(queryset.values_list("release_id", flat=True))


def go_live_held_by_release(page_id: int, go_live_at: datetime) -> str | None:
    """The admin form's check of a go-live time (``ArticlePageForm.go_live_checks``,
    registered in ``PublishingConfig.ready()``): the API answers 409 here."""
    if releases_holding(page_id):
        return (
            "This article is part of a scheduled release, which sets its go-live "
            "time; unschedule the release first to schedule it on its own."
        )
    return None


def schedule_article(
    page: ArticlePage,
    publish_at: datetime,
    unpublish_at: datetime | None,
    user=None,
    time_zone: str | None = None,
) -> Revision:
    """Schedule the article's latest content to go live at ``publish_at``.

    Exactly what the admin does when an editor sets "go-live" and publishes: a
    revision with the dates, approved to go live (Wagtail logs the scheduling, and
    our signal handler writes ``article.scheduled`` in the same transaction).
    Replaces any earlier schedule.
    """
    with transaction.atomic():
        Page.objects.select_for_update().filter(id=page.id).first()
        if releases_holding(page.id):
            raise ScheduleConflict(page.id)
        latest = page.get_latest_revision_as_object()
        latest.go_live_at = publish_at
        latest.expire_at = unpublish_at
        revision = latest.save_revision(user=user, log_action=False, clean=False)
        revision.publish(user=user, skip_permission_checks=True)
        revision.refresh_from_db()
        ScheduleZone.objects.update_or_create(
            page_id=page.id,
            defaults={"time_zone": time_zone or settings.TIME_ZONE},
        )
    return revision


def pending_publication(page_id: int) -> Revision | None:
    return (
        Revision.page_revisions.filter(
            object_id=str(page_id), approved_go_live_at__isnull=False
        )
        .order_by("-approved_go_live_at")
        .first()
    )


def cancel_schedule(page: Page, user=None) -> bool:
    """Cancel a pending publish (and any pending expiry). False if none was pending."""
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(id=page.id)
        cancelled = False
        revision = pending_publication(page.id)
        if revision is not None:
            revision.approved_go_live_at = None
            # Wagtail logs "wagtail.schedule.cancel" → article.unscheduled.
            revision.save(user=user, update_fields=["approved_go_live_at"])
            cancelled = True
        if locked.live and locked.expire_at is not None:
            expire_at = locked.expire_at
            Page.objects.filter(id=page.id).update(expire_at=None)
            if not cancelled:
                locked.refresh_from_db()
                events.record_event(
                    events.ARTICLE_UNSCHEDULED,
                    schedule_data(locked.specific, None, expire_at),
                )
            cancelled = True
    return cancelled
