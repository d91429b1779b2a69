"""Shapes of the comments API (CONTRACT.md section 6). No schema here has an
email field: what is not declared is never rendered."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from cms.api_contract import Timestamp


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author_name: str
    body: str = Field(..., description="plain text: a front end escapes it")
    created_at: Timestamp


class CommentList(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[CommentOut]
    comments_open: bool = Field(
        ..., description="whether the article takes new comments now"
    )


class CommentIn(Schema):
    author_name: str = Field(..., min_length=1, max_length=80)
    author_email: str = Field(..., max_length=254, description="never shown")
    body: str = Field(..., min_length=1, max_length=5000, description="plain text")
    parent_id: int | None = Field(None, description="an approved comment's id")
    website: str | None = Field(
        None, description="the form's honeypot: leave it out or empty"
    )


class CommentAccepted(Schema):
    id: int
    status: Literal["pending"]
