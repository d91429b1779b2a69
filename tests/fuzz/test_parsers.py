"""R23 (docs/requirements.md): the token, signature, sanitizer and query parsers,
fuzzed.

Each target runs for ``FUZZ_SECONDS`` (default 60, the CI bar; the nightly bar is
``FUZZ_SECONDS=3600``) on inputs made from random text, mutations of valid inputs
and a dictionary of the characters and fragments parsers trip on. The bar: no
exception but the parser's own clear error (``ApiError``, a 4xx), and no input
slower than 100 ms (an input over it is timed three more times and fails only if
all are: a GC pause or a busy machine is not a finding). The seed is printed, so a
finding replays with ``FUZZ_SEED``.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory

from cms.api_contract import (
    ApiError,
    JsonBodyParser,
    check_query,
    parse_aware_datetime,
)
from cms.content.preview import SALT, read_preview_token
from delivery.api import LIST_PARAMS, REPEATABLE, parse_limit, parse_q
from delivery.pagination import (
    Cursor,
    decode_cursor,
    encode_cursor,
    query_fingerprint,
)
from delivery.richtext import ALLOWED_TAGS, LinkTargets, render_rich_text
from publishing.webhooks.signing import generate_secret, signed_headers
from search.text import content_terms

SECONDS = float(os.environ.get("FUZZ_SECONDS", "60"))
SLOW_S = 0.100
SEED = int(os.environ.get("FUZZ_SEED", str(random.SystemRandom().randrange(2**32))))

DICTIONARY = [
    "<",
    ">",
    "</",
    "/>",
    '"',
    "'",
    "`",
    "&",
    "&#",
    "&#x6a;",
    ";",
    "=",
    "%",
    "%00",
    "\x00",
    "\\",
    "\n",
    "\r",
    "\t",
    " ",
    "..",
    ":",
    ".",
    "-",
    "+",
    "_",
    "~",
    "*",
    "?",
    "javascript:",
    "JaVaScRiPt:",
    "data:text/html,",
    "vbscript:",
    "<script>",
    "</script>",
    "<a href=",
    '<a linktype="page" id="',
    '<a linktype="document" id="',
    "<img src=x onerror=",
    " onload=",
    "<svg",
    "<math",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<p>",
    "</p>",
    "<b>",
    "<iframe",
    "href",
    "id=",
    "linktype=",
    "9" * 40,
    "-1",
    "0",
    "1e308",
    "NaN",
    "T",
    "Z",
    "+00:00",
    "2026-11-25",
    "2026-11-25T10:00:00",
    "9999-12-31T23:59:59+14:00",
    "0000-00-00",
    "24:61:61",
    "\u202e",
    "\ufeff",
    "\U0001f600",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "\u0301",
    "\ud7ff",
    "&",
    "=",
    "cursor",
    "limit",
    "q",
    "ordering",
    "category",
    "tag",
    "author",
    "published_after",
    "published_before",
    "eyJ",
    "==",
    "whsec_",
    "v1,",
]


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        where = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.3:
            text = text[:where] + rng.choice(DICTIONARY) + text[where:]
        elif roll < 0.45 and text:
            end = rng.randint(where, min(len(text), where + 16))
            text = text[:where] + text[end:]
        elif roll < 0.6:
            text = text[:where] + chr(rng.randint(0, 0x2FFF)) + text[where:]
        elif roll < 0.7 and text:
            end = rng.randint(where, min(len(text), where + 64))
            text = text[:end] + text[where:end] * rng.randint(1, 50) + text[end:]
        elif roll < 0.8 and text:
            i = rng.randrange(len(text))
            text = (
                text[:i] + chr(ord(text[i]) ^ (1 << rng.randint(0, 6))) + text[i + 1 :]
            )
        else:
            text = text.swapcase() if rng.random() < 0.5 else text[::-1]
    return text


def make_input(rng: random.Random, seeds: list[str]) -> str:
    roll = rng.random()
    if roll < 0.45:
        return mutate(rng, rng.choice(seeds))
    if roll < 0.75:
        return "".join(rng.choice(DICTIONARY) for _ in range(rng.randint(0, 40)))
    if roll < 0.95:
        alphabet = rng.choice([range(32, 127), range(0, 0x110000), range(0, 256)])
        chars = []
        for _ in range(rng.randint(0, 400)):
            code = rng.choice(alphabet)
            chars.append(chr(code) if not 0xD800 <= code <= 0xDFFF else "?")
        return "".join(chars)
    # Now and then a large one: 100 KB of one seed, mutated.
    return mutate(rng, rng.choice(seeds) * (100_000 // max(1, len(seeds[0]))))


def fuzz(
    target: Callable[[str], object],
    seeds: list[str],
    expected=(ApiError,),
    check: Callable[[object], None] | None = None,
):
    """Run ``target`` on mutated inputs for SECONDS: no crash, none over SLOW_S.

    ``check`` (an oracle on the target's result) runs outside the timing: the
    bar is the parser's time, not the test's own checking.
    """
    rng = random.Random(SEED)
    deadline = time.monotonic() + SECONDS
    runs = 0
    slow: list[tuple[float, str]] = []
    while time.monotonic() < deadline:
        value = make_input(rng, seeds)
        started = time.perf_counter()
        result = None
        try:
            result = target(value)
        except expected:
            pass
        except Exception as exc:
            found = f"{target.__name__} raised {exc!r} on {value[:300]!r}"
            pytest.fail(f"{found} (FUZZ_SEED={SEED})")
        took = time.perf_counter() - started
        if check is not None and result is not None:
            check(result)
        if took > SLOW_S:
            retimed = []
            for _ in range(3):
                started = time.perf_counter()
                try:
                    target(value)
                except expected:
                    pass
                retimed.append(time.perf_counter() - started)
            if min(retimed) > SLOW_S:
                slow.append((min(retimed), value[:300]))
        runs += 1
    print(f"{target.__name__}: {runs} inputs in {SECONDS:.0f} s, seed {SEED}")
    assert runs > 100
    assert not slow, f"inputs slower than 100 ms (FUZZ_SEED={SEED}): {slow[:3]}"


def test_preview_tokens():
    from django.core import signing

    seeds = [
        signing.dumps({"p": 5, "r": 9, "u": 2}, salt=SALT, compress=True),
        signing.dumps({"p": 5, "r": 9}, salt=SALT),
        signing.dumps([1, 2], salt=SALT),
    ]

    def read_token(value: str) -> None:
        grant = read_preview_token(value)
        # Only a token this server signed gets through, with integer ids.
        assert isinstance(grant.page_id, int) and isinstance(grant.revision_id, int)

    fuzz(read_token, seeds)


def test_webhook_signatures():
    """Signing takes any event id and body a payload can hold; a receiver verifying
    with the Standard Webhooks library accepts exactly what was signed."""
    from standardwebhooks import Webhook, WebhookVerificationError

    secret = generate_secret()
    receiver = Webhook(secret)
    at = datetime.now(UTC)
    seeds = ['{"type": "article.published", "data": {"id": 5}}', "evt_01H", ""]

    def sign_and_verify(value: str) -> None:
        # Our bodies are JSON; any text can be in them, and any id.
        body = json.dumps({"type": "article.published", "data": {"title": value}})
        headers = signed_headers(f"msg_{value[:40]}", body, [secret], at)
        assert headers["webhook-signature"].startswith("v1,")
        receiver.verify(body, headers)
        # Any change to the body breaks the signature.
        try:
            receiver.verify(body.replace("published", "unpublished"), headers)
        except WebhookVerificationError:
            return
        raise AssertionError("a changed body verified")

    fuzz(sign_and_verify, seeds)


class Allowed(HTMLParser):
    """The oracle: only allowlisted tags, ``a`` with an http(s)/mailto or relative
    ``href`` (and the ``rel`` nh3 adds), nothing else, however the input was made."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html

    def check(self) -> None:
        self.feed(self.html)
        self.close()

    def handle_starttag(self, tag, attrs):
        assert tag in ALLOWED_TAGS, (tag, self.html[:200])
        for name, value in attrs:
            assert tag == "a" and name in ("href", "rel"), (tag, name, self.html[:200])
            if name == "href":
                scheme = urlsplit(value or "").scheme.lower()
                assert scheme in ("", "http", "https", "mailto"), (value, self.html)

    handle_startendtag = handle_starttag


def test_rich_text_sanitizer():
    targets = LinkTargets(page_urls={5: "/news/a/"}, document_urls={7: "/d/7/"})
    seeds = [
        '<p>See <a linktype="page" id="5">this</a> and <b>that</b>.</p>',
        '<p><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)></p>',
        '<ul><li><a linktype="document" id="7">doc</a></li></ul><script>x</script>',
    ]

    def sanitise(value: str) -> str:
        return render_rich_text(value, targets)

    def only_allowed(html: str) -> None:
        Allowed(html).check()

    fuzz(sanitise, seeds, expected=(), check=only_allowed)


def test_query_parsers(settings):
    factory = RequestFactory()
    cursor = encode_cursor(
        Cursor("after", key=("2026-11-25T10:00:00+00:00", 5)),
        query_fingerprint({"limit": ["20"]}),
    )
    seeds = [
        "limit=20&ordering=-published_at&category=sleep&tag=rest",
        f"limit=20&cursor={cursor}",
        "q=magnesium%20sleep&published_after=2026-01-01T00:00:00%2B00:00",
        "published_before=2026-11-25T10:00:00Z&author=a&author=b",
    ]

    def parse(value: str) -> None:
        request = factory.get("/api/v1/articles/?" + value)
        check_query(request, LIST_PARAMS, REPEATABLE)
        params = request.GET
        parse_limit(params.get("limit"))
        q = parse_q(params.get("q"))
        if q is not None:
            content_terms(q)
        for name in ("published_after", "published_before"):
            if params.get(name) is not None:
                parse_aware_datetime(params[name], name)
        if params.get("cursor") is not None:
            fingerprint = query_fingerprint({n: params.getlist(n) for n in params})
            decode_cursor(params["cursor"], fingerprint, params.get("ordering"))

    fuzz(parse, seeds)


def test_times():
    """Every time the one parser accepts can be stored and moved a year either way
    (the calendar's window, the database): 0001-01-01T00:00:00+23:59 was not."""
    seeds = [
        "2026-11-25T10:00:00+00:00",
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "2026-11-25T10:00:00.123456Z",
        "1000-01-01T00:00:00+00:00",
    ]

    def parse(value: str):
        return parse_aware_datetime(value, "at")

    def usable(parsed) -> None:
        in_utc = parsed.astimezone(UTC)
        in_utc + timedelta(days=366)
        in_utc - timedelta(days=366)

    fuzz(parse, seeds, check=usable)


def test_json_bodies():
    """The publishing API's body parser lets no NUL and no integer beyond 64 bits
    through to a handler (PostgreSQL and SQLite refuse them with a 500)."""
    parser = JsonBodyParser()
    factory = RequestFactory()
    seeds = [
        '{"title": "Launch", "article_ids": [1, 2, 3], "publish_at": null}',
        '{"url": "https://example.com/", "events": ["article.published"]}',
        '{"a": {"b": [9223372036854775807, -9223372036854775808, "\\u0000"]}}',
    ]

    def parse(value: str):
        request = factory.post(
            "/", data=value.encode("utf-8"), content_type="application/json"
        )
        return parser.parse_body(request)

    def clean(value) -> None:
        if isinstance(value, str):
            assert "\x00" not in value
        elif isinstance(value, int) and not isinstance(value, bool):
            assert -(2**63) <= value < 2**63
        elif isinstance(value, dict):
            for key, item in value.items():
                clean(key)
                clean(item)
        elif isinstance(value, list):
            for item in value:
                clean(item)

    fuzz(parse, seeds, expected=(ApiError, ValueError, RecursionError), check=clean)
