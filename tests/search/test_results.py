"""What a front end draws: highlights, facets and scores, in few queries."""

from __future__ import annotations

from collections import Counter

import pytest

from cms.content.models import ArticlePage
from cms.content.visibility import public_articles
from search.query import highlight, search_articles
from tests.factories import AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def test_highlight_marks_title_matches(make_article):
    article = make_article("Magnesium and restless legs")
    assert highlight(article, "magnesium")["title"] == (
        "<mark>Magnesium</mark> and restless legs"
    )


def test_highlight_marks_stemmed_forms_in_the_body_snippet(make_article):
    article = make_article(
        "Iron", intro="Plain intro.", body=("Runners are often iron deficient.",)
    )
    snippet = highlight(article, "deficiency")["snippet"]
    assert "<mark>deficient</mark>" in snippet
    assert "title" not in highlight(article, "deficiency")


def test_highlight_escapes_html_in_title_and_body(make_article):
    article = make_article(
        '<img src=x onerror="alert(1)"> magnesium <b>bold</b>',
        intro="Nothing here.",
        body=("Use &lt;script&gt;alert(1)&lt;/script&gt; magnesium daily.",),
    )
    marks = highlight(article, "magnesium")
    for fragment in marks.values():
        stripped = fragment.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped and ">" not in stripped
    assert marks["title"].startswith("&lt;img src=x")
    assert "&lt;script&gt;" in marks["snippet"]


def test_highlight_cannot_be_tricked_into_marking_markup(make_article):
    article = make_article("mark </mark><script>", intro="x")
    title = highlight(article, "mark script")["title"]
    assert title == (
        "<mark>mark</mark> &lt;/<mark>mark</mark>&gt;&lt;<mark>script</mark>&gt;"
    )


def test_highlight_runs_no_queries(make_article, django_assert_num_queries):
    article = ArticlePage.objects.get(pk=make_article("Zinc", body=("zinc",)).pk)
    with django_assert_num_queries(0):
        highlight(article, "zinc")


def test_facets_equal_a_brute_force_count(make_article):
    sleep, food = CategoryFactory(name="Sleep"), CategoryFactory(name="Food")
    ann, bob = AuthorFactory(name="Ann"), AuthorFactory(name="Bob")
    made = [
        make_article("Magnesium one", categories=[sleep], tags=["a"], author=ann),
        make_article("Magnesium two", categories=[sleep, food], tags=["a", "b"]),
        make_article("Magnesium three", categories=[food], author=bob),
        make_article("Magnesium four", tags=["b"], author=ann),
        make_article("Unrelated", categories=[sleep], tags=["a"], author=bob),
    ]
    results = search_articles(public_articles(), "magnesium")
    hits = [a for a in made if a.pk in results.ids]
    assert len(hits) == 4
    assert {f["slug"]: f["count"] for f in results.facets["category"]} == Counter(
        c.slug for a in hits for c in a.categories.all()
    )
    assert {f["name"]: f["count"] for f in results.facets["tag"]} == Counter(
        t.name for a in hits for t in a.tags.all()
    )
    assert {f["slug"]: f["count"] for f in results.facets["author"]} == Counter(
        a.author.slug for a in hits if a.author
    )


def test_search_runs_a_fixed_number_of_queries(
    make_article, django_assert_max_num_queries
):
    for n in range(6):
        make_article(f"Magnesium {n}", categories=[CategoryFactory()], tags=[f"t{n}"])
    # One search query, three facet queries, whatever the number of results.
    with django_assert_max_num_queries(4):
        results = search_articles(public_articles(), "magnesium")
    assert len(results.ids) == 6


def test_no_terms_means_no_results_and_no_queries(
    make_article, django_assert_num_queries
):
    make_article("The and of")
    with django_assert_num_queries(0):
        assert search_articles(public_articles(), "  the and  ").ids == []
