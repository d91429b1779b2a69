"""An editor's day in the admin, in a real Chromium, with a real worker and beat.

Log in; write an article (body blocks, a category, tags, two related posts); schedule
it about 10 s ahead, to the second, with the go-live field; see it in the calendar;
watch it go live through the delivery API; build and schedule a release; cancel a
schedule from the calendar; see the failing webhook endpoint on the dashboard.
(docs/'s screenshots come from test_first_contact.py, on the embedded default.)
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from cms.content.models import ArticlePage
from publishing import planning
from publishing.models import Release
from publishing.webhooks.models import Endpoint
from publishing.webhooks.signing import generate_secret
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, publish
from tests.support import processes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(tempfile.gettempdir()) / "cms-browser-journey"
SHOTS.mkdir(exist_ok=True)
PASSWORD = "a-long-test-password"


def local(at) -> str:
    return timezone.localtime(at, ZoneInfo(settings.TIME_ZONE)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


# The harness's poll, at this journey's pace.
wait_for = partial(processes.wait_for, interval=0.25)


def shot(page, name: str, locator=None) -> Path:
    # docs/'s screenshots come from the embedded default (test_first_contact.py);
    # these stay with the run's logs.
    path = SHOTS / name
    if locator is None:
        page.screenshot(path=str(path), full_page=True)
    else:
        locator.screenshot(path=str(path))
    return path


@pytest.fixture
def newsroom(django_user_model):
    from wagtail.models import Site

    from tests.factories import CategoryFactory

    django_user_model.objects.create_superuser("editor", "ed@example.com", PASSWORD)
    home = Site.objects.get(is_default_site=True).root_page
    section = ArticleIndexPageFactory(parent=home, title="News", slug="news")
    sleep = CategoryFactory(name="Sleep", slug="sleep")
    picks = []
    for title in ("Magnesium basics", "Evening light"):
        article = ArticlePageFactory(parent=section, title=title)
        article.categories.set([sleep])
        picks.append(publish(article))
    draft = ArticlePageFactory(parent=section, title="Spring launch piece", live=False)
    draft.save_revision()
    later = ArticlePageFactory(parent=section, title="Scheduled for later", live=False)
    planning.schedule_article(later, timezone.now() + timedelta(hours=2), None)
    # Nothing listens on this port: every attempt fails, the endpoint is "failing".
    endpoint = Endpoint.objects.create(
        url="http://127.0.0.1:9/hooks/cms", secret=generate_secret()
    )
    return {
        "section": section,
        "category": sleep,
        "picks": picks,
        "draft": draft,
        "later": later,
        "endpoint": endpoint,
    }


def log_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def choose_page(page, chooser_button, title: str) -> None:
    chooser_button.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=title).first.click()
    modal.wait_for(state="hidden")


def write_article(page, base: str, newsroom) -> None:
    section = newsroom["section"]
    page.goto(f"{base}/admin/pages/add/content/articlepage/{section.id}/")
    page.fill("#id_title", "Sleep and the seasons")
    page.fill("#id_intro", "How the length of the day changes how we sleep.")
    # Body: a heading and a paragraph, through the StreamField block picker.
    body = page.locator("[data-contentpath=body]")
    body.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Heading").click()
    body.locator("input[name$='-value-text']").first.fill("Light in the morning")
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = body.locator("[contenteditable=true]").last
    editor.click()
    editor.type("Morning light sets the body clock for the whole day.")
    page.check(f"input[name=categories][value='{newsroom['category'].id}']")
    tags = page.locator("[data-contentpath=tags] input:visible").first
    for tag in ("sleep", "light"):
        tags.fill(tag)
        tags.press("Enter")
    for pick in newsroom["picks"]:
        page.click("#id_related_links-ADD")
        form = page.locator("[id^=inline_child_related_links-]:visible").last
        choose_page(page, form.get_by_role("button", name="Choose"), pick.title)


def set_date_field(page, selector: str, value: str) -> None:
    """Type a time into an admin date field without opening its picker: the
    picker pops over the form and swallows the next click (a flaky overlay, not
    behaviour under test)."""
    page.locator(selector).evaluate(
        "(el, value) => { el.value = value;"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def schedule_with_go_live(page, seconds_ahead: float):
    """Status panel → "Set schedule" → go-live → "Save schedule"; then Publish."""
    page.click("[data-side-panel-toggle=status]")
    page.get_by_role("button", name="Set schedule").click()
    # The go-live field takes seconds (WAGTAIL_DATETIME_FORMAT).
    go_live = (timezone.now() + timedelta(seconds=seconds_ahead)).replace(microsecond=0)
    set_date_field(page, "#id_go_live_at", local(go_live))
    page.get_by_role("button", name="Save schedule").click()
    page.wait_for_url("**/edit/**")
    footer = page.locator("footer")
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    footer.locator("button[name=action-publish]").click()
    page.wait_for_load_state()
    return go_live


def test_an_editor_schedules_releases_and_watches_the_pipeline(
    live_server, pipeline, page, newsroom
):
    base = live_server.url
    log_in(page, base)

    write_article(page, base, newsroom)
    go_live = schedule_with_go_live(page, 10)
    article = wait_for(
        lambda: ArticlePage.objects.filter(title="Sleep and the seasons").first(), 10
    )
    assert not article.live, (article.go_live_at, article.first_published_at, go_live)
    assert [r.article_id for r in article.related_links.all()] == [
        p.id for p in newsroom["picks"]
    ]
    assert sorted(article.tags.names()) == ["light", "sleep"]

    # The calendar shows it, at its local time, before it goes live.
    today = timezone.localtime(go_live, ZoneInfo(settings.TIME_ZONE)).date()
    page.goto(f"{base}/admin/publishing/calendar/?view=day&date={today}")
    row = page.locator(f"[data-calendar-item='publish-{article.id}']")
    assert row.is_visible()
    assert local(go_live)[11:] in row.inner_text()

    # The worker publishes it at its time: the delivery API serves it.
    url = f"{base}/api/v1/articles/{article.slug}/"
    assert requests.get(url, timeout=5).status_code == 404
    assert wait_for(lambda: requests.get(url, timeout=5).status_code == 200, 90)
    detail = requests.get(url, timeout=5).json()
    assert [r["title"] for r in detail["related"][:2]] == [
        p.title for p in newsroom["picks"]
    ]

    # A release: created in the admin, its article chosen, scheduled an hour ahead.
    page.goto(f"{base}/admin/publishing/releases/add/")
    page.fill("#id_title", "Spring launch")
    set_date_field(page, "#id_publish_at", local(timezone.now() + timedelta(hours=1)))
    page.click("#id_items-ADD")
    form = page.locator("[id^=inline_child_items-]:visible").last
    choose_page(page, form.get_by_role("button", name="Choose"), "Spring launch piece")
    page.get_by_role("button", name="Save").first.click()
    release = wait_for(
        lambda: Release.objects.filter(title="Spring launch").first(), 10
    )
    page.goto(f"{base}/admin/publishing/releases/{release.id}/")
    page.get_by_role("button", name="Schedule release").click()
    status = page.locator("[data-release-status]")
    status.wait_for()
    assert status.get_attribute("data-release-status") == "scheduled"
    shot(page, "admin-release.png")

    # The calendar's week: the release and the later article; cancel the article.
    page.goto(f"{base}/admin/publishing/calendar/?view=week")
    assert page.locator(f"[data-calendar-item='release-{release.id}']").is_visible()
    later = page.locator(f"[data-calendar-item='publish-{newsroom['later'].id}']")
    assert later.is_visible()
    went_live = page.locator("[data-went-live]")
    assert "Sleep and the seasons" in went_live.inner_text()
    shot(page, "admin-calendar.png")
    later.get_by_role("button", name="Cancel").click()
    page.wait_for_load_state()
    assert later.count() == 0
    assert planning.pending_publication(newsroom["later"].id) is None

    # The dashboard: worker seen, and the endpoint that failed the publish event.
    def failing_shown():
        page.goto(f"{base}/admin/")
        return (
            newsroom["endpoint"].url
            in page.locator("[data-failing-endpoints]").inner_text()
        )

    assert wait_for(failing_shown, 30, interval=1)
    panel = page.locator("#pipeline-health-section, [data-pipeline-health]").first
    shot(page, "admin-health.png", page.locator("section:has([data-pipeline-health])"))
    assert "browser@" in panel.inner_text()
