"""The publishing API router, mounted at /api/v1/publishing/ (CONTRACT section 2).

Thin handlers over ``publishing/planning.py`` and ``publishing/releases.py``. Bearer
tokens are Wagtail's ``APIToken`` (stored hashed) and act with their user's page
permissions. Errors are the contract's one shape (``cms.api_contract.ApiError``);
bad input is a 400, never a 5xx.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from cms.api_contract import ApiError, check_query, parse_aware_datetime
from cms.content.models import ArticlePage
from publishing import monitoring, permissions, planning, releases, tokens
from publishing.models import Release, ReleaseItem, ScheduleZone
from publishing.schemas import (
    CalendarOut,
    ErrorOut,
    ReleaseIn,
    ReleaseListOut,
    ReleaseOut,
    ReleaseScheduleIn,
    ScheduleIn,
    ScheduleOut,
    StatusOut,
)
from publishing.tokens import TokenAuth
from publishing.views.timeline import calendar

router = Router(tags=["publishing"], auth=TokenAuth(tokens.PUBLISHING))

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
CALENDAR_DEFAULT = timedelta(days=30)


# --- Input parsing ---


def parse_when(value: str | None, field: str, *, future: bool = False) -> datetime:
    parsed = parse_aware_datetime(value, field)
    if future and parsed <= timezone.now():
        raise ApiError("invalid_parameter", f"{field} is in the past", field=field)
    return parsed


def parse_zone(value: str | None) -> str:
    if value is None:
        return settings.TIME_ZONE
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(
            "invalid_parameter", "time_zone is not a known IANA zone", "time_zone"
        ) from None
    return value


def get_article(article_id: int) -> ArticlePage:
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        raise ApiError("not_found", "No such article.", status=404)
    return article


def require_publish(request: HttpRequest, article: ArticlePage) -> None:
    if not article.permissions_for_user(request.user).can_publish():
        raise ApiError("forbidden", "You may not publish this article.", status=403)


def get_release(release_id: int, user=None) -> Release:
    """The release, if ``user`` may see it (``None``: no check); else 404."""
    visible = Release.objects.all()
    if user is not None:
        visible = permissions.releases_for(user)
    release = visible.prefetch_related("items").filter(pk=release_id).first()
    if release is None:
        raise ApiError("not_found", "No such release.", status=404)
    return release


def require_manage_release(request: HttpRequest, release: Release) -> None:
    if not permissions.can_manage_release(request.user, release):
        raise ApiError(
            "forbidden",
            "You may not publish every article in this release.",
            status=403,
        )


def release_out(release: Release) -> dict:
    return {
        "id": release.id,
        "title": release.title,
        "publish_at": release.publish_at,
        "time_zone": release.time_zone or settings.TIME_ZONE,
        "status": release.status,
        "article_ids": [item.article_id for item in release.items.all()],
        "failures": release.failures or [],
    }


# --- Article schedules ---


@router.put(
    "articles/{article_id}/schedule/",
    response={200: ScheduleOut, **ERRORS},
    summary="Schedule the article's latest revision",
)
def put_schedule(request: HttpRequest, article_id: int, payload: ScheduleIn):
    article = get_article(article_id)
    require_publish(request, article)
    publish_at = parse_when(payload.publish_at, "publish_at", future=True)
    unpublish_at = None
    if payload.unpublish_at is not None:
        unpublish_at = parse_when(payload.unpublish_at, "unpublish_at")
        if unpublish_at <= publish_at:
            raise ApiError(
                "invalid_parameter",
                "unpublish_at must be after publish_at",
                field="unpublish_at",
            )
    zone = parse_zone(payload.time_zone)
    try:
        revision = planning.schedule_article(
            article, publish_at, unpublish_at, user=request.user, time_zone=zone
        )
    except planning.ScheduleConflict:
        raise ApiError(
            "conflict", "The article is held by a scheduled release.", status=409
        ) from None
    return 200, {
        "article_id": article.id,
        "revision_id": revision.id,
        "publish_at": revision.approved_go_live_at or publish_at,
        "unpublish_at": unpublish_at,
        "time_zone": zone,
        "status": "scheduled",
    }


@router.delete(
    "articles/{article_id}/schedule/",
    response={204: None, **ERRORS},
    summary="Cancel the article's pending schedule",
)
def delete_schedule(request: HttpRequest, article_id: int):
    article = get_article(article_id)
    require_publish(request, article)
    if not planning.cancel_schedule(article, user=request.user):
        raise ApiError(
            "not_found", "Nothing is scheduled for this article.", status=404
        )
    ScheduleZone.objects.filter(page_id=article.id).delete()
    return 204, None


# --- Calendar ---


class CalendarParams(Schema):
    """Declared for the OpenAPI document; the handler reads the raw query."""

    from_: datetime | None = Field(
        None, alias="from", description="from <= at; ISO 8601 with offset (now)"
    )
    to: datetime | None = Field(
        None, description="at < to; ISO 8601 with offset (default: from + 30 days)"
    )


@router.get(
    "schedule/",
    response={200: CalendarOut, **ERRORS},
    summary="Pending publishes, expiries and releases in a time window",
)
def get_calendar(request: HttpRequest, params: Query[CalendarParams]):
    check_query(request, allowed=("from", "to"))
    start = timezone.now()
    if "from" in request.GET:
        start = parse_when(request.GET["from"], "from")
    end = start + CALENDAR_DEFAULT
    if "to" in request.GET:
        end = parse_when(request.GET["to"], "to")
    items = calendar(
        start,
        end,
        pages=permissions.pages_for(request.user),
        releases=permissions.releases_for(request.user),
    )
    return 200, {"results": [item.__dict__ for item in items]}


# --- Releases ---


@router.post(
    "releases/", response={201: ReleaseOut, **ERRORS}, summary="Create a release"
)
def create_release(request: HttpRequest, payload: ReleaseIn):
    publish_at = None
    if payload.publish_at is not None:
        publish_at = parse_when(payload.publish_at, "publish_at", future=True)
    zone = parse_zone(payload.time_zone)
    ids = list(dict.fromkeys(payload.article_ids))
    articles = {a.id: a for a in ArticlePage.objects.filter(id__in=ids)}
    unknown = [i for i in ids if i not in articles]
    if unknown:
        raise ApiError(
            "invalid_parameter", f"unknown article ids: {unknown[:20]}", "article_ids"
        )
    for article in articles.values():
        require_publish(request, article)
    with transaction.atomic():
        release = Release.objects.create(
            title=payload.title, publish_at=publish_at, time_zone=zone
        )
        ReleaseItem.objects.bulk_create(
            [
                ReleaseItem(release=release, page_id=i, article_id=i, sort_order=n)
                for n, i in enumerate(ids)
            ]
        )
    return 201, release_out(get_release(release.id))


@router.get("releases/", response={200: ReleaseListOut, **ERRORS})
def list_releases(request: HttpRequest):
    check_query(request, allowed=())
    releases = permissions.releases_for(request.user).prefetch_related("items")[:200]
    return 200, {"results": [release_out(r) for r in releases]}


@router.get("releases/{release_id}/", response={200: ReleaseOut, **ERRORS})
def get_release_detail(request: HttpRequest, release_id: int):
    return 200, release_out(get_release(release_id, request.user))


@router.put(
    "releases/{release_id}/schedule/",
    response={200: ReleaseOut, **ERRORS},
    summary="Schedule a release: its articles' latest revisions are captured",
)
def schedule_release(request: HttpRequest, release_id: int, payload: ReleaseScheduleIn):
    release = get_release(release_id, request.user)
    require_manage_release(request, release)
    if release.status not in (Release.Status.DRAFT, Release.Status.SCHEDULED):
        raise ApiError("conflict", f"The release is {release.status}.", status=409)
    publish_at = None
    if payload.publish_at is not None:
        publish_at = parse_when(payload.publish_at, "publish_at", future=True)
    elif release.publish_at is None or release.publish_at <= timezone.now():
        raise ApiError(
            "invalid_parameter",
            "publish_at is required and in the future",
            "publish_at",
        )
    try:
        releases.schedule_release(release, publish_at)
    except releases.ReleaseError as exc:
        raise ApiError(
            "conflict", f"{exc}: {exc.article_ids[:20]}", status=409
        ) from None
    return 200, release_out(get_release(release_id))


@router.delete("releases/{release_id}/schedule/", response={204: None, **ERRORS})
def unschedule_release(request: HttpRequest, release_id: int):
    release = get_release(release_id, request.user)
    require_manage_release(request, release)
    if not releases.unschedule_release(release, user=request.user):
        raise ApiError("not_found", "The release is not scheduled.", status=404)
    return 204, None


# --- Status ---


@router.get(
    "status/",
    response={200: StatusOut, **ERRORS},
    summary="Pipeline health: workers, queues, sweep, overdue items, risks",
)
def get_status(request: HttpRequest):
    check_query(request, allowed=())
    return 200, monitoring.pipeline_status(request.user)
