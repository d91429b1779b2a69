"""An editor works in the admin; a reader sees the reference front end change.

Each step checks the front end's answer at an article's URL before and after an
editor's action: the page is first served from Next's cache (x-nextjs-cache:
HIT), and only the revalidation webhook, signed by the CMS and verified by the
front end, can make it change.

The steps run as one test, each on an article of its own: the CMS's processes
live through the test, and the flush that ends a transactional test would leave
them holding ids (content types, the site's root) that no longer exist.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page
from wagtail.models import Site as WagtailSite

from cms.content.models import ArticlePage
from publishing.management.commands.register_webhook import FRONT_END_EVENTS
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    CategoryFactory,
    publish,
)
from tests.frontend.conftest import PASSWORD, wait_until

# What a reader and an editor saw, to look at after a run (not committed: each run's
# articles differ).
SHOTS = Path(settings.BASE_DIR) / "var" / "test-shots"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    # Committed, for the processes; the database is emptied after the test and the
    # migrations' rows restored (as every transactional test here does: one that
    # flushed without restoring would leave the next with new content type ids).
    # site_root() makes the default site again if an earlier flush took it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def site_root():
    """The default site's root page, with what Wagtail's migrations make (a locale,
    the root collection, the tree's root and a site), made again after the flush
    that ends a transactional test."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    site = WagtailSite.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_page
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root")
    )
    home = root.add_child(instance=Page(title="Home", slug="home"))
    WagtailSite.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    return home


@pytest.fixture
def section(site, receiver):
    home = site_root()
    slug = f"e2e-{secrets.token_hex(3)}"
    return ArticleIndexPageFactory(parent=home, title="Front-end tests", slug=slug)


@pytest.fixture
def editor(transactional_db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = get_user_model().objects.create_superuser("e2e-editor", "e2e@example.com")
    # Hashed as the web server's settings hash (the suite's use MD5, for speed).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "e2efrontend")
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def admin(page, site, editor):
    page.goto(f"{site.cms}/admin/login/")
    page.fill("#id_username", "e2e-editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.cms}/admin/")
    return page


def new_article(section, live: bool, **fields) -> ArticlePage:
    word = secrets.token_hex(4)
    fields.setdefault("title", f"Article {word}")
    fields.setdefault("slug", f"article-{word}")
    article = ArticlePageFactory(parent=section, live=False, **fields)
    if live:
        publish(article)
    else:
        article.save_revision()
    return article


def cached(site, path: str) -> str:
    """The front end's page at ``path``, once it is served from Next's cache and
    every webhook owed is delivered."""
    deliveries_settled()

    def hit():
        status, headers, body = site.page(path)
        return headers.get("x-nextjs-cache") == "HIT" and (status, body)

    found = wait_until(hit, timeout=60)
    assert found, f"{path} never served from Next's cache: {site.page(path)[:2]}"
    return found


def new_reader(admin):
    """A page in a browser context of its own: a reader, without the editor's
    session or draft-mode cookies (the preview panel sets them)."""
    return admin.context.browser.new_context().new_page()


def deliveries_settled(timeout: float = 30) -> None:
    """Wait until every webhook the CMS owes the front end has been delivered, so
    that a late delivery of an earlier event cannot pass for the next one's."""
    from publishing.models import Event
    from publishing.webhooks.models import Delivery

    def settled():
        owed = Event.objects.filter(type__in=FRONT_END_EVENTS).count()
        pending = Delivery.objects.filter(status="pending").exists()
        return not pending and Delivery.objects.count() >= owed

    assert wait_until(settled, timeout=timeout), "webhooks still pending"


def publish_in_admin(admin, site, article_id: int) -> None:
    admin.goto(f"{site.cms}/admin/pages/{article_id}/edit/")
    footer = admin.locator("footer")
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    footer.locator("button[name=action-publish]").click()
    admin.wait_for_url(f"{site.cms}/admin/pages/**")


def an_article_published_in_the_admin_appears_on_the_front_end(site, section, admin):
    article = new_article(section, live=False)
    url = f"/{section.slug}/{article.slug}/"
    status, _ = cached(site, url)
    assert status == 404  # a draft: the front end's 404, kept in its cache

    publish_in_admin(admin, site, article.pk)

    shown = wait_until(lambda: site.page(url)[0] == 200, timeout=20)
    assert shown, f"{url} still not on the front end: {site.page(url)[:2]}"
    reader = new_reader(admin)
    reader.goto(site.front + url)
    assert reader.locator("h1").inner_text() == article.title
    shot(reader, "frontend-article.png")
    # The home page lists it too (revalidated by the same event).
    reader.goto(site.front + "/")
    assert reader.locator(f"[data-article='{article.slug}']").count() == 1
    shot(reader, "frontend-home.png")
    status, body = cached(site, url)
    assert status == 200 and article.title in body


def an_edit_and_republish_shows_the_new_text(site, section, admin):
    article = new_article(section, live=True)
    url = article.url_path and f"/{section.slug}/{article.slug}/"
    status, body = cached(site, url)
    assert status == 200 and "A short introduction." in body

    admin.goto(f"{site.cms}/admin/pages/{article.pk}/edit/")
    admin.fill("#id_intro", "Rewritten after the first publish.")
    footer = admin.locator("footer")
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    footer.locator("button[name=action-publish]").click()
    admin.wait_for_url(f"{site.cms}/admin/pages/**")

    assert wait_until(
        lambda: "Rewritten after the first publish." in site.page(url)[2], timeout=20
    ), site.page(url)[2][:500]
    reader = new_reader(admin)
    reader.goto(site.front + url)
    assert "Rewritten after the first publish." in reader.locator(".intro").inner_text()


def an_unpublish_gives_the_front_ends_404(site, section, admin):
    article = new_article(section, live=True)
    url = f"/{section.slug}/{article.slug}/"
    assert cached(site, url)[0] == 200

    admin.goto(f"{site.cms}/admin/pages/{article.pk}/unpublish/")
    admin.get_by_role("button", name="Yes, unpublish it").click()
    admin.wait_for_url(f"{site.cms}/admin/pages/**")

    assert wait_until(lambda: site.page(url)[0] == 404, timeout=20), site.page(url)[:2]
    reader = new_reader(admin)
    reader.goto(site.front + url)
    assert reader.locator("[data-not-found]").is_visible()
    shot(reader, "frontend-404.png")


def the_preview_panel_shows_the_draft_through_the_front_end(site, section, admin):
    article = new_article(section, live=True)
    url = f"/{section.slug}/{article.slug}/"
    assert cached(site, url)[0] == 200

    admin.goto(f"{site.cms}/admin/pages/{article.pk}/edit/")
    admin.fill("#id_title", "A draft title no reader has seen")
    admin.locator(
        "footer button[name=action-save], footer button:has-text('Save draft')"
    ).first.click()
    admin.wait_for_url(f"{site.cms}/admin/pages/{article.pk}/edit/**")
    admin.click("[data-side-panel-toggle=preview]")
    frame = admin.frame_locator("#w-preview-iframe")
    frame.locator("[data-preview]").wait_for()
    assert frame.locator("h1").inner_text() == "A draft title no reader has seen"
    # The panel's frame is the front end itself, at the article's own URL.
    frames = [frame.url for frame in admin.frames]
    assert site.front + url in frames, frames
    shot(admin, "frontend-preview-panel.png")

    # Readers still get the live article, from the cache.
    status, body = cached(site, url)
    assert status == 200 and article.title in body
    assert "A draft title no reader has seen" not in body


def a_renamed_articles_old_url_redirects_to_the_new_one(site, section, admin):
    article = new_article(section, live=True)
    old = f"/{section.slug}/{article.slug}/"
    assert cached(site, old)[0] == 200

    admin.goto(f"{site.cms}/admin/pages/{article.pk}/edit/")
    admin.click("#tab-label-promote")
    admin.fill("#id_slug", f"{article.slug}-renamed")
    footer = admin.locator("footer")
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    footer.locator("button[name=action-publish]").click()
    admin.wait_for_url(f"{site.cms}/admin/pages/**")

    new = f"/{section.slug}/{article.slug}-renamed/"

    def redirected():
        status, headers, _ = site.page(old)
        return status in (301, 307, 308) and headers.get("location", "").endswith(new)

    assert wait_until(redirected, timeout=20), site.page(old)[:2]
    reader = new_reader(admin)
    response = reader.goto(site.front + old)
    chain = []
    request = response.request if response else None
    while request is not None:
        chain.append(request.url)
        request = request.redirected_from
    assert reader.url == site.front + new, (chain, reader.content()[:1500])
    assert reader.locator("h1").inner_text() == article.title


def a_category_rename_updates_the_article_page(site, section, admin):
    category = CategoryFactory(name="E2E Sleep", slug=f"e2e-{secrets.token_hex(3)}")
    article = new_article(section, live=False)
    article.categories.add(category)
    publish(article)
    url = f"/{section.slug}/{article.slug}/"
    status, body = cached(site, url)
    assert status == 200 and "E2E Sleep" in body

    category.name = "E2E Rest and Sleep"
    category.save()

    assert wait_until(lambda: "E2E Rest and Sleep" in site.page(url)[2], timeout=20), (
        "the article page still shows the old category name"
    )
    reader = new_reader(admin)
    reader.goto(site.front + url)
    assert "E2E Rest and Sleep" in reader.locator("[data-categories]").inner_text()


STEPS = [
    an_article_published_in_the_admin_appears_on_the_front_end,
    an_edit_and_republish_shows_the_new_text,
    an_unpublish_gives_the_front_ends_404,
    the_preview_panel_shows_the_draft_through_the_front_end,
    a_renamed_articles_old_url_redirects_to_the_new_one,
    a_category_rename_updates_the_article_page,
]


def test_an_editors_actions_reach_the_readers_of_the_front_end(site, section, admin):
    """Publish → appears; edit and republish → new text; unpublish → 404; the
    preview panel shows the draft through the front end; a rename redirects the old
    URL; a category rename updates the article page (article.updated)."""
    failures = []
    for step in STEPS:
        try:
            step(site, section, admin)
        except Exception as exc:  # every step runs; all failures are reported
            failures.append(f"{step.__name__}: {exc!r}"[:2000])
    assert not failures, "\n\n".join(failures)
