"""Schema-driven tests: schemathesis generates requests for every operation of
/api/v1/openapi.json — the public delivery API anonymously, the publishing and
webhooks API with a superuser's token, path parameters included — through cms.wsgi
(the fast cache path in front of Django); no response is a 5xx and every one matches
its schema. The suite runs this module on PostgreSQL and again on SQLite (`make
test`). Examples are derandomised: a fixed seed, the same requests on every run.

13 public operations x 64 examples, 19 token operations x 50 examples (half of them
with the ids of rows that exist): about 1,800 generated requests per run.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cms.wsgi import application
from publishing.models import Release, ReleaseItem
from publishing.webhooks.models import Delivery, Endpoint
from tests.factories import ArticlePageFactory, CategoryFactory, api_token, publish

EXAMPLES_PER_OPERATION = 64
TOKEN_EXAMPLES_PER_OPERATION = 50
GENERATED: list[tuple[str, int]] = []

whole_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema = whole_schema.include(tag="delivery")
token_schema = whole_schema.exclude(tag="delivery")


@pytest.fixture
def content(section, wsgi_in_test_transaction):
    category = CategoryFactory(name="Sleep", slug="sleep")
    for n in range(3):
        article = ArticlePageFactory(parent=section, title=f"Magnesium {n}")
        article.categories.set([category])
        article.tags.set(["rest"])
        publish(article)


def operations(of) -> set[tuple[str, str]]:
    return {
        (op.method.upper(), op.path)
        for op in (result.ok() for result in of.get_all_operations())
    }


def test_every_public_operation_is_covered():
    assert len(operations(schema)) == 13, operations(schema)


def test_every_operation_is_fuzzed():
    fuzzed = operations(schema) | operations(token_schema)
    assert fuzzed == operations(whole_schema)
    assert len(operations(token_schema)) >= 19


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


@pytest.fixture
def rows(content, section, django_user_model):
    """A token, and a row of each kind a path parameter can name."""
    user = django_user_model.objects.create_superuser("fuzz", "f@example.com", "pw")
    article = ArticlePageFactory(parent=section, title="Scheduled draft")
    release = Release.objects.create(title="Fuzzed release")
    ReleaseItem.objects.create(release=release, page=article)
    endpoint = Endpoint.objects.create(url="http://127.0.0.1:9/hook", secret="whsec_x")
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_uuid="00000000-0000-0000-0000-000000000001",
        event_type="article.published",
        payload="{}",
        webhook_id="msg_fuzz",
    )
    return {
        "key": api_token(user, name="fuzz"),
        "article_id": article.id,
        "release_id": release.id,
        "endpoint_id": endpoint.id,
        "delivery_id": delivery.id,
    }


@token_schema.parametrize()
@settings(
    max_examples=TOKEN_EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_token_api_never_errors_and_matches_its_schema(case, rows):
    if case.path_parameters and len(GENERATED) % 2:
        # Every other case names rows that exist, so that handlers get past 404.
        case.path_parameters = {
            name: rows.get(name, value) for name, value in case.path_parameters.items()
        }
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {rows['key']}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    operation = f"{case.operation.method.upper()} {case.operation.path}"
    GENERATED.append((operation, response.status_code))


def test_zz_enough_requests_were_generated():
    # Runs after the generated tests in this module (pytest keeps file order).
    if not GENERATED:
        pytest.skip("run together with the generated tests")
    assert len(GENERATED) >= 500, len(GENERATED)
    assert {status for _, status in GENERATED} >= {200, 400}
    token_operations = {op for op, _ in GENERATED if "/publishing/" in op}
    if token_operations:
        assert len(token_operations) == len(operations(token_schema))
