"""Builds the demo site from ``demo_data``: idempotent, every feature visible at once.

An object that already exists (matched by slug or title) is left exactly as it is, so
running the loader twice changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.content import demo_data
from cms.content.models import (
    ArticleIndexPage,
    ArticlePage,
    Author,
    Category,
    RelatedArticle,
)
from cms.content.renditions import BODY_IMAGE_SPEC, HERO_SPEC, srcset_specs

SECTION_SLUG = "news"
SECTION_TITLE = "News and Blogs"
HERO_SIZE = (1200, 630)
# One colour pair per hero image; images are drawn here, nothing is downloaded.
HERO_PALETTE = [
    ((22, 96, 136), (120, 200, 190)),
    ((140, 60, 90), (240, 170, 130)),
    ((40, 110, 60), (190, 220, 120)),
    ((70, 60, 140), (170, 160, 230)),
    ((150, 100, 20), (240, 210, 110)),
    ((30, 30, 60), (110, 140, 200)),
]

Progress = Callable[[str], None]


def draw_hero(index: int) -> bytes:
    top, bottom = HERO_PALETTE[index % len(HERO_PALETTE)]
    width, height = HERO_SIZE
    image = PILImage.new("RGB", HERO_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    for ring in range(5):
        r = 90 + ring * 70
        draw.ellipse(
            [width * 0.7 - r, height * 0.45 - r, width * 0.7 + r, height * 0.45 + r],
            outline=(255, 255, 255),
            width=3,
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def ensure_hero_images() -> list:
    Image = get_image_model()
    images = []
    for index in range(len(HERO_PALETTE)):
        title = f"Demo hero {index + 1}"
        image = Image.objects.filter(title=title).first()
        content = ImageFile(io.BytesIO(draw_hero(index)), name=f"hero-{index}.jpg")
        if image is None:
            image = Image.objects.create(title=title, file=content)
        elif not image.file.storage.exists(image.file.name):
            # The database outlived its media (another checkout's var/, a lost
            # volume): draw the original again; its renditions went with it.
            image.renditions.all().delete()
            image.file.save(content.name, content, save=True)
        # Renditions are made ahead, srcset widths included, as on a site that has
        # served its images once: the API then reads them in its one image query.
        image.get_renditions(
            HERO_SPEC,
            BODY_IMAGE_SPEC,
            *srcset_specs(HERO_SPEC, image.width),
            *srcset_specs(BODY_IMAGE_SPEC, image.width),
        )
        images.append(image)
    return images


def ensure_section() -> ArticleIndexPage:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    section = ArticleIndexPage.objects.child_of(home).filter(slug=SECTION_SLUG).first()
    if section is None:
        section = ArticleIndexPage(
            title=SECTION_TITLE,
            slug=SECTION_SLUG,
            intro="Health and wellbeing news, explainers and practical advice.",
        )
        home.add_child(instance=section)
        section.save_revision().publish()
    return section


def build_body(article: dict[str, Any], image) -> list[tuple[str, Any]]:
    body: list[tuple[str, Any]] = []
    for position, section in enumerate(article["sections"]):
        body.append(("heading", {"text": section["heading"], "level": "h2"}))
        for paragraph in section["paragraphs"]:
            body.append(("paragraph", f"<p>{escape(paragraph)}</p>"))
        if position == 0 and article.get("quote"):
            body.append(("quote", article["quote"]))
        if position == 1 and article.get("list"):
            body.append(("list", {"style": "bulleted", "items": article["list"]}))
        if position == 1:
            body.append(
                ("image", {"image": image, "alt": "", "caption": article["title"]})
            )
    body.append(("heading", {"text": "Conclusion", "level": "h2"}))
    body.append(("paragraph", f"<p>{escape(article['conclusion'])}</p>"))
    return body


def new_article(
    section: ArticleIndexPage,
    article: dict[str, Any],
    authors: dict[str, Author],
    categories: dict[str, Category],
    image,
) -> ArticlePage:
    page = ArticlePage(
        title=article["title"],
        slug=article["slug"],
        intro=article["intro"],
        hero_image=image,
        hero_image_alt="An abstract illustration in soft colours",
        body=build_body(article, image),
        author=authors[article["author"]],
        live=False,
    )
    page.categories = [categories[slug] for slug in article["categories"]]
    page.tags.set(article["tags"])
    section.add_child(instance=page)
    return page


@transaction.atomic
def load_demo(progress: Progress = lambda message: None) -> dict[str, int]:
    created = {"authors": 0, "categories": 0, "articles": 0}
    authors = {}
    for data in demo_data.AUTHORS:
        authors[data["slug"]], made = Author.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
        )
        created["authors"] += made
    categories = {}
    for data in demo_data.CATEGORIES:
        categories[data["slug"]], made = Category.objects.get_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "description": data["description"]},
        )
        created["categories"] += made
    images = ensure_hero_images()
    section = ensure_section()
    existing = set(ArticlePage.objects.child_of(section).values_list("slug", flat=True))
    now = timezone.now()
    everything = [
        *demo_data.ARTICLES,
        demo_data.DRAFT_ARTICLE,
        demo_data.SCHEDULED_ARTICLE,
        demo_data.EXPIRED_ARTICLE,
    ]
    fresh: dict[str, ArticlePage] = {}
    for index, data in enumerate(everything):
        if data["slug"] in existing:
            continue
        fresh[data["slug"]] = new_article(
            section, data, authors, categories, images[index % len(images)]
        )
        progress(f"[{index + 1}/{len(everything)}] {data['title']}")
    if not fresh:
        return created
    by_slug = {p.slug: p for p in ArticlePage.objects.child_of(section)}
    for data in everything:
        page = fresh.get(data["slug"])
        if page is None:
            continue
        page.related_links = [
            RelatedArticle(article=by_slug[slug], sort_order=order)
            for order, slug in enumerate(data.get("related", []))
            if slug in by_slug
        ]
        published_at = now - timedelta(days=data["days_ago"])
        page.display_date = published_at.date()
        if data is demo_data.DRAFT_ARTICLE:
            page.save_revision()
            continue
        if data is demo_data.SCHEDULED_ARTICLE:
            page.go_live_at = now + timedelta(days=data["days_ago"])
            page.display_date = page.go_live_at.date()
            page.save_revision().publish()
            continue
        page.save_revision().publish()
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=published_at, last_published_at=published_at
        )
        if data is demo_data.EXPIRED_ARTICLE:
            page.refresh_from_db()
            page.expire_at = now - timedelta(days=1)
            page.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
    created["articles"] = len(fresh)
    return created


def demo_section() -> Page | None:
    return ArticleIndexPage.objects.filter(slug=SECTION_SLUG).first()
