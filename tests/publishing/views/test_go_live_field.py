"""The editor's go-live field obeys the same release lock as the publishing API."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from publishing import planning, releases
from publishing.models import Release, ReleaseItem

pytestmark = pytest.mark.django_db


def publish_with_go_live(client, article, go_live_at, action="action-publish"):
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "intro": article.intro,
            "body": streamfield([("paragraph", rich_text("<p>New text.</p>"))]),
            "tags": "",
            "related_links": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0",
                              "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "5"},
            "go_live_at": go_live_at.strftime("%Y-%m-%d %H:%M"),
            action: action,
        }
    )  # fmt: skip
    return client.post(f"/admin/pages/{article.pk}/edit/", data)


def hold_in_release(article) -> Release:
    release = Release.objects.create(title="Monday launch")
    ReleaseItem.objects.create(release=release, page=article)
    releases.schedule_release(release, timezone.now() + timedelta(days=2))
    return release


def test_go_live_field_cannot_schedule_an_article_held_by_a_release(
    admin_client, article
):
    hold_in_release(article)
    response = publish_with_go_live(
        admin_client, article, timezone.localtime() + timedelta(days=1)
    )
    assert response.status_code == 200
    assert b"part of a scheduled release" in response.content
    assert planning.pending_publication(article.id) is None


def test_go_live_field_schedules_an_article_outside_releases(admin_client, article):
    response = publish_with_go_live(
        admin_client, article, timezone.localtime() + timedelta(days=1)
    )
    assert response.status_code == 302
    assert planning.pending_publication(article.id) is not None


def test_submitting_for_review_with_a_go_live_is_refused_while_held(
    admin_client, article
):
    hold_in_release(article)
    response = publish_with_go_live(
        admin_client,
        article,
        timezone.localtime() + timedelta(days=1),
        action="action-submit",
    )
    assert response.status_code == 200
    assert b"part of a scheduled release" in response.content
    assert not article.workflow_states.exists()
