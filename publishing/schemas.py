"""Request and response schemas of the publishing API (CONTRACT section 2)."""

from __future__ import annotations

from ninja import Field, Schema

from cms.api_contract import ErrorOut, Timestamp

__all__ = ["ErrorOut"]


class ScheduleIn(Schema):
    # Strings, parsed by the handler, so that a time without an offset is a 400
    # naming the field rather than silently read in the server's zone.
    publish_at: str = Field(max_length=64)
    unpublish_at: str | None = Field(default=None, max_length=64)
    time_zone: str | None = Field(default=None, max_length=64)


class ScheduleOut(Schema):
    article_id: int
    revision_id: int
    publish_at: Timestamp
    unpublish_at: Timestamp | None
    time_zone: str
    status: str


class CalendarEntry(Schema):
    type: str
    at: Timestamp
    time_zone: str
    article_id: int | None = None
    release_id: int | None = None
    title: str


class CalendarOut(Schema):
    results: list[CalendarEntry]


class ReleaseIn(Schema):
    title: str = Field(min_length=1, max_length=255)
    article_ids: list[int] = Field(max_length=1000)
    publish_at: str | None = Field(default=None, max_length=64)
    time_zone: str | None = Field(default=None, max_length=64)


class ReleaseScheduleIn(Schema):
    publish_at: str | None = Field(default=None, max_length=64)


class FailureOut(Schema):
    article_id: int | None
    reason: str


class ReleaseOut(Schema):
    id: int
    title: str
    publish_at: Timestamp | None
    time_zone: str
    status: str
    article_ids: list[int]
    failures: list[FailureOut]


class ReleaseListOut(Schema):
    results: list[ReleaseOut]


class WorkerOut(Schema):
    name: str
    last_seen: Timestamp


class QueuesOut(Schema):
    publishing: int
    indexing: int
    webhooks: int


class OverdueOut(Schema):
    type: str
    id: int
    due_at: Timestamp


class ReleaseAtRiskOut(Schema):
    id: int
    title: str
    publish_at: Timestamp | None
    failures: list[FailureOut]


class SearchStatusOut(Schema):
    backend: str = Field(description="`database` or `opensearch`")
    status: str = Field(
        description="`ok`, or `degraded` while public search answers from the "
        "database because OpenSearch does not answer (or has no index yet)"
    )
    detail: str | None


class StatusOut(Schema):
    workers: list[WorkerOut]
    queues: QueuesOut | None
    last_sweep_at: Timestamp | None
    oldest_overdue: OverdueOut | None
    search_index_lag_s: float | None
    search: SearchStatusOut | None
    failing_webhook_endpoints: list[int]
    releases_at_risk: list[ReleaseAtRiskOut]
    dead_letters: int
    healthy: bool
