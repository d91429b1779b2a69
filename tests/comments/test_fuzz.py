"""The submission endpoint fuzzed, with the rest of the API.

- schemathesis generates requests for the comments operations from
  /api/v1/openapi.json (their bodies from the declared schema and beyond it):
  no 5xx, and every response matches its declared schema.
- hypothesis throws arbitrary JSON, hostile strings and raw bytes at the
  submission of a real, public article: only 202, 400, 413 or 415, never an
  email in a response, and nothing stored that the API would not return as is.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from comments.models import Comment
from tests.comments.conftest import comments_url
from tests.factories import ArticlePageFactory, publish

EXAMPLES = 64

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application()
).include(tag="comments")


@pytest.fixture
def wsgi_in_test_transaction():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(section, wsgi_in_test_transaction):
    for n in range(2):
        publish(ArticlePageFactory(parent=section, title=f"Magnesium {n}"))


def test_both_comment_operations_are_in_the_document():
    operations = {
        (op.method.upper(), op.path)
        for op in (result.ok() for result in schema.get_all_operations())
    }
    assert operations == {
        ("GET", "/api/v1/articles/{slug}/comments/"),
        ("POST", "/api/v1/articles/{slug}/comments/"),
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_comment_operations_never_error_and_match_their_schema(case, content):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])


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
