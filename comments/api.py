"""The comments router under /api/v1/ (CONTRACT.md section 6): thin doors onto
comments.listing and comments.submission.

The list is served through the delivery API's shared cache (ETag, 304,
Server-Timing), retired whenever an approval commits (comments/events.py).

The submission's body is read here, not by ninja: its size is checked against
``COMMENT_MAX_REQUEST_BYTES`` before a byte is parsed (a declared
``Content-Length`` above it is refused unread, a chunked body is read only up to
it), then it is parsed as JSON and checked field by field (comments/submission.py).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from cms.api_contract import ApiError, ErrorOut, check_query
from comments import listing, submission
from comments.addresses import request_address_hash
from comments.schemas import CommentAccepted, CommentIn, CommentList
from delivery import ratelimit
from delivery.cache import cached_response
from delivery.ratelimit import client_address
from delivery.schemas import render

router = Router(tags=["comments"])

LIST_PARAMS = {"limit", "cursor"}


class CommentListParams(Schema):
    """Declared for the OpenAPI document; the handler reads the raw query strictly."""

    limit: int | None = Field(None, ge=1, le=listing.MAX_LIMIT)
    cursor: str | None = Field(None, description="from next / previous")


def parse_limit(value: str | None) -> int:
    if value is None:
        return listing.DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit()) or not (
        1 <= int(value) <= listing.MAX_LIMIT
    ):
        raise ApiError(
            "invalid_parameter",
            f"limit must be an integer from 1 to {listing.MAX_LIMIT}",
            field="limit",
        )
    return int(value)


@router.get(
    "articles/{slug}/comments/",
    response={200: CommentList, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Approved reader comments of a public article, oldest first",
    operation_id="listComments",
)
def list_comments(request: HttpRequest, slug: str, params: Query[CommentListParams]):
    check_query(request, LIST_PARAMS)
    limit = parse_limit(request.GET.get("limit"))
    cursor = request.GET.get("cursor")
    query = [("limit", str(limit))] if "limit" in request.GET else []

    def render_list():
        data = listing.list_data(request.path, slug, limit, cursor, query)
        return render(CommentList, data), None

    return cached_response(request, render_list)


def read_body(request: HttpRequest) -> bytes:
    """The request body, refused (413) past the limit before it is read whole."""
    limit = settings.COMMENT_MAX_REQUEST_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise ApiError(
            "payload_too_large",
            f"The request body is larger than {limit} bytes.",
            status=413,
        )
    body = request.read(limit + 1)
    if len(body) > limit:
        raise ApiError(
            "payload_too_large",
            f"The request body is larger than {limit} bytes.",
            status=413,
        )
    return body


def parse_json(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError("invalid_body", "The body is not valid JSON.") from None


@router.post(
    "articles/{slug}/comments/",
    response={
        202: CommentAccepted,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        429: ErrorOut,
    },
    summary="Submit a reader comment (held for moderation)",
    operation_id="submitComment",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CommentIn.model_json_schema()}},
        }
    },
)
def submit_comment(request: HttpRequest, slug: str):
    check_query(request, ())
    # As every JSON body of the API (cms.api_contract.JsonBodyParser): a form or
    # text/plain body is what a page elsewhere can make a browser send unasked.
    if request.content_type != "application/json":
        raise ApiError(
            "unsupported_media_type",
            "Send the comment as JSON (Content-Type: application/json).",
            status=415,
        )
    raw = read_body(request)
    limited = ratelimit.limit(
        "comments", client_address(request), settings.COMMENT_RATE_LIMIT
    )
    if limited is not None:
        return limited
    article = listing.public_article(slug)
    payload = parse_json(raw)
    accepted = submission.submit_comment(
        article, payload, request_address_hash(request)
    )
    response = HttpResponse(
        render(CommentAccepted, {"id": accepted.id, "status": accepted.status}),
        status=202,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response
