"""The submission endpoint fuzzed. schemathesis generates requests for both
comments operations with the rest of the public API
(tests/delivery/test_schemathesis.py); here hypothesis throws arbitrary JSON,
hostile strings and raw bytes at the submission of a real, public article: only
202, 400, 413 or 415, never an email in a response, and nothing stored that the
API would not return as it is.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from tests.comments.conftest import comments_url
from tests.factories import ArticlePageFactory, publish

HOSTILE_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6000),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "\x00",
            "\ud800",
            "\u202e\u2066",
            "a" * 5001,
            "ｆｕｌｌ",
            "\r\n\r\n",
            "' OR 1=1 --",
            "{{7*7}}",
        ]
    ),
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | HOSTILE_TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "author_name": JSON | HOSTILE_TEXT,
        "author_email": JSON | st.emails() | HOSTILE_TEXT,
        "body": JSON | HOSTILE_TEXT,
        "parent_id": JSON,
        "website": JSON | HOSTILE_TEXT,
    },
)


@pytest.fixture
def target(section):
    return publish(ArticlePageFactory(parent=section, title="Fuzzed"))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@given(payload=FIELDS | JSON)
def test_arbitrary_json_is_a_202_or_a_clear_400(target, payload):
    try:
        raw = json.dumps(payload).encode()
    except (UnicodeEncodeError, ValueError):
        raw = json.dumps(payload, ensure_ascii=True).encode()
    response = Client().post(
        comments_url(target), data=raw, content_type="application/json"
    )

    assert response.status_code in (202, 400, 413), response.content
    email = payload.get("author_email") if isinstance(payload, dict) else None
    if isinstance(email, str) and "@" in email and len(email) > 4:
        assert email not in response.content.decode()
    body = response.json()
    if response.status_code == 202:
        assert body["status"] == "pending"
        stored = Comment.objects.get(pk=body["id"])
        stored.body.encode("utf-8")  # storable and returnable as it is
        assert 1 <= len(stored.body) <= 5000
        assert 1 <= len(stored.author_name) <= 80
    else:
        assert set(body["error"]) == {"code", "message", "field"}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@given(raw=st.binary(max_size=4000))
def test_arbitrary_bytes_are_never_a_5xx(target, raw):
    response = Client().post(
        comments_url(target), data=raw, content_type="application/json"
    )
    assert response.status_code in (202, 400, 413, 415)
