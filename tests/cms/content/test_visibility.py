"""The one definition of "public", checked against random trees of pages.

Hypothesis builds sections (live, unpublished, private, expired) holding articles
in every state (live, draft, scheduled, expired, expired-flagged, private); the
public set computed by hand from the rules must equal ``public_articles()`` and what
every door of the API shows.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from cms.content.models import ArticlePage
from cms.content.visibility import public_articles, public_page_ids
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, CategoryFactory

SECTION_STATES = ["live", "unpublished", "private", "expired", "future"]
ARTICLE_STATES = [
    "live",
    "draft",
    "scheduled",
    "expired",
    "expired_flag",
    "expires_later",
    "private",
]

trees = st.lists(
    st.tuples(
        st.sampled_from(SECTION_STATES),
        st.lists(st.sampled_from(ARTICLE_STATES), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=3,
)


def apply_state(page, state: str) -> None:
    now = timezone.now()
    fields = {
        "live": {},
        "unpublished": {"live": False},
        "draft": {"live": False},
        "future": {"live": False, "go_live_at": now + timedelta(days=1)},
        "scheduled": {"live": False, "go_live_at": now + timedelta(hours=1)},
        "expired": {"expire_at": now - timedelta(minutes=1)},
        "expired_flag": {"live": False, "expired": True},
        "expires_later": {"expire_at": now + timedelta(days=1)},
        "private": {},
    }[state]
    if fields:
        type(page).objects.filter(pk=page.pk).update(**fields)
    if state == "private":
        PageViewRestriction.objects.create(
            page=page, restriction_type="password", password="x"
        )


def build_tree(home, tree, category) -> tuple[set[int], dict[int, str]]:
    public: set[int] = set()
    words: dict[int, str] = {}
    for s, (section_state, article_states) in enumerate(tree):
        section = ArticleIndexPageFactory(parent=home, title=f"Section {s}")
        for a, state in enumerate(article_states):
            word = f"word{s}x{a}q"
            article = ArticlePageFactory(
                parent=section, title=f"{word} title", slug=f"s{s}-a{a}"
            )
            article.categories.set([category])
            article.tags.set([word])
            article.save()
            apply_state(article, state)
            words[article.pk] = word
            if section_state == "live" and state in ("live", "expires_later"):
                public.add(article.pk)
        apply_state(section, section_state)
    return public, words


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=trees)
def test_public_articles_match_the_rules_in_every_door(home, tree):
    with transaction.atomic():
        cache.clear()
        category = CategoryFactory(name="All", slug="all")
        public, words = build_tree(home, tree, category)
        client = Client()

        assert set(public_articles().values_list("pk", flat=True)) == public
        assert set(public_page_ids(words)) == public

        listed = client.get("/api/v1/articles/", {"limit": 100}).json()
        assert {r["id"] for r in listed["results"]} == public
        assert listed["count"] == len(public)
        counts = client.get("/api/v1/categories/").json()["results"]
        assert counts[0]["article_count"] == len(public)
        tags = {t["slug"] for t in client.get("/api/v1/tags/").json()["results"]}
        assert tags == {words[pk] for pk in public}
        feed = client.get("/feeds/articles/").content.decode()
        sitemap = client.get("/sitemap.xml").content.decode()
        for pk, word in words.items():
            visible = pk in public
            slug = ArticlePage.objects.get(pk=pk).slug
            detail = client.get(f"/api/v1/articles/{slug}/")
            assert detail.status_code == (200 if visible else 404)
            assert (word in feed) == visible
            assert (f"/{slug}/" in sitemap) == visible
            found = client.get("/api/v1/articles/", {"q": word}).json()["results"]
            assert (pk in {r["id"] for r in found}) == visible
            suggested = client.get("/api/v1/search/suggest/", {"q": word}).json()
            # Suggest is typo-tolerant: similar words may match other articles.
            assert (pk in {r["id"] for r in suggested["results"]}) == visible
        transaction.set_rollback(True)


def test_the_public_set_follows_the_clock_not_when_the_query_was_built(section):
    """The public querysets are built once per process; each query still compares
    with the time it runs at: a go-live and an expiry pass between two queries."""
    import time

    soon = timezone.now() + timedelta(seconds=1)
    ArticlePageFactory(parent=section, title="Goes live", go_live_at=soon)
    going = ArticlePageFactory(parent=section, title="Expires")
    for article in ArticlePage.objects.all():
        article.save_revision().publish()
    ArticlePage.objects.filter(pk=going.pk).update(expire_at=soon)
    coming = ArticlePage.objects.get(title="Goes live")
    # Published with a future go-live: Wagtail keeps it unpublished until the
    # sweep; make it live with its go-live still ahead, as the sweep leaves it.
    ArticlePage.objects.filter(pk=coming.pk).update(live=True)

    def titles():
        return set(public_articles().values_list("title", flat=True))

    def linkable():
        return set(public_page_ids([coming.pk, going.pk]))

    assert titles() == {"Expires"} and linkable() == {going.pk}
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.05)
    assert titles() == {"Goes live"} and linkable() == {coming.pk}


def test_an_unpublished_ancestor_hides_every_level_below_it(home):
    """Hidden two levels up: a plain page holding a live section of live articles."""
    from wagtail.models import Page

    group = home.add_child(instance=Page(title="Group", slug="group"))
    section = ArticleIndexPageFactory(parent=group, title="Inner")
    article = ArticlePageFactory(parent=section, title="Deep")
    assert article.depth == group.depth + 2
    assert set(public_articles().values_list("pk", flat=True)) == {article.pk}

    Page.objects.filter(pk=group.pk).update(live=False)
    assert not public_articles().filter(pk=article.pk).exists()
    assert public_page_ids([section.pk, article.pk]) == {}
    assert Client().get(f"/api/v1/articles/{article.slug}/").status_code == 404


def test_a_section_hides_its_articles_whatever_its_child_count_says(home):
    """Sections are ancestors by type: a stale ``numchild`` (Wagtail's ``fixtree``
    repairs those) does not make an unpublished section's articles public."""
    from wagtail.models import Page

    section = ArticleIndexPageFactory(parent=home, title="Stale count")
    article = ArticlePageFactory(parent=section, title="Under it")
    Page.objects.filter(pk=section.pk).update(live=False, numchild=0)
    assert not public_articles().filter(pk=article.pk).exists()
    assert public_page_ids([article.pk]) == {}


def test_an_article_made_a_parent_in_code_hides_its_children(section):
    """Articles have no subpages in the admin; one given children in code is an
    ancestor all the same (its ``numchild`` counts them)."""
    parent = ArticlePageFactory(parent=section, title="Parent article")
    child = ArticlePageFactory(parent=parent, title="Child article")
    parent.refresh_from_db()
    assert parent.numchild == 1
    assert public_articles().filter(pk=child.pk).exists()

    ArticlePage.objects.filter(pk=parent.pk).update(live=False)
    assert not public_articles().filter(pk=child.pk).exists()
    ArticlePage.objects.filter(pk=parent.pk).update(
        live=True, expire_at=timezone.now() - timedelta(seconds=1)
    )
    assert not public_articles().filter(pk=child.pk).exists()


def test_drafts_beside_public_articles_hide_nothing_but_themselves(section):
    """Drafts, scheduled and expiring articles share their section with public
    ones (the many pages the ancestor check never has to compare with)."""
    live = ArticlePageFactory(parent=section, title="Public")
    draft = ArticlePageFactory(parent=section, title="Draft", live=False)
    later = ArticlePageFactory(
        parent=section,
        title="Later",
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    ArticlePage.objects.filter(pk=later.pk).update(live=True)
    ending = ArticlePageFactory(
        parent=section,
        title="Ending",
        expire_at=timezone.now() + timedelta(hours=1),
    )
    public = set(public_articles().values_list("pk", flat=True))
    assert public == {live.pk, ending.pk}
    assert draft.pk not in public_page_ids([draft.pk, live.pk])
