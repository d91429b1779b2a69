"""An event for every change (CONTRACT section 4): ``article.updated`` when what an
article shows changes without a publish of its own, the unpublish ``reason``,
``previous_url``; each written in the transaction of the change (the outbox) with
its change-log line (sync)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import wagtail_factories
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.content.models import ArticlePage
from cms.content.models.pages import RelatedArticle
from publishing import events
from publishing.golive import unpublish_page_if_expired
from publishing.models import ArticleChange, Event
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    CategoryFactory,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def article(section):
    return publish(ArticlePageFactory(parent=section, title="Magnesium"))


@pytest.fixture
def sport(home):
    return ArticleIndexPageFactory(parent=home, title="Sport", slug="sport")


def events_of(event_type: str) -> list[dict]:
    return [e.data for e in Event.objects.filter(type=event_type).order_by("id")]


def updated_ids() -> list[int]:
    return [d["id"] for d in events_of(events.ARTICLE_UPDATED)]


def last_change(article_id: int) -> ArticleChange:
    return ArticleChange.objects.filter(article_id=article_id).latest("id")


# --- reason ---


def test_a_manual_unpublish_says_unpublished(article):
    article.unpublish()
    (data,) = events_of(events.ARTICLE_UNPUBLISHED)
    assert data["reason"] == "unpublished"
    assert data["previous_url"] is None
    assert last_change(article.pk).change == "delete"


def test_an_expiry_says_expired(article):
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    assert unpublish_page_if_expired(article.pk)
    (data,) = events_of(events.ARTICLE_UNPUBLISHED)
    assert data["reason"] == "expired"


def test_a_deletion_says_deleted(article):
    pk = article.pk
    article.delete()
    (data,) = events_of(events.ARTICLE_UNPUBLISHED)
    assert (data["id"], data["reason"]) == (pk, "deleted")
    assert last_change(pk).change == "delete"


def test_an_unpublished_section_hides_its_articles(article, section):
    section.unpublish()
    (data,) = events_of(events.ARTICLE_UNPUBLISHED)
    assert (data["id"], data["reason"]) == (article.pk, "hidden")
    assert last_change(article.pk).change == "delete"
    publish(section)
    assert updated_ids() == [article.pk]
    assert last_change(article.pk).change == "upsert"


def test_a_view_restriction_hides_and_its_removal_shows_again(article, section):
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type="login"
    )
    assert events_of(events.ARTICLE_UNPUBLISHED)[0]["reason"] == "hidden"
    restriction.delete()
    assert updated_ids() == [article.pk]


# --- previous_url ---


def test_a_new_slug_carries_the_previous_url(article):
    article.slug = "magnesium-2"
    publish(article)
    published = events_of(events.ARTICLE_PUBLISHED)
    assert published[0]["previous_url"] is None
    assert published[-1]["url"] == "/news/magnesium-2/"
    assert published[-1]["previous_url"] == "/news/magnesium/"


def test_a_move_is_an_update_with_the_previous_url(article, sport):
    article.move(sport, pos="last-child")
    (data,) = events_of(events.ARTICLE_UPDATED)
    assert data["id"] == article.pk
    assert data["url"] == "/sport/magnesium/"
    assert data["previous_url"] == "/news/magnesium/"
    assert last_change(article.pk).url == "/sport/magnesium/"


# --- article.updated ---


def test_renaming_an_author_updates_each_of_their_live_articles(section):
    author = AuthorFactory(name="Ada")
    one = publish(ArticlePageFactory(parent=section, author=author))
    two = publish(ArticlePageFactory(parent=section, author=author))
    ArticlePageFactory(parent=section, author=author, live=False)  # a draft
    author.name = "Ada L."
    author.save()
    assert sorted(updated_ids()) == sorted([one.pk, two.pk])
    assert last_change(one.pk).change == "upsert"


def test_renaming_a_category_updates_its_articles(article):
    category = CategoryFactory(name="Sleep")
    article.categories.set([category])
    publish(article)
    category.name = "Rest"
    category.save()
    assert updated_ids() == [article.pk]


def test_renaming_a_section_updates_its_articles(article, section):
    publish(section)  # not renamed: no event
    assert updated_ids() == []
    section.title = "News"
    publish(section)
    assert updated_ids() == [article.pk]


def test_replacing_an_image_updates_articles_showing_it(section):
    image = wagtail_factories.ImageFactory()
    hero = publish(ArticlePageFactory(parent=section, hero_image=image))
    body = publish(
        ArticlePageFactory(
            parent=section,
            body=[("image", {"image": image, "alt": "", "caption": ""})],
        )
    )
    publish(ArticlePageFactory(parent=section))  # shows another image
    image.title = "Renamed"
    image.save()
    assert sorted(updated_ids()) == sorted([hero.pk, body.pk])
    image.file_size = 1234  # Wagtail fills this in lazily: changes nothing shown
    image.save(update_fields=["file_size"])
    assert len(updated_ids()) == 2


def test_a_related_post_unpublished_updates_the_articles_that_picked_it(
    article, section
):
    picker = ArticlePageFactory(parent=section, title="Picker")
    RelatedArticle.objects.create(page=picker, article=article)
    publish(picker)
    article.unpublish()
    assert updated_ids() == [picker.pk]


def test_updates_within_a_second_are_one_event(section, sent_tasks):
    author = AuthorFactory(name="Ada")
    article = publish(ArticlePageFactory(parent=section, author=author))
    for name in ("Ada 1", "Ada 2", "Ada 3"):
        author.name = name
        author.save()
    assert updated_ids() == [article.pk]


def test_a_dispatched_update_is_not_joined_by_a_later_one(section, sent_tasks):
    author = AuthorFactory(name="Ada")
    article = publish(ArticlePageFactory(parent=section, author=author))
    author.name = "Ada 1"
    author.save()
    Event.objects.filter(type=events.ARTICLE_UPDATED).update(
        dispatched_at=timezone.now()
    )
    author.name = "Ada 2"
    author.save()
    assert updated_ids() == [article.pk, article.pk]


def test_a_coalesced_event_is_dispatched_one_window_after_commit(
    section, sent_tasks, django_capture_on_commit_callbacks
):
    author = AuthorFactory(name="Ada")
    publish(ArticlePageFactory(parent=section, author=author))
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Ada 1"
        author.save()
    ((args, options),) = sent_tasks[events.DISPATCH_EVENTS_TASK]
    assert options["countdown"] == 1.0
    assert list(args[0]) == [Event.objects.get(type=events.ARTICLE_UPDATED).id]


def test_a_rolled_back_change_leaves_no_event_and_no_change_line(article):
    changes_before = ArticleChange.objects.count()
    events_before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.unpublish()
        raise RuntimeError
    assert ArticleChange.objects.count() == changes_before
    assert Event.objects.count() == events_before
