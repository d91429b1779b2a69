"""Routing for front ends (CONTRACT sections 1 and 5): sections, routes/?path=,
redirects (Wagtail's, made automatically on a slug change or a move), site-wide
unique article slugs, and each article's section in its summary."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from cms.content.models import ArticlePage
from tests.delivery.hidden import make_hidden
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, publish


def get(api, url, **headers):
    return api.get(url, **headers)


def route(api, path):
    return api.get("/api/v1/routes/", {"path": path})


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (cache bumps, documents, redirects)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def sport(home):
    return ArticleIndexPageFactory(parent=home, title="Sport", slug="sport")


# --- Sections ---


def test_sections_list_public_sections_with_public_article_counts(
    api, make_article, section, sport, home
):
    make_article(title="One")
    make_article(title="Two")
    make_hidden("draft", section, "a-draft")
    hidden = ArticleIndexPageFactory(parent=home, title="Hidden", slug="hidden")
    hidden.unpublish()
    response = get(api, "/api/v1/sections/")
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "slug": "news",
                "title": "News and Blogs",
                "url": "/news/",
                "intro": "",
                "article_count": 2,
            },
            {
                "slug": "sport",
                "title": "Sport",
                "url": "/sport/",
                "intro": "",
                "article_count": 0,
            },
        ]
    }


def test_one_section_by_slug_and_a_hidden_one_is_404(api, section, home):
    assert get(api, "/api/v1/sections/news/").json()["url"] == "/news/"
    hidden = ArticleIndexPageFactory(parent=home, title="Hidden", slug="hidden")
    hidden.unpublish()
    for slug in ("hidden", "nope"):
        response = get(api, f"/api/v1/sections/{slug}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_summary_carries_the_section(api, make_article, sport):
    make_article(title="Run fast", parent=sport)
    (summary,) = get(api, "/api/v1/articles/").json()["results"]
    assert summary["section"] == {"slug": "sport", "title": "Sport", "url": "/sport/"}


def test_renaming_a_section_changes_its_articles_summaries(
    api, make_article, sport, committed
):
    article = make_article(title="Run fast", parent=sport)
    assert get(api, f"/api/v1/articles/{article.slug}/").json()["section"]["title"]
    sport.title = "Sports"
    with committed():
        publish(sport)
    data = get(api, f"/api/v1/articles/{article.slug}/").json()
    assert data["section"]["title"] == "Sports"
    listed = get(api, "/api/v1/articles/").json()["results"][0]
    assert listed["section"]["title"] == "Sports"


def test_list_filters_by_section(api, make_article, sport):
    make_article(title="Sleep well")
    make_article(title="Run fast", parent=sport)
    data = get(api, "/api/v1/articles/?section=sport").json()
    assert [a["title"] for a in data["results"]] == ["Run fast"]
    both = get(api, "/api/v1/articles/?section=sport&section=news").json()
    assert both["count"] == 2


def test_more_than_twenty_values_for_a_filter_is_a_400(api, section):
    query = "&".join(f"section=s{i}" for i in range(21))
    response = get(api, f"/api/v1/articles/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "section"
    query = "&".join(f"tag=t{i}" for i in range(20))
    assert get(api, f"/api/v1/articles/?{query}").status_code == 200


# --- Routes ---


def test_route_to_an_article_is_its_detail(api, make_article):
    article = make_article(title="Magnesium")
    detail = get(api, f"/api/v1/articles/{article.slug}/").json()
    for path in ("/news/magnesium/", "/news/magnesium"):
        response = route(api, path)
        assert response.status_code == 200
        assert response.json() == {"type": "article", "article": detail}
        assert response["ETag"]


def test_route_to_a_section(api, section, make_article):
    make_article()
    response = route(api, "/news/")
    assert response.json() == {
        "type": "section",
        "section": {
            "slug": "news",
            "title": "News and Blogs",
            "url": "/news/",
            "intro": "",
            "article_count": 1,
        },
    }


@pytest.mark.parametrize("kind", ["draft", "private", "expired", "unpublished_parent"])
def test_route_to_a_hidden_article_is_the_same_404(api, section, kind):
    hidden = make_hidden(kind, section, "hideaway")
    url_path = ArticlePage.objects.get(pk=hidden.pk).url_path
    path = "/" + url_path.split("/", 2)[2]
    response = route(api, path)
    missing = route(api, "/news/never-existed/")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()


def test_route_of_a_renamed_article_is_a_redirect(api, make_article, committed):
    article = make_article(title="Old name")
    article.slug = "new-name"
    with committed():
        publish(article)
    response = route(api, "/news/old-name/")
    assert response.status_code == 200
    assert response.json() == {
        "type": "redirect",
        "location": "/news/new-name/",
        "permanent": True,
    }
    assert route(api, "/news/new-name/").json()["type"] == "article"


def test_route_of_a_moved_article_is_a_redirect(api, make_article, sport):
    article = make_article(title="Moving")
    article.move(sport, pos="last-child")
    response = route(api, "/news/moving/")
    assert response.json()["location"] == "/sport/moving/"
    assert route(api, "/sport/moving/").json()["article"]["section"]["slug"] == "sport"


def test_route_of_a_redirect_to_a_hidden_page_is_404(api, make_article, committed):
    article = make_article(title="Soon hidden")
    Redirect.objects.create(old_path="/old", redirect_page=article)
    assert route(api, "/old/").json()["location"] == "/news/soon-hidden/"
    with committed():
        PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert route(api, "/old/").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "path"),
        ({"path": "news/x/"}, "path"),
        ({"path": "//evil.example/"}, "path"),
        ({"path": "/x/", "limit": "3"}, "limit"),
        ({"path": "/x\x00/"}, "path"),
    ],
)
def test_bad_route_queries_are_400s_naming_the_field(api, query, field):
    response = api.get("/api/v1/routes/", query)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_route_is_served_with_etag_and_304(api, make_article):
    make_article(title="Cached")
    first = route(api, "/news/cached/")
    again = api.get(
        "/api/v1/routes/",
        {"path": "/news/cached/"},
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304
    assert first["Cache-Control"].startswith("public, max-age=")


def test_route_query_count_is_constant(api, make_article, django_db_setup):
    article = make_article(title="Counted")
    route(api, "/news/counted/")  # warm the per-process compiled statements
    api.get("/api/v1/articles/counted/")
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert route(api, "/news/counted/").status_code == 200
    # The page at the path, then the stored detail (as articles/{slug}/).
    assert len(queries) <= 8, [q["sql"][:120] for q in queries]
    assert article.pk


# --- Redirects ---


def test_redirects_lists_automatic_and_manual_redirects(api, make_article, committed):
    article = make_article(title="First")
    article.slug = "second"
    with committed():
        publish(article)
    Redirect.objects.create(
        old_path="/promo", redirect_link="https://example.org/", is_permanent=False
    )
    data = get(api, "/api/v1/redirects/").json()
    assert data == {
        "results": [
            {
                "old_path": "/news/first/",
                "location": "/news/second/",
                "permanent": True,
            },
            {
                "old_path": "/promo/",
                "location": "https://example.org/",
                "permanent": False,
            },
        ],
        "next": None,
    }


def test_redirects_page_by_cursor(api):
    for i in range(5):
        Redirect.objects.create(old_path=f"/r{i}", redirect_link=f"/t{i}/")
    first = get(api, "/api/v1/redirects/?limit=2").json()
    assert [r["old_path"] for r in first["results"]] == ["/r0/", "/r1/"]
    seen = [r["old_path"] for r in first["results"]]
    link = first["next"]
    while link:
        page = get(api, link).json()
        seen += [r["old_path"] for r in page["results"]]
        link = page["next"]
    assert seen == [f"/r{i}/" for i in range(5)]


def test_redirects_cache_is_invalidated_by_a_new_redirect(api, committed):
    assert get(api, "/api/v1/redirects/").json()["results"] == []
    with committed():
        Redirect.objects.create(old_path="/new", redirect_link="/there/")
    assert len(get(api, "/api/v1/redirects/").json()["results"]) == 1


def test_redirects_to_hidden_pages_are_not_listed(api, section):
    hidden = make_hidden("draft", section, "hideaway")
    Redirect.objects.create(old_path="/x", redirect_page=hidden)
    assert get(api, "/api/v1/redirects/").json()["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=forged", "cursor"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("page=2", "page"),
    ],
)
def test_bad_redirect_queries_are_400s(api, query, field):
    response = get(api, f"/api/v1/redirects/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


# --- Unique slugs ---


def test_a_duplicate_article_slug_is_refused_with_an_error_on_the_slug(
    make_article, sport
):
    make_article(title="Same")
    duplicate = ArticlePageFactory.build(title="Same", slug="same")
    with pytest.raises(ValidationError) as refused:
        sport.add_child(instance=duplicate)
    assert "slug" in refused.value.message_dict
    assert "unique across the site" in refused.value.message_dict["slug"][0]


def test_renaming_to_a_taken_slug_is_refused(make_article, sport):
    make_article(title="Taken")
    other = make_article(title="Other", parent=sport)
    other.slug = "taken"
    with pytest.raises(ValidationError) as refused:
        other.save_revision()
    assert "slug" in refused.value.message_dict


def test_the_admin_form_puts_the_error_on_the_slug(make_article, sport, admin_user):
    make_article(title="Taken")
    other = make_article(title="Other", parent=sport)
    form_class = ArticlePage.get_edit_handler().get_form_class()
    data = {
        "title": other.title,
        "slug": "taken",
        "intro": other.intro,
        "body-count": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "5",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    form = form_class(data, instance=other, parent_page=sport, for_user=admin_user)
    assert not form.is_valid()
    assert "unique across the site" in " ".join(form.errors["slug"])


def test_the_migration_renames_stored_duplicates(make_article, sport, capsys):
    from importlib import import_module

    make_article(title="Twin")
    second = make_article(title="Twin two", parent=sport)
    ArticlePage.objects.filter(pk=second.pk).update(
        slug="twin", url_path="/home/sport/twin/"
    )
    migration = import_module("cms.content.migrations.0007_unique_article_slugs")
    migration.rename_duplicates(apps, None)
    second.refresh_from_db()
    assert second.slug == "twin-2"
    assert second.url_path == "/home/sport/twin-2/"
    assert "renamed to 'twin-2'" in capsys.readouterr().out


# --- updated_after and updated_at ---


def test_updated_after_and_updated_at_ordering(api, make_article):
    from datetime import UTC, datetime

    old = make_article(title="Old")
    new = make_article(title="New")
    ArticlePage.objects.filter(pk=old.pk).update(
        last_published_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    ArticlePage.objects.filter(pk=new.pk).update(
        last_published_at=datetime(2026, 6, 1, tzinfo=UTC)
    )
    data = get(api, "/api/v1/articles/?updated_after=2026-03-01T00:00:00%2B00:00")
    assert [a["title"] for a in data.json()["results"]] == ["New"]
    ordered = get(api, "/api/v1/articles/?ordering=updated_at").json()["results"]
    assert [a["title"] for a in ordered] == ["Old", "New"]
    ordered = get(api, "/api/v1/articles/?ordering=-updated_at&limit=1").json()
    assert ordered["results"][0]["title"] == "New"
    following = get(api, ordered["next"]).json()["results"]
    assert [a["title"] for a in following] == ["Old"]


@pytest.mark.parametrize(
    "value", ["2026-03-01T00:00:00", "yesterday", "2026-13-01T00:00:00+00:00"]
)
def test_a_bad_updated_after_is_a_400(api, db, value):
    response = api.get("/api/v1/articles/", {"updated_after": value})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "updated_after"
