"""Relevance on a small crafted corpus: what a reader expects to come first."""

from __future__ import annotations

import pytest

from cms.content.visibility import public_articles
from search.query import search_articles

pytestmark = pytest.mark.django_db

FILLER = "Daily routines, water and walks help most people feel better. " * 12


def ids_for(q: str) -> list[int]:
    return search_articles(public_articles(), q).ids


def test_title_match_ranks_above_body_only_match(make_article):
    body_only = make_article(
        "A week of quiet evenings", body=(FILLER, "Magnesium came up at the end.")
    )
    in_title = make_article("Magnesium and restless legs", body=(FILLER,))
    assert ids_for("magnesium") == [in_title.pk, body_only.pk]


def test_title_match_ranks_above_body_with_many_mentions(make_article):
    repeated = make_article("Minerals", body=("Magnesium, magnesium. " * 30,))
    in_title = make_article("Magnesium explained", body=(FILLER,))
    assert ids_for("magnesium")[0] == in_title.pk
    assert repeated.pk in ids_for("magnesium")


def test_stemming_finds_other_forms_of_a_word(make_article):
    article = make_article("Iron levels", body=("Many runners are iron deficient.",))
    assert ids_for("deficiency") == [article.pk]


def test_articles_with_every_term_rank_first(make_article):
    one = make_article("Vitamin D in winter", body=(FILLER,))
    other = make_article("Sleep hygiene basics", body=(FILLER,))
    both = make_article(
        "Notes from the clinic", body=("Vitamin D and sleep are linked.", FILLER)
    )
    ids = ids_for("vitamin sleep")
    assert ids[0] == both.pk
    assert set(ids) == {one.pk, other.pk, both.pk}


def test_intro_author_category_and_tag_names_are_searchable(
    make_article, django_capture_on_commit_callbacks
):
    from tests.factories import AuthorFactory, CategoryFactory

    by_intro = make_article("First", intro="On hydration for athletes")
    by_author = make_article("Second", author=AuthorFactory(name="Ada Lovelace"))
    by_category = make_article("Third", categories=[CategoryFactory(name="Nutrition")])
    by_tag = make_article("Fourth", tags=["ketogenic"])
    assert ids_for("hydration") == [by_intro.pk]
    assert ids_for("lovelace") == [by_author.pk]
    assert ids_for("nutrition") == [by_category.pk]
    assert ids_for("ketogenic") == [by_tag.pk]


def test_every_body_block_type_is_searchable(
    section, django_capture_on_commit_callbacks
):
    from tests.factories import ArticlePageFactory, publish

    body = [
        ("heading", {"text": "Zinclike heading", "level": "h2"}),
        ("quote", {"text": "Quotable quokka", "attribution": "Pat Attributor"}),
        ("list", {"style": "bullet", "items": ["listed lentils"]}),
    ]
    with django_capture_on_commit_callbacks(execute=True):  # the indexing task
        article = publish(ArticlePageFactory(parent=section, title="Blocks", body=body))
    for word in ("zinclike", "quokka", "attributor", "lentils"):
        assert ids_for(word) == [article.pk], word


def test_results_stay_within_the_given_queryset(make_article):
    wanted = make_article("Magnesium for runners")
    other = make_article("Magnesium for swimmers")
    queryset = public_articles().filter(pk=wanted.pk)
    assert search_articles(queryset, "magnesium").ids == [wanted.pk]
    assert other.pk in ids_for("magnesium")


def test_scores_follow_the_order_of_results(make_article):
    make_article("Magnesium and sleep", body=("Magnesium before bed.",))
    make_article("Evening habits", body=("Some take magnesium.",))
    results = search_articles(public_articles(), "magnesium sleep")
    scores = [results.scores[i] for i in results.ids]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


@pytest.mark.search_backends("database")  # PostgreSQL's planner settings
def test_search_leaves_the_planner_settings_as_it_found_them(make_article):
    from django.db import connection

    make_article("Magnesium and sleep", body=("Magnesium before bed.",))

    def settings() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('jit')"
            )
            return cursor.fetchone()

    before = settings()
    assert ids_for("magnesium sleep")
    assert ids_for("nothingmatches") == []
    assert settings() == before


@pytest.mark.search_backends("database")  # RANK_WINDOW is the PostgreSQL path's
def test_a_cut_tier_larger_than_the_rank_window_keeps_the_tiers(
    make_article, monkeypatch
):
    """When more hits share the last tier that makes the cut than RANK_WINDOW,
    the newest of them are ranked; hits of higher tiers all come first."""
    from search import query

    body_only = [
        make_article(f"Evening note {n}", body=("Magnesium came up.",))
        for n in range(5)
    ]
    in_title = make_article("Magnesium explained", body=(FILLER,))
    monkeypatch.setattr(query, "MAX_RESULTS", 3)
    monkeypatch.setattr(query, "RANK_WINDOW", 2)
    ids = ids_for("magnesium")
    assert ids[0] == in_title.pk
    assert set(ids[1:]) == {a.pk for a in body_only[-2:]}


@pytest.mark.search_backends("opensearch")  # the ids filter is OpenSearch's
def test_a_large_scope_is_checked_after_the_search_with_the_same_results(
    make_article, monkeypatch
):
    """Past IDS_FILTER_MAX candidates the ids are not sent: the same hits, in the
    same order, with the same scores, and still nothing outside the queryset; a
    queryset that keeps too few of the hits goes back to the ids filter."""
    from search import opensearch_query
    from search.opensearch_backend import engine_backend

    articles = [
        make_article(f"Magnesium note {n}", body=("Magnesium and sleep. " * n,))
        for n in range(1, 7)
    ]
    sent: list[list[dict]] = []
    real_msearch = opensearch_query._msearch

    def spy(backend, index, bodies):
        sent.append(bodies)
        return real_msearch(backend, index, bodies)

    monkeypatch.setattr(opensearch_query, "_msearch", spy)

    def with_ids(query) -> bool:
        return any("ids" in f for b in query for f in b["query"]["bool"]["filter"])

    without_one = public_articles().exclude(pk=articles[2].pk)
    for queryset in (public_articles(), without_one):
        for q in ("magnesium", "magnesium sleep"):
            sent.clear()
            expected = search_articles(queryset, q)
            assert sent and all(with_ids(b) for b in sent)
            monkeypatch.setattr(opensearch_query, "IDS_FILTER_MAX", 0)
            sent.clear()
            got = search_articles(queryset, q)
            assert sent and not any(with_ids(b) for b in sent)
            monkeypatch.setattr(opensearch_query, "IDS_FILTER_MAX", 10_000)
            assert got.ids == expected.ids and got.scores == expected.scores, q
    assert articles[2].pk not in got.ids
    # Two results per page, the two best excluded: kept only on the second page.
    monkeypatch.setattr(opensearch_query, "IDS_FILTER_MAX", 0)
    best = search_articles(public_articles(), "magnesium").ids
    rest = public_articles().exclude(pk__in=best[:2])
    sent.clear()
    assert [
        pk
        for pk, _ in opensearch_query.ranked(
            engine_backend(), rest, ["magnesium"], 2, 2.0, 1.0
        )
    ] == best[2:4]
    assert len(sent) == 2  # the first page, then the second
    # Kept by none of the first POST_FILTER_PAGES pages: the ids filter answers.
    last = public_articles().filter(pk=best[-1])
    sent.clear()
    found = opensearch_query.ranked(engine_backend(), last, ["magnesium"], 1, 2.0, 1.0)
    assert [pk for pk, _ in found] == [best[-1]]
    assert with_ids(sent[-1]) and not with_ids(sent[0])
