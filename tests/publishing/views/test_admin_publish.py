"""The admin's "Publish" for articles (cms/content/edit_view.py): the saved page is
published as Wagtail's own publish would publish its revision, in one transaction."""

import re
from datetime import UTC, datetime

import pytest
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import PageLogEntry
from wagtail.signals import page_published
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.content.edit_view import ArticleEditView
from cms.content.models import ArticlePage
from cms.tasks_backend import run_django_task, run_django_tasks
from publishing.models import Event
from tests.factories import ArticlePageFactory, AuthorFactory, CategoryFactory, publish

pytestmark = pytest.mark.django_db

# Summer, so that a datetime read back in the default time zone (Europe/London,
# +01:00) prints differently from the same instant in UTC.
FIRST_PUBLISHED = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
# What differs between two articles published a moment apart (body: compared apart).
PER_PAGE_FIELDS = {
    "id", "page_ptr_id", "path", "title", "draft_title", "slug", "url_path",
    "translation_key", "latest_revision_id", "live_revision_id", "last_published_at",
    "latest_revision_created_at", "body",
}  # fmt: skip
PER_PAGE_EVENT_KEYS = {"id", "slug", "url", "title", "revision_id", "last_published_at"}


def twin(section, title):
    page = ArticlePageFactory(parent=section, title=title)
    page.tags.add("sleep", "magnesium")
    publish(page)
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=FIRST_PUBLISHED)
    return ArticlePage.objects.get(pk=page.pk)


def post_publish(client, page, author, category, picks):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "A new introduction.",
            "body": streamfield([("paragraph", rich_text("<p>New text.</p>"))]),
            "author": author.pk,
            "categories": [category.pk],
            "tags": "sleep, rest",
            "related_links": {
                "TOTAL_FORMS": str(len(picks)), "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "5",
                **{
                    str(n): {"article": p.pk, "ORDER": str(n + 1), "id": ""}
                    for n, p in enumerate(reversed(picks))
                },
            },
            "action-publish": "action-publish",
        }
    )  # fmt: skip
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def state(page: ArticlePage) -> dict:
    page = ArticlePage.objects.get(pk=page.pk)
    event = Event.objects.filter(type="article.published", data__id=page.pk).latest(
        "id"
    )
    return {
        "row": {
            f.attname: getattr(page, f.attname)
            for f in page._meta.concrete_fields
            if f.attname not in PER_PAGE_FIELDS
        },
        "live_is_latest": page.live_revision_id == page.latest_revision_id,
        "body": [
            # Draftail numbers each paragraph at random (data-block-key).
            (block["type"], re.sub(r' data-block-key="\w+"', "", block["value"]))
            for block in page.body.get_prep_value()
        ],
        "tags": sorted(page.tags.names()),
        "related": [link.article_id for link in page.related_links.all()],
        "categories": sorted(page.categories.values_list("pk", flat=True)),
        "log": list(
            PageLogEntry.objects.filter(page=page)
            .order_by("id")
            .values_list("action", "content_changed")
        ),
        "event": {k: v for k, v in event.data.items() if k not in PER_PAGE_EVENT_KEYS},
        "event_revision_is_live": event.data["revision_id"] == page.live_revision_id,
    }


def test_admin_publish_leaves_what_wagtails_publish_of_the_revision_leaves(
    admin_client, section, monkeypatch
):
    picks = [publish(ArticlePageFactory(parent=section)) for _ in range(2)]
    ours = twin(section, "Ours")
    stock = twin(section, "Stock")
    author, category = AuthorFactory(), CategoryFactory()

    assert post_publish(admin_client, ours, author, category, picks).status_code == 302
    with monkeypatch.context() as m:
        m.setattr(ArticleEditView, "publish_action", EditView.publish_action)
        response = post_publish(admin_client, stock, author, category, picks)
    assert response.status_code == 302

    assert state(ours) == state(stock)
    assert state(ours)["event"]["published_at"] == "2026-07-01T13:00:00+01:00"


def test_admin_publish_does_not_rebuild_the_page_from_its_revision(
    admin_client, section, monkeypatch
):
    page = twin(section, "Ours")
    rebuilt = []
    original = ArticlePage.from_serializable_data.__func__
    monkeypatch.setattr(
        ArticlePage,
        "from_serializable_data",
        classmethod(lambda cls, *a, **k: rebuilt.append(1) or original(cls, *a, **k)),
    )
    response = post_publish(admin_client, page, AuthorFactory(), CategoryFactory(), [])
    assert response.status_code == 302
    assert rebuilt == []
    page.refresh_from_db()
    assert page.intro == "A new introduction."
    assert page.live_revision_id == page.latest_revision_id


def test_admin_publish_that_fails_half_way_leaves_nothing(admin_client, section):
    page = twin(section, "Ours")
    revisions = page.revisions.count()

    def fail(**kwargs):
        raise RuntimeError("a subscriber broke")

    page_published.connect(fail, sender=ArticlePage, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError):
            post_publish(admin_client, page, AuthorFactory(), CategoryFactory(), [])
    finally:
        page_published.disconnect(sender=ArticlePage, dispatch_uid="test-fail")
    page.refresh_from_db()
    assert page.revisions.count() == revisions
    assert page.intro == "A short introduction."
    # Only the event of the first publish (twin()).
    assert Event.objects.filter(type="article.published", data__id=page.pk).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_publish_hands_its_background_work_over_in_one_message(
    admin_client, section, monkeypatch, settings
):
    page = twin(section, "Ours")
    author, category = AuthorFactory(), CategoryFactory()
    settings.TASKS = {"default": {"BACKEND": "cms.tasks_backend.CeleryBackend"}}
    sent = []
    for celery_task in (run_django_task, run_django_tasks):
        monkeypatch.setattr(
            celery_task,
            "apply_async",
            lambda _n=celery_task.name, **kw: sent.append(_n),
        )
    response = post_publish(admin_client, page, author, category, [])
    assert response.status_code == 302
    assert sent == [run_django_tasks.name]
