"""Hostile input that no view should see, refused in one place (CONTRACT: bad input
never yields a 5xx; RELIABILITY R29).

- A NUL byte in the path: PostgreSQL refuses it in any query (a 500 wherever a path
  segment reaches the database). No such resource can exist: 404.
- An id in the path beyond 64 bits (a parameter named ``id``, ``pk`` or ``…_id``,
  whether Django's ``<int:…>`` converter or a ninja route that validates it later
  made it): SQLite cannot bind it (OverflowError, a 500 in the publishing API, API
  v3 and the admin alike). No such row can exist: 404.

Under /api/ the 404 has the contract's error shape.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from cms.api_contract import error_response

MAX_ID = 2**63 - 1


def _not_found(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return error_response(404, "not_found", "Not found.")
    raise Http404


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            return _not_found(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for name, value in view_kwargs.items():
            if _is_id(name) and _beyond_64_bits(value):
                return _not_found(request)
        return None


def _is_id(name: str) -> bool:
    return name in ("id", "pk") or name.endswith("_id")


def _beyond_64_bits(value) -> bool:
    if isinstance(value, str):
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()):
            return False
        if len(digits) > 25:  # int() of a huge string costs; it is beyond anyway
            return True
        value = int(value)
    return isinstance(value, int) and not -MAX_ID - 1 <= value <= MAX_ID
