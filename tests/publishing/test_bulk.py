"""The bulk publisher (publishing/bulk.py) does what Wagtail's publish does.

The reference is Wagtail's own ``revision.publish()`` (our one-by-one path,
``golive.publish_revision_if_due``): twin articles with the same content and
the same scheduled edit are published one each way, and every row either path
writes is compared.
"""

import threading
from datetime import timedelta

import pytest
import wagtail
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from cms.content.models import ArticlePage, RelatedArticle
from publishing import events, golive
from publishing.models import Event
from search.models import PendingIndexUpdate
from tests.factories import ArticlePageFactory, AuthorFactory, CategoryFactory, publish

pytestmark = pytest.mark.django_db

# The Wagtail version test_bulk_publish_writes_what_wagtails_publish_writes last
# passed on. bulk.py imitates that version's PublishPageRevisionAction and
# Page.with_content_json; another version may write rows it does not.
TWIN_TESTED_ON = "8.0.1"

# Fields that differ between two pages by construction (identity, tree position,
# times of the test's own steps) or that point at each page's own revisions.
PER_PAGE = {
    "id",
    "page_ptr",
    "path",
    "url_path",
    "slug",
    "translation_key",
    "latest_revision",
    "live_revision",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "go_live_at",
}


def _twin(section, n, related, categories, suffix):
    page = ArticlePageFactory(
        parent=section,
        title=f"Vitamin D in winter {n}",
        slug=f"vitamin-d-{n}-{suffix}",
        author=AuthorFactory(name="Dr. Ada Byline"),
    )
    page.categories = categories[:2]
    page.tags.add("sunlight", "bones")
    page.related_links = [
        RelatedArticle(article=related[0]),
        RelatedArticle(article=related[1]),
    ]
    return publish(page)


def _schedule_edit(page, related, categories, at):
    """The editor's scheduled change: rename, new intro, body, relations."""
    draft = page.get_latest_revision_as_object()
    draft.title = "Vitamin D in winter, revisited"
    draft.intro = "What the new trials say."
    draft.body = [("paragraph", "<p>New evidence, reviewed.</p>")]
    draft.categories = [categories[1], categories[2]]
    draft.tags.set(["sunlight", "trials"])
    draft.related_links = [
        RelatedArticle(article=related[1]),
        RelatedArticle(article=related[2]),
    ]
    draft.go_live_at = at
    revision = draft.save_revision()
    revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at == at
    return revision


def _schedule_all(pages, at):
    """Each page's current state approved to go live at ``at``, as the admin does."""
    revisions = []
    for page in pages:
        page.go_live_at = at
        revision = page.save_revision()
        revision.publish()
        revisions.append(revision)
    return revisions


def _state(page_id, since, since_event):
    page = ArticlePage.objects.get(id=page_id)
    fields = {
        k: v
        for k, v in model_to_dict(page).items()
        if k not in PER_PAGE | {"tags", "categories"}
    }
    fields["body"] = [
        {k: v for k, v in dict(block).items() if k != "id"}
        for block in page.body.raw_data
    ]
    return {
        "page": fields,
        "live_revision_is_latest_approved": page.live_revision_id
        == page.latest_revision_id,
        "categories": sorted(c.slug for c in page.categories.all()),
        "tags": sorted(t.name for t in page.tags.all()),
        "related": [
            (link.article_id, link.sort_order) for link in page.related_links.all()
        ],
        "pending_schedules": Revision.page_revisions.filter(
            object_id=str(page_id), approved_go_live_at__isnull=False
        ).count(),
        "log": [
            (e.action, e.label, _own_ids_out(e.data), e.content_changed, e.revision_id)
            for e in PageLogEntry.objects.filter(
                page_id=page_id, id__gt=since
            ).order_by("id")
        ],
        "events": [
            (
                e.type,
                {
                    k: v
                    for k, v in e.data.items()
                    if k not in ("id", "slug", "url", "revision_id")
                }
                | {"revision_is_live": e.data["revision_id"] == page.live_revision_id},
            )
            for e in Event.objects.filter(
                type=events.ARTICLE_PUBLISHED, data__id=page_id, id__gt=since_event
            ).order_by("id")
        ],
        "index_pending": PendingIndexUpdate.objects.filter(page_id=page_id).exists(),
    }


def _own_ids_out(data):
    data = dict(data or {})
    if "revision" in data:  # each page's own revision id and time
        data["revision"] = sorted(data["revision"])
    return data


def _normalise_times(state):
    # Both paths stamp the time of their own publish; compare that it is set.
    revisions = sorted({r for *_, r in state["log"] if r is not None})
    state["log"] = [
        (*entry[:-1], revisions.index(entry[-1]) if entry[-1] else None)
        for entry in state["log"]
    ]
    for _, data in state["events"]:
        for key in ("published_at", "last_published_at"):
            data[key] = data[key] is not None
    return state


def test_bulk_publish_writes_what_wagtails_publish_writes(section):
    related = [ArticlePageFactory(parent=section) for _ in range(3)]
    for page in related:
        publish(page)
    categories = [CategoryFactory(name=f"News and Blogs {i}") for i in range(3)]
    wagtail_page = _twin(section, 1, related, categories, "wagtail")
    bulk_page = _twin(section, 1, related, categories, "bulk")
    since = PageLogEntry.objects.order_by("-id").values_list("id", flat=True)[0]
    since_event = Event.objects.order_by("-id").values_list("id", flat=True)[0]
    at = timezone.now() + timedelta(seconds=60)
    wagtail_rev = _schedule_edit(wagtail_page, related, categories, at)
    bulk_rev = _schedule_edit(bulk_page, related, categories, at)
    PendingIndexUpdate.objects.all().delete()
    later = at + timedelta(seconds=1)

    assert golive.publish_revision_if_due(wagtail_rev.id, now=later) is True
    assert golive.publish_revisions_if_due([bulk_rev.id], now=later) == [bulk_rev.id]

    theirs = _normalise_times(_state(wagtail_page.id, since, since_event))
    ours = _normalise_times(_state(bulk_page.id, since, since_event))
    # Each path's own rows first, so that a difference names what differs.
    for key in theirs:
        assert ours[key] == theirs[key], key
    assert ours["page"]["title"] == "Vitamin D in winter, revisited"
    assert ours["tags"] == ["sunlight", "trials"]
    assert [a for a, _ in ours["related"]] == [related[1].id, related[2].id]
    assert [
        action
        for action, *_ in ours["log"]
        if "publish" in action or "rename" in action
    ][-2:] == ["wagtail.rename", "wagtail.publish.scheduled"]
    assert len(ours["events"]) == 1
    bulk_page.refresh_from_db()
    assert bulk_page.live_revision_id == bulk_rev.id
    assert bulk_page.last_published_at == later


def test_wagtail_is_the_version_the_twin_test_last_passed_on():
    assert wagtail.__version__ == TWIN_TESTED_ON, (
        f"Wagtail is {wagtail.__version__}; publishing/bulk.py was checked against "
        f"{TWIN_TESTED_ON}. Read the new version's PublishPageRevisionAction and "
        "with_content_json, make bulk.py write what they write, run the twin test "
        "above, then set TWIN_TESTED_ON."
    )


def test_a_batch_publishes_each_due_revision_once(section):
    pages = [ArticlePageFactory(parent=section) for _ in range(12)]
    at = timezone.now() + timedelta(seconds=60)
    revisions = [r.id for r in _schedule_all(pages, at)]
    later = at + timedelta(seconds=1)
    assert sorted(golive.publish_revisions_if_due(revisions, now=later)) == sorted(
        revisions
    )
    assert golive.publish_revisions_if_due(revisions, now=later) == []
    for page in pages:
        page.refresh_from_db()
        assert page.live and not page.has_unpublished_changes
    assert Event.objects.filter(type=events.ARTICLE_PUBLISHED).count() == 12
    assert PageLogEntry.objects.filter(action="wagtail.publish.scheduled").count() == 12


def test_nothing_is_published_before_its_time(section):
    page = ArticlePageFactory(parent=section)
    page.go_live_at = timezone.now() + timedelta(minutes=5)
    revision = page.save_revision()
    revision.publish()
    assert golive.publish_revisions_if_due([revision.id], now=timezone.now()) == []
    page.refresh_from_db()
    assert not page.live


def test_one_invalid_revision_fails_alone(section):
    pages = [ArticlePageFactory(parent=section) for _ in range(3)]
    at = timezone.now() + timedelta(seconds=60)
    revisions = _schedule_all(pages, at)
    broken = revisions[1]
    broken.content["intro"] = "x" * 400  # over the 300-character limit
    broken.save(update_fields=["content"])
    later = at + timedelta(seconds=1)
    done = golive.publish_revisions_if_due([r.id for r in revisions], now=later)
    assert sorted(done) == sorted([revisions[0].id, revisions[2].id])
    pages[1].refresh_from_db()
    assert not pages[1].live
    # Still scheduled: fixed, it goes out on the next sweep.
    assert Revision.objects.get(id=broken.id).approved_go_live_at == at
    assert Event.objects.filter(type=events.ARTICLE_PUBLISHED).count() == 2


def test_a_page_with_an_alias_goes_through_wagtails_own_publish(section, home):
    original, plain = (ArticlePageFactory(parent=section) for _ in range(2))
    publish(original)
    alias = original.create_alias(parent=home, update_slug="alias-of-original")
    at = timezone.now() + timedelta(seconds=60)
    revisions = []
    for page in (original, plain):
        draft = page.get_latest_revision_as_object()
        draft.intro = "Scheduled intro."
        draft.go_live_at = at
        revision = draft.save_revision()
        revision.publish()
        revisions.append(revision.id)
    done = golive.publish_revisions_if_due(revisions, now=at + timedelta(seconds=1))
    assert sorted(done) == sorted(revisions)
    alias.refresh_from_db()
    # Wagtail's publish keeps aliases in step with their original.
    assert alias.specific.intro == "Scheduled intro."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_batches_publish_each_page_once(section):
    pages = [ArticlePageFactory(parent=section) for _ in range(20)]
    at = timezone.now() + timedelta(seconds=60)
    ids = [r.id for r in _schedule_all(pages, at)]
    later = at + timedelta(seconds=1)
    results = []

    def work(chunk):
        try:
            results.extend(golive.publish_revisions_if_due(chunk, now=later))
        finally:
            connection.close()

    # Overlapping chunks, as duplicate deliveries and a second beat produce.
    chunks = [ids, ids[:10], ids[5:], list(reversed(ids)), ids[::2], ids]
    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == sorted(ids)
    assert Event.objects.filter(type=events.ARTICLE_PUBLISHED).count() == 20
    assert PageLogEntry.objects.filter(action="wagtail.publish.scheduled").count() == 20


def test_a_related_post_deleted_before_t_is_dropped_as_wagtail_drops_it(section):
    gone, kept = (publish(ArticlePageFactory(parent=section)) for _ in range(2))
    pages = [ArticlePageFactory(parent=section) for _ in range(2)]
    at = timezone.now() + timedelta(seconds=60)
    revisions = []
    for page in pages:
        page.related_links = [
            RelatedArticle(article=gone),
            RelatedArticle(article=kept),
        ]
        page.go_live_at = at
        revision = page.save_revision()
        revision.publish()
        revisions.append(revision.id)
    gone.delete()
    # The revisions still name the deleted article: the batch's foreign key fails
    # at commit and Wagtail's own publish takes each page, dropping the link.
    done = golive.publish_revisions_if_due(revisions, now=at + timedelta(seconds=1))
    assert sorted(done) == sorted(revisions)
    for page in ArticlePage.objects.filter(id__in=[p.id for p in pages]):
        assert page.live
        assert [link.article_id for link in page.related_links.all()] == [kept.id]
    assert Event.objects.filter(type=events.ARTICLE_PUBLISHED).count() == 4
