"""Bad input: empty, over-long, operator-laden, unicode, NUL and ReDoS-shaped
queries give results (or the API's 400), never an error, each well under 200 ms."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import Client

from cms.content.visibility import public_articles
from search.query import highlight, search_articles
from search.suggest import suggest

pytestmark = pytest.mark.django_db

BUDGET_S = 0.2
CORPUS = [
    "",
    " ",
    "\t\n",
    "a" * 10_000,
    "magnesium " * 200,
    "&|!():*<>",
    "magnesium & | ! ( ) : * < > sleep",
    "!!!!((((((((((magnesium",
    "magnesium:* & !sleep:A <-> 'x'",
    "' OR 1=1 --",
    '"; DROP TABLE wagtailcore_page; --',
    "\\",
    "\\\\'\\\"",
    "%_%",
    "[[[[",
    "(a+)+$",
    "(?:a|a)*b" + "a" * 50,
    "a" * 60 + "!",
    "(.*a){25}",
    "^(([a-z])+.)+[A-Z]([a-z])+$",
    ".*.*.*.*.*.*.*.*=",
    "\x00",
    "magne\x00sium",
    "\x00" * 300,
    "\u202e\u200b\ufeff",
    "Ma\u0301gnesium",
    "магний",
    "镁 睡眠",
    "🧲💤🧲💤",
    "Ｍａｇｎｅｓｉｕｍ",
    "\U0010ffff",
    "<mark>x</mark><script>alert(1)</script>",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 5,
    "-" * 256,
    "magnesium-" * 25,
]


@pytest.fixture
def corpus_articles(make_article):
    make_article("Magnesium and sleep", body=("(a+)+ magnesium " * 50,))
    make_article("<b>Markup</b> & entities", body=("&amp; &lt;mark&gt; " * 20,))


def timed(fn, attempts: int = 3):
    """The fastest of up to ``attempts`` runs: an input that makes the work slow is slow
    every time; a pause of the shared machine (or of OpenSearch's JVM) is not."""
    best = float("inf")
    for _ in range(attempts):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
        if best < BUDGET_S:
            break
    return best


def test_search_functions_never_fail_and_stay_fast(corpus_articles):
    articles = list(public_articles())
    search_articles(public_articles(), "warm up")  # connection and plans
    for q in CORPUS:
        assert timed(lambda q=q: search_articles(public_articles(), q)) < BUDGET_S, q
        assert timed(lambda q=q: suggest(q)) < BUDGET_S, q
        for article in articles:
            assert timed(lambda a=article, q=q: highlight(a, q)) < BUDGET_S, q


def test_api_answers_bad_queries_with_results_or_a_400(corpus_articles):
    client = Client()
    for q in CORPUS:
        for path in ("/api/v1/articles/", "/api/v1/search/suggest/"):
            cache.clear()
            response = client.get(path, {"q": q})
            assert response.status_code in (200, 400), (q, path, response.content)
            if response.status_code == 400:
                assert response.json()["error"]["field"] == "q", (q, path)
