"""What every /api/v1/ router shares (the delivery API and the publishing API alike):
the contract's one error shape, its times, and the strict query-string check.

``{"error": {"code": "...", "message": "...", "field": "name" | null}}``

Handlers raise :class:`ApiError`; :func:`install_error_handlers` maps it, and ninja's
own exceptions (validation, ``HttpError``, ``Http404``, auth), onto that shape so that
bad input never becomes a 5xx; :class:`ErrorOut` declares it in the OpenAPI document.
:func:`check_query` is the strict query-string check shared by the delivery
endpoints; :func:`parse_aware_datetime` the one parser of times that every router
accepts, and :data:`Timestamp` how every router writes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.dateparse import parse_datetime
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from pydantic import PlainSerializer, WithJsonSchema

# Codes by status for errors that are not about one input.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    429: "rate_limited",
}
MAX_QUERY_VALUE_LENGTH = 2048
# A repeatable parameter ("any of") takes at most this many values (CONTRACT 1).
MAX_REPEATS = 20
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)

# ISO 8601 in UTC with an explicit offset, as the contract writes times.
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda d: d.astimezone(UTC).isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None


# The error shape as the OpenAPI document declares it for every error status (no
# docstring: it would become the schema's description in that document).
class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(Exception):
    """An error the client can act on; rendered in the contract's error shape."""

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(
    status: int, code: str, message: str, field: str | None = None
) -> HttpResponse:
    return HttpResponse(
        json.dumps(error_body(code, message, field)),
        status=status,
        content_type="application/json",
    )


def _field_from_loc(loc: Iterable) -> str | None:
    loc = list(loc)
    if len(loc) > 2 and loc[0] == "body":
        # ("body", <handler's parameter name>, field, …): name the JSON field.
        loc = loc[2:]
    # The first item says where (query, path, ...); a parameter may be named
    # "path" too (routes/?path=).
    if loc and loc[0] in ("query", "body", "path", "form"):
        loc = loc[1:]
    return ".".join(str(p) for p in loc) or None


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = _field_from_loc(first.get("loc", ()))
    message = first.get("msg", "Invalid input")
    if field:
        message = f"{field}: {message}"
    return error_response(400, "invalid_parameter", message, field)


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.field)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ApiError):
        # Ninja wraps whatever the body parser raises in a generic 400; the parser's
        # own error says which field and why.
        return _api_error(request, exc.__cause__)
    status = exc.status_code
    response = error_response(
        status, STATUS_CODES.get(status, "error"), str(exc) or "Error"
    )
    if isinstance(exc, AuthenticationError) or status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", "Not found.")


def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(413, "payload_too_large", "The request body is too large.")


def install_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(RequestDataTooBig, _too_big)


class JsonBodyParser(Parser):
    """Ninja's JSON body parser, refusing what no handler should see: a body that
    is not ``application/json`` (415: a form or text/plain body is what a browser
    can send cross-site without a preflight), a NUL in any string (PostgreSQL cannot
    store one) or an integer beyond 64 bits (SQLite cannot bind one), as a 400
    naming the field (``events.0``, ``article_ids.3``)."""

    def parse_body(self, request: HttpRequest) -> dict:
        if request.content_type != "application/json":
            raise ApiError(
                "unsupported_media_type",
                "Send the request body as JSON (Content-Type: application/json).",
                status=415,
            )
        data = json.loads(request.body)
        problem = _hostile_value(data, ())
        if problem is not None:
            path, message = problem
            field = ".".join(str(p) for p in path) or None
            raise ApiError(
                "invalid_parameter", f"{field or 'the body'} {message}", field=field
            )
        return data


MAX_JSON_DEPTH = 32


def _hostile_value(value, path: tuple) -> tuple[tuple, str] | None:
    if len(path) > MAX_JSON_DEPTH:
        return path, "is nested too deeply"
    if isinstance(value, str):
        return (path, "contains a NUL byte") if "\x00" in value else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if -(2**63) <= value < 2**63 else (path, "is out of range")
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return (*path, key.replace("\x00", "")), "contains a NUL byte"
            found = _hostile_value(item, (*path, key))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _hostile_value(item, (*path, index))
            if found:
                return found
    return None


def check_query(
    request: HttpRequest,
    allowed: Iterable[str],
    repeatable: Iterable[str] = (),
) -> None:
    """Refuse unknown, repeated single-valued, NUL-bearing or absurd parameters."""
    allowed = set(allowed)
    repeatable = set(repeatable)
    for name in request.GET:
        if name not in allowed:
            raise ApiError(
                "unknown_parameter",
                f"Unknown parameter {name[:64]!r}; allowed: "
                f"{', '.join(sorted(allowed)) or 'none'}.",
                field=name[:64],
            )
        values = request.GET.getlist(name)
        if len(values) > 1 and name not in repeatable:
            raise ApiError(
                "invalid_parameter", f"{name} may be given only once.", field=name
            )
        if len(values) > MAX_REPEATS:
            raise ApiError(
                "invalid_parameter",
                f"{name} may be given at most {MAX_REPEATS} times.",
                field=name,
            )
        for value in values:
            if "\x00" in value:
                raise ApiError(
                    "invalid_parameter", f"{name} contains a NUL byte.", field=name
                )
            if len(value) > MAX_QUERY_VALUE_LENGTH:
                raise ApiError("invalid_parameter", f"{name} is too long.", field=name)


def parse_aware_datetime(value: object, field: str) -> datetime:
    """An ISO 8601 time with an offset, or the contract's 400 naming ``field``."""
    parsed = None
    if isinstance(value, str) and "\x00" not in value:
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise ApiError(
            "invalid_parameter", f"{field} is not an ISO 8601 datetime", field=field
        )
    if parsed.tzinfo is None:
        raise ApiError(
            "invalid_parameter",
            f"{field} needs a UTC offset (e.g. +00:00)",
            field=field,
        )
    # In UTC, the zone the server stores: PostgreSQL refuses offsets beyond ±15:59
    # that Python accepts (up to ±23:59), and a time near year 1 or 9999 may have
    # no UTC equivalent at all.
    try:
        in_utc = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        in_utc = None
    # Far enough inside datetime's range that a window of a year either side (the
    # calendar's default is 30 days) and every database can hold it.
    if in_utc is None or not EARLIEST <= in_utc <= LATEST:
        raise ApiError(
            "invalid_parameter",
            f"{field} is out of range (years 1000 to 9000)",
            field=field,
        )
    return in_utc
