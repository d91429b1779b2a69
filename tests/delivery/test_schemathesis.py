"""Schema-driven tests: schemathesis generates requests for every public operation
from /api/v1/openapi.json; no response is a 5xx and every one matches its schema.

13 public operations x 64 examples = 832 generated requests per run.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import ArticlePageFactory, CategoryFactory, publish

EXAMPLES_PER_OPERATION = 64
GENERATED: list[tuple[str, int]] = []

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application()
).include(tag="delivery")


@pytest.fixture
def wsgi_in_test_transaction():
    """Like Django's test client: keep the test's connection (and transaction) open
    across WSGI requests instead of closing it at each request's end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(section, wsgi_in_test_transaction):
    category = CategoryFactory(name="Sleep", slug="sleep")
    for n in range(3):
        article = ArticlePageFactory(parent=section, title=f"Magnesium {n}")
        article.categories.set([category])
        article.tags.set(["rest"])
        publish(article)


def test_every_public_operation_is_covered():
    operations = {
        (op.method.upper(), op.path)
        for op in (result.ok() for result in schema.get_all_operations())
    }
    assert len(operations) == 13, operations


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_public_api_never_errors_and_matches_its_schema(case, content):
    response = case.call_and_validate(
        checks=[not_a_server_error, response_schema_conformance]
    )
    GENERATED.append((case.operation.path, response.status_code))


def test_zz_enough_requests_were_generated():
    # Runs after the generated tests in this module (pytest keeps file order).
    if not GENERATED:
        pytest.skip("run together with the generated tests")
    assert len(GENERATED) >= 500, len(GENERATED)
    assert {status for _, status in GENERATED} >= {200, 400}
