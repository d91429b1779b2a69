"""The OpenAPI document is good enough to generate a typed client from (CONTRACT
section 1): short stable operation ids, typed body blocks, date-time formats,
every parameter, and a webhooks section (OpenAPI 3.1)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def document(api):
    return api.get("/api/v1/openapi.json").json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_operation_ids_are_short_unique_camel_case(document):
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-zA-Z]{2,30}", operation_id), operation_id
    for expected in (
        "listArticles",
        "getArticle",
        "listSections",
        "getSection",
        "resolveRoute",
        "listRedirects",
        "getCalendar",
    ):
        assert expected in ids


def test_body_blocks_are_a_union_discriminated_by_type(document):
    schemas = document["components"]["schemas"]
    items = schemas["ArticleDetail"]["properties"]["body"]["items"]
    assert items["discriminator"]["propertyName"] == "type"
    mapping = items["discriminator"]["mapping"]
    assert set(mapping) == {"heading", "paragraph", "image", "quote", "list", "embed"}
    heading = schemas["HeadingBlock"]["properties"]["value"]
    assert heading == {"$ref": "#/components/schemas/HeadingValue"}
    assert schemas["HeadingValue"]["properties"]["level"]["enum"] == ["h2", "h3", "h4"]
    assert "unknown" not in str(items)


def test_times_are_date_time(document):
    summary = document["components"]["schemas"]["ArticleSummary"]["properties"]
    formats = [s.get("format") for s in summary["published_at"]["anyOf"]]
    assert "date-time" in formats


def test_image_objects_declare_srcset_and_focal_point(document):
    image = document["components"]["schemas"]["ImageOut"]
    assert {"srcset", "focal_point"} <= set(image["required"])


def test_every_list_and_calendar_parameter_is_documented(document):
    listed = {
        p["name"] for p in document["paths"]["/api/v1/articles/"]["get"]["parameters"]
    }
    assert {"section", "updated_after", "ordering", "cursor", "limit"} <= listed
    calendar = document["paths"]["/api/v1/publishing/schedule/"]["get"]
    assert {p["name"] for p in calendar["parameters"]} == {"from", "to"}


def test_webhooks_section_describes_each_event_body(document):
    assert document["openapi"].startswith("3.1")
    webhooks = document["webhooks"]
    assert {
        "article.published",
        "article.unpublished",
        "article.updated",
        "release.failed",
    } <= set(webhooks)
    body = webhooks["article.unpublished"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    event = document["components"]["schemas"][ref]
    data_ref = event["properties"]["data"]["$ref"].rsplit("/", 1)[1]
    data = document["components"]["schemas"][data_ref]
    assert {"reason", "previous_url", "url", "revision_id"} <= set(data["properties"])
