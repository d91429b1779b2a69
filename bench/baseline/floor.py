"""The floor: the cheapest Django view that answers with a body as large as ours."""

from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Written by bench/run.py from our own responses before the servers start.
FLOOR_DIR = settings.VAR_DIR / "bench"


@cache
def _body(name: str) -> bytes:
    path = FLOOR_DIR / f"floor-{name}.json"
    if path.exists():
        return path.read_bytes()
    # Our endpoint did not answer: a 20 KB constant, the size of a 20-item list.
    return b'{"results": "' + b"x" * 20_000 + b'"}'


def floor_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_body("list"), content_type="application/json")


def floor_detail(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_body("detail"), content_type="application/json")
