"""The article list: shape, filters, ordering, paging and strict parameters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.content.models import ArticlePage
from tests.factories import ArticlePageFactory, AuthorFactory, CategoryFactory

SUMMARY_FIELDS = {
    "id",
    "slug",
    "url",
    "title",
    "intro",
    "published_at",
    "updated_at",
    "author",
    "categories",
    "tags",
    "hero_image",
    "reading_time_minutes",
    "section",
}


def set_published(article, when: datetime) -> None:
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=when, last_published_at=when
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def test_summary_has_every_contract_field(api, make_article, category):
    article = make_article(
        title="Magnesium and sleep", categories=[category], tags=["sleep", "magnesium"]
    )
    data = api.get("/api/v1/articles/").json()
    assert set(data) == {"count", "next", "previous", "results"}
    (summary,) = data["results"]
    assert set(summary) == SUMMARY_FIELDS
    assert summary["id"] == article.pk
    assert summary["slug"] == "magnesium-and-sleep"
    assert summary["url"] == "/news/magnesium-and-sleep/"
    assert summary["title"] == "Magnesium and sleep"
    assert summary["intro"] == article.intro
    assert summary["author"] == {
        "slug": article.author.slug,
        "name": article.author.name,
    }
    assert summary["categories"] == [{"slug": "sleep", "name": "Sleep"}]
    assert summary["tags"] == ["magnesium", "sleep"]
    assert summary["hero_image"] is None
    assert summary["reading_time_minutes"] == article.reading_time_minutes
    assert summary["published_at"].endswith("+00:00")
    assert datetime.fromisoformat(summary["published_at"]) == article.first_published_at


def test_article_without_author_has_null_author(api, make_article):
    make_article(author=None)
    (summary,) = api.get("/api/v1/articles/").json()["results"]
    assert summary["author"] is None
    assert summary["categories"] == [] and summary["tags"] == []


def test_list_filters_by_category_tag_and_author(api, make_article, category):
    other = CategoryFactory(name="Food", slug="food")
    writer = AuthorFactory(name="Ada", slug="ada")
    a = make_article(categories=[category], tags=["x"])
    b = make_article(categories=[other], tags=["y"], author=writer)
    c = make_article(tags=["x", "y"])
    get = lambda **p: set(ids(api.get("/api/v1/articles/", p)))  # noqa: E731
    assert get(category="sleep") == {a.pk}
    assert get(category=["sleep", "food"]) == {a.pk, b.pk}
    assert get(tag="x") == {a.pk, c.pk}
    assert get(tag=["x", "y"]) == {a.pk, b.pk, c.pk}
    assert get(author="ada") == {b.pk}
    assert get(category="sleep", tag="y") == set()
    assert get(category="no-such-category") == set()


def test_list_filters_by_publication_window(api, make_article):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    articles = [make_article() for _ in range(3)]
    for days, article in enumerate(articles):
        set_published(article, base + timedelta(days=days))
    window = {
        "published_after": (base + timedelta(days=1)).isoformat(),
        "published_before": (base + timedelta(days=2)).isoformat(),
    }
    assert ids(api.get("/api/v1/articles/", window)) == [articles[1].pk]
    empty = {"published_after": base.isoformat(), "published_before": base.isoformat()}
    assert api.get("/api/v1/articles/", empty).json()["count"] == 0


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (None, ["c", "b", "a"]),
        ("-published_at", ["c", "b", "a"]),
        ("published_at", ["a", "b", "c"]),
        ("title", ["a", "b", "c"]),
        ("-title", ["c", "b", "a"]),
    ],
)
def test_list_orderings(api, make_article, ordering, expected):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    by_title = {}
    for days, title in enumerate(["a", "b", "c"]):
        article = make_article(title=f"{title} title")
        set_published(article, base + timedelta(days=days))
        by_title[title] = article.pk
    params = {"ordering": ordering} if ordering else {}
    assert ids(api.get("/api/v1/articles/", params)) == [by_title[t] for t in expected]


def walk(api, params: dict) -> list[int]:
    seen: list[int] = []
    url, query = "/api/v1/articles/", params
    for _ in range(200):
        data = api.get(url, query).json()
        seen.extend(r["id"] for r in data["results"])
        if not data["next"]:
            return seen
        url, query = data["next"], None
    raise AssertionError("paging did not end")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    limit=st.integers(min_value=1, max_value=12),
    ordering=st.sampled_from(["-published_at", "published_at", "title", "-title"]),
)
def test_cursor_walk_yields_every_article_once_in_order(
    api, paged_articles, limit, ordering
):
    expected = ids(api.get("/api/v1/articles/", {"limit": 100, "ordering": ordering}))
    assert sorted(expected) == sorted(paged_articles)
    assert walk(api, {"limit": limit, "ordering": ordering}) == expected


@pytest.fixture
def paged_articles(section):
    # Ties on purpose: equal publication times and equal titles page by id.
    base = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for n in range(13):
        # Live rows straight from the factory: paging reads only the page table.
        article = ArticlePageFactory(
            parent=section, title=f"Same {n % 4}", slug=f"paged-{n}"
        )
        set_published(article, base + timedelta(hours=n // 3))
        made.append(article.pk)
    return made


def test_previous_link_walks_back_to_the_first_page(api, paged_articles):
    first = api.get("/api/v1/articles/", {"limit": 5}).json()
    second = api.get(first["next"]).json()
    assert second["previous"]
    back = api.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    assert first["previous"] is None


def ids_on_every_page(api, first: dict) -> list[int]:
    """The ids of ``first`` and of every page its ``next`` links lead to, in order."""
    seen = [r["id"] for r in first["results"]]
    url = first["next"]
    while url:
        page = api.get(url).json()
        seen.extend(r["id"] for r in page["results"])
        url = page["next"]
    return seen


def test_article_published_while_paging_is_not_seen_twice(
    api, make_article, paged_articles
):
    first = api.get("/api/v1/articles/", {"limit": 5}).json()
    make_article(title="Breaking news")
    seen = ids_on_every_page(api, first)
    assert sorted(seen) == sorted(paged_articles)


def test_cursor_for_another_query_is_refused(api, paged_articles, category):
    cursor_url = api.get("/api/v1/articles/", {"limit": 2}).json()["next"]
    cursor = cursor_url.split("cursor=")[1]
    response = api.get(f"/api/v1/articles/?limit=2&ordering=title&cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "cursor"


def test_search_returns_scores_highlights_and_facets(api, make_article, category):
    make_article(title="Magnesium and sleep", categories=[category], tags=["rest"])
    make_article(title="Water")
    data = api.get("/api/v1/articles/", {"q": "magnesium"}).json()
    assert data["count"] == 1
    (result,) = data["results"]
    assert result["search"]["score"] > 0
    assert result["search"]["highlight"]["title"] == "<mark>Magnesium</mark> and sleep"
    assert data["facets"]["category"] == [
        {"slug": "sleep", "name": "Sleep", "count": 1}
    ]
    assert data["facets"]["tag"] == [{"slug": "rest", "name": "rest", "count": 1}]
    assert len(data["facets"]["author"]) == 1


def test_search_highlight_escapes_everything_but_mark(api, make_article):
    make_article(title="<b>Magnesium</b> & <script>x</script>", slug="odd")
    result = api.get("/api/v1/articles/", {"q": "magnesium"}).json()["results"][0]
    title = result["search"]["highlight"]["title"]
    assert title == (
        "&lt;b&gt;<mark>Magnesium</mark>&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;"
    )


def test_search_pages_by_relevance_with_cursor(api, make_article):
    for n in range(5):
        make_article(title=f"Magnesium note {n}")
    first = api.get("/api/v1/articles/", {"q": "magnesium", "limit": 2}).json()
    assert first["count"] == 5
    seen = ids_on_every_page(api, first)
    assert len(seen) == len(set(seen)) == 5


def test_search_page_is_stable_when_a_better_match_is_published_meanwhile(
    api, make_article
):
    made = [make_article(title=f"Magnesium note {n}").pk for n in range(5)]
    params = {"q": "magnesium", "limit": 2}
    first = api.get("/api/v1/articles/", params).json()
    # Ranks first for "magnesium": in the title twice and in the intro.
    make_article(title="Magnesium, magnesium", intro="All about magnesium.")
    seen = ids_on_every_page(api, first)
    assert len(seen) == len(set(seen))
    assert sorted(seen) == sorted(made)


BAD_INPUT = [
    ({"colour": "red"}, "colour"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"limit": "-1"}, "limit"),
    # Unicode digits: str.isdigit() says yes, int() says no (found by tests/fuzz).
    ({"limit": "2\u19da0"}, "limit"),
    ({"limit": "\u0663"}, "limit"),
    ({"limit": ["5", "6"]}, "limit"),
    ({"ordering": "id"}, "ordering"),
    ({"ordering": ["title", "-title"]}, "ordering"),
    ({"published_after": "yesterday"}, "published_after"),
    ({"published_after": "2026-11-24T10:00:00"}, "published_after"),
    ({"published_before": "2026-11-24"}, "published_before"),
    ({"published_before": "2026-13-45T10:00:00+00:00"}, "published_before"),
    # No time in UTC (before year 1).
    ({"published_after": "0001-01-01T00:00:00+05:00"}, "published_after"),
    ({"q": "x" * 257}, "q"),
    ({"q": "mag\x00nesium"}, "q"),
    ({"tag": "a\x00b"}, "tag"),
    ({"q": ["a", "b"]}, "q"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": "eyJkIjoiYWZ0ZXIifQ:1xW3Th:forged"}, "cursor"),
]


@pytest.mark.parametrize(("params", "field"), BAD_INPUT)
def test_bad_list_input_is_a_400_naming_the_field(api, params, field):
    response = api.get("/api/v1/articles/", params)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == field
    assert error["code"] in {"invalid_parameter", "unknown_parameter", "invalid_cursor"}
    assert error["message"]


@pytest.mark.parametrize("ordering", ["-published_at", "published_at", "title"])
def test_an_offset_postgresql_refuses_is_read_as_utc(api, make_article, ordering):
    # Python accepts offsets up to ±23:59, PostgreSQL only to ±15:59 (a 500 found
    # by schemathesis).
    article = make_article()
    params = {"published_after": "0639-12-02T19:57:14+19:51", "ordering": ordering}
    response = api.get("/api/v1/articles/", params)
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [article.pk]


def test_unknown_parameter_error_names_the_allowed_ones(api):
    message = api.get("/api/v1/articles/", {"page": "2"}).json()["error"]["message"]
    assert "category" in message and "cursor" in message


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/categories/?x=1",
        "/api/v1/tags/?x=1",
        "/api/v1/authors/?x=1",
        "/api/v1/articles/some-slug/?x=1",
        "/api/v1/search/suggest/?q=a&x=1",
        "/api/v1/search/suggest/",
        "/api/v1/search/suggest/?q=",
        "/api/v1/preview/",
    ],
)
def test_other_endpoints_refuse_bad_parameters(api, url):
    response = api.get(url)
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "field"}


def test_public_endpoints_ignore_preview_headers(api, make_article):
    article = make_article()
    response = api.get(
        f"/api/v1/articles/{article.slug}/", HTTP_X_PREVIEW_TOKEN="anything"
    )
    assert response.status_code == 200
    assert "preview" not in response.json()


def test_wrong_method_is_405_in_the_error_shape(api):
    response = api.post("/api/v1/articles/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_unknown_api_path_is_404_in_the_error_shape(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "field": None}
    }
