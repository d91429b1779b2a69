"""The webhook endpoints' request and response shapes (CONTRACT section 2)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class EndpointIn(Schema):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2048)
    events: list[str] | None = None
    description: str = Field(default="", max_length=255)
    active: bool = True


class EndpointPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2048)
    events: list[str] | None = None
    description: str | None = Field(default=None, max_length=255)
    active: bool | None = None


class EndpointOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    disabled_reason: str | None
    description: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_disabled_reason(obj) -> str | None:
        return obj.disabled_reason or None


class EndpointWithSecret(EndpointOut):
    """Only the POST (and a rotation) answers with the secret."""

    secret: str


class EndpointList(Schema):
    results: list[EndpointOut]


class AttemptOut(Schema):
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    response_excerpt: str

    @staticmethod
    def resolve_error(obj) -> str | None:
        return obj.error or None


class DeliveryOut(Schema):
    id: int
    webhook_id: str
    event_type: str
    status: str
    next_attempt_at: datetime | None
    created_at: datetime
    attempts: list[AttemptOut]

    @staticmethod
    def resolve_attempts(obj) -> list:
        return list(obj.attempts.all())


class DeliveryList(Schema):
    results: list[DeliveryOut]


class Accepted(Schema):
    id: int
    webhook_id: str
    status: str
