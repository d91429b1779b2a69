"""Which way a due revision goes live, and what the batch does besides writing rows.

The batch writer (publishing/bulk.py) leaves to Wagtail's own publish the pages
whose publish has side effects only Wagtail handles: a slug change, comments, a
workflow in progress, a site root (aliases: test_bulk.py). Each still goes live
in the same call, one by one. And a batch does what the one-by-one path's
listeners and Wagtail's save do: the response cache bumped, the stored documents
rendered, the reference index updated.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import (
    Comment,
    GroupApprovalTask,
    ReferenceIndex,
    Site,
    Workflow,
    WorkflowTask,
)

from cms.content.models import ArticleDocument, RelatedArticle
from delivery.cache import content_version
from publishing import bulk, golive
from tests.factories import ArticlePageFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def written_in_bulk(monkeypatch):
    """The ids of the pages the batch writer wrote itself."""
    written = []
    original = bulk._publish_pages

    def spy(batch, now):
        written.extend(page.pk for page, _ in batch)
        return original(batch, now)

    monkeypatch.setattr(bulk, "_publish_pages", spy)
    return written


def schedule(page, at, **changes):
    """The page's latest content, changed so, approved to go live at ``at``."""
    draft = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.go_live_at = at
    revision = draft.save_revision()
    revision.publish()
    return revision


def go_live_with_a_plain_twin(section, special, at, **changes):
    """Publish ``special``'s scheduled revision in one batch with a plain article's;
    both must go live."""
    plain = publish(ArticlePageFactory(parent=section))
    revisions = [
        schedule(special, at, **changes).id,
        schedule(plain, at, intro="Plain, scheduled.").id,
    ]
    done = golive.publish_revisions_if_due(revisions, now=at + timedelta(seconds=1))
    assert sorted(done) == sorted(revisions)
    special.refresh_from_db()
    plain.refresh_from_db()
    assert special.live and not special.has_unpublished_changes
    assert plain.intro == "Plain, scheduled."
    return plain


@pytest.fixture
def at():
    return timezone.now() + timedelta(seconds=60)


def test_a_slug_change_goes_through_wagtails_own_publish(section, at, written_in_bulk):
    page = publish(ArticlePageFactory(parent=section, slug="old-slug"))
    plain = go_live_with_a_plain_twin(section, page, at, slug="new-slug")
    assert written_in_bulk == [plain.pk]
    assert page.slug == "new-slug"
    assert page.url_path.endswith("/new-slug/")


def test_a_page_with_comments_goes_through_wagtails_own_publish(
    section, at, written_in_bulk, admin_user
):
    page = publish(ArticlePageFactory(parent=section))
    Comment.objects.create(
        page=page, user=admin_user, text="Check this figure.", contentpath="title"
    )
    plain = go_live_with_a_plain_twin(section, page, at, intro="Commented, fixed.")
    assert written_in_bulk == [plain.pk]
    assert page.intro == "Commented, fixed."
    assert Comment.objects.filter(page=page).count() == 1


def test_a_page_in_a_workflow_goes_through_wagtails_own_publish(
    section, at, written_in_bulk, admin_user
):
    page = publish(ArticlePageFactory(parent=section))
    workflow = Workflow.objects.create(name="Second look")
    task = GroupApprovalTask.objects.create(name="Editor approves")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(page, admin_user)
    plain = go_live_with_a_plain_twin(section, page, at, intro="Reviewed later.")
    assert written_in_bulk == [plain.pk]
    assert page.intro == "Reviewed later."


def test_a_site_root_goes_through_wagtails_own_publish(section, at, written_in_bulk):
    page = publish(ArticlePageFactory(parent=section))
    Site.objects.create(hostname="campaign.example", port=80, root_page=page)
    plain = go_live_with_a_plain_twin(section, page, at, intro="Campaign home.")
    assert written_in_bulk == [plain.pk]
    assert page.intro == "Campaign home."


def test_a_batch_bumps_the_cache_renders_documents_and_updates_the_reference_index(
    section, at, written_in_bulk, django_capture_on_commit_callbacks
):
    other = publish(ArticlePageFactory(parent=section, title="Linked to later"))
    pages = [publish(ArticlePageFactory(parent=section)) for _ in range(2)]
    revisions = [
        schedule(page, at, related_links=[RelatedArticle(article=other)]).id
        for page in pages
    ]
    assert not ReferenceIndex.get_references_to(other).exists()
    version = content_version()

    with django_capture_on_commit_callbacks(execute=True):
        done = golive.publish_revisions_if_due(revisions, now=at + timedelta(seconds=1))

    assert sorted(done) == sorted(revisions)
    assert sorted(written_in_bulk) == sorted(page.pk for page in pages)
    assert content_version() > version
    for page in pages:
        page.refresh_from_db()
        document = ArticleDocument.objects.get(page=page)
        assert document.revision_id == page.live_revision_id
    referring = {int(ref.object_id) for ref in ReferenceIndex.get_references_to(other)}
    assert referring == {page.pk for page in pages}
