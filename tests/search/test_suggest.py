"""Suggest: title words starting with what the reader typed, typo-tolerant."""

from __future__ import annotations

import pytest

from search.suggest import suggest

pytestmark = pytest.mark.django_db


def titles(q: str, **kwargs) -> list[str]:
    return [s.title for s in suggest(q, **kwargs)]


def test_suggest_finds_titles_with_a_word_starting_with_the_prefix(make_article):
    make_article("Magnesium and restless legs")
    make_article("Why magnets do not cure pain")
    make_article("Sleep hygiene")
    assert sorted(titles("mag")) == [
        "Magnesium and restless legs",
        "Why magnets do not cure pain",
    ]


def test_suggest_does_not_match_inside_words(make_article):
    make_article("Imagine better sleep")
    assert titles("mag") == []


def test_suggest_tolerates_a_typo(make_article):
    make_article("Magnesium and restless legs")
    make_article("Sleep hygiene")
    assert titles("magnesim") == ["Magnesium and restless legs"]


def test_suggest_lists_prefix_matches_before_fuzzy_ones(make_article):
    make_article("Magnesim, a common misspelling")
    make_article("Magnesium and restless legs")
    assert titles("magnesim") == [
        "Magnesim, a common misspelling",
        "Magnesium and restless legs",
    ]


def test_suggest_returns_only_public_articles(make_article):
    make_article("Magnesium draft", live=False)
    live = make_article("Magnesium live")
    hidden = make_article("Magnesium unpublished")
    hidden.unpublish()
    assert [s.id for s in suggest("magnesium")] == [live.pk]


def test_suggest_is_capped_at_the_limit(make_article):
    for n in range(4):
        make_article(f"Magnesium {n}")
    assert len(suggest("magn", limit=3)) == 3


def test_suggest_treats_regex_characters_as_text(make_article):
    make_article("C++ for nutritionists")
    assert titles("c++") == ["C++ for nutritionists"]
    assert titles(".*") == []


@pytest.mark.search_backends("database")  # the lexicon is PostgreSQL's
def test_reindex_rebuilds_the_word_list_of_typo_tolerant_suggest(make_article):
    from io import StringIO

    from django.core.management import call_command

    from search.models import TitleWord

    make_article("Magnesium and restless legs")
    TitleWord.objects.all().delete()
    assert titles("magnesim") == []
    call_command("reindex", verbosity=0, stdout=StringIO())
    assert titles("magnesim") == ["Magnesium and restless legs"]


def test_suggest_matches_an_accented_prefix_as_typed(make_article):
    make_article("Élan and energy")
    assert titles("él") == ["Élan and energy"]
    assert titles("Éla") == ["Élan and energy"]
    assert titles("elan") == []


@pytest.mark.search_backends("opensearch")  # the ids filter is OpenSearch's
def test_suggest_past_the_ids_filter_limit_gives_the_same_list(
    make_article, monkeypatch
):
    from search import opensearch_query

    for title in ("Magnesium basics", "Magnets at home", "Magnesum typo", "Sleep"):
        make_article(title)
    expected = {q: titles(q) for q in ("mag", "magnesim", "sle")}
    assert expected["mag"] and expected["magnesim"]
    monkeypatch.setattr(opensearch_query, "IDS_FILTER_MAX", 0)
    assert {q: titles(q) for q in expected} == expected
