"""The bodies of webhook deliveries (CONTRACT.md section 4), declared for the
OpenAPI document's ``webhooks`` section (cms/api.py): what a receiver generated
from that document can rely on. publishing/payloads.py builds the ``data``."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field

from cms.api_contract import Timestamp


class ArticleEventData(Schema):
    id: int
    slug: str | None
    url: str | None = Field(..., description="public path (relative)")
    title: str | None
    revision_id: int | None
    published_at: Timestamp | None
    last_published_at: Timestamp | None
    previous_url: str | None = Field(
        ..., description="the public path before this event, if it changed"
    )


class ArticleUnpublishedData(ArticleEventData):
    reason: Literal["unpublished", "expired", "deleted", "hidden"]


class ArticleScheduleData(ArticleEventData):
    publish_at: Timestamp | None
    unpublish_at: Timestamp | None


class ReleaseData(Schema):
    id: int
    title: str
    article_ids: list[int]


class ReleaseFailure(Schema):
    article_id: int
    reason: str


class ReleaseFailedData(ReleaseData):
    failures: list[ReleaseFailure]


def _event(type_name: str, data: type[Schema]) -> type[Schema]:
    name = "".join(p.capitalize() for p in type_name.replace(".", "_").split("_"))
    return type(
        f"{name}Event",
        (Schema,),
        {
            "__annotations__": {
                "type": Literal[type_name],  # type: ignore[valid-type]
                "timestamp": Timestamp,
                "data": data,
            },
            "__module__": __name__,
        },
    )


# Event type -> the schema of its whole body.
EVENT_BODIES: dict[str, type[Schema]] = {
    name: _event(name, data)
    for name, data in (
        ("article.published", ArticleEventData),
        ("article.unpublished", ArticleUnpublishedData),
        ("article.updated", ArticleEventData),
        ("article.scheduled", ArticleScheduleData),
        ("article.unscheduled", ArticleScheduleData),
        ("release.published", ReleaseData),
        ("release.failed", ReleaseFailedData),
        ("release.unscheduled", ReleaseData),
    )
}
