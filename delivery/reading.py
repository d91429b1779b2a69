"""The CMS's own reading view (CONTRACT.md section 3): a plain, readable site.

Every page URL of a site answers here (cms/urls.py): its home (the latest articles,
narrowed by a category or a tag), each public section (its articles) and each
public article. An article is drawn from the very JSON the delivery API serves for
it (``delivery.api.render_detail``: its stored document, else rendered from the
pages), so what a reader sees here is what a front end gets; the templates are in
``templates/delivery/reading/``.

Any path that is not a public page gets the one 404 page, byte for byte the same for
a draft, a private page, a future or expired one, a page under an unpublished
section and a path that never existed. Pages go through the API's shared response
cache (retired by every publish, delivery/cache.py), with an ETag that browsers
revalidate on each visit, so "View live" right after a publish shows it.

Drafts: Wagtail's preview panel and "View draft" render the page type's template
(``templates/content/article_page.html``), which draws this view for the editor's
unsaved page (:func:`render_draft`); a preview link (``/preview/?token=…``, what
"Copy preview link" and the publishing API hand out when no front end is set) shows
the revision its token names, as ``GET /api/v1/preview/`` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, Site

from cms.api_contract import ApiError
from cms.content.models import ArticleIndexPage, ArticlePage, Category
from cms.content.preview import preview_dates, read_preview_token
from cms.content.visibility import public_articles, public_pages
from cms.digits import ascii_digits
from delivery import ratelimit, serializers
from delivery.api import render_detail, render_preview
from delivery.cache import cached_response
from delivery.ratelimit import client_address
from delivery.richtext import public_url_for_path
from delivery.schemas import ArticleSummary, render

PAGE_SIZE = 20
# Beyond this a listing is a 404: paging that deep is a crawler, not a reader.
MAX_PAGE = 1000
# Widths the layout shows a full-width image at (the column is 42rem).
IMAGE_SIZES = "(max-width: 44rem) 100vw, 42rem"
TEMPLATES = "delivery/reading/"
SLUG = re.compile(r"[-\w]{1,255}")
HTML = "text/html; charset=utf-8"


class NotPublic(Exception):
    """Nothing public answers at that path (or with those parameters)."""


# What packages above delivery draw below a public article (never below a
# preview): each takes the request and the article's document and returns HTML
# rendered through an autoescaping template. comments/apps.py registers the
# reader comments and their form.
ARTICLE_EXTRAS: list[Callable[[HttpRequest, dict], str]] = []


def register_article_extra(extra: Callable[[HttpRequest, dict], str]) -> None:
    if extra not in ARTICLE_EXTRAS:
        ARTICLE_EXTRAS.append(extra)


# --- Routing ----


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """``GET /<path>``: the home, a section or an article; else the one 404."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        response = cached_response(
            request, lambda: (render_path(request, path), None), content_type=HTML
        )
    except NotPublic:
        return not_found(request)
    # Revalidated on every visit (a 304 costs one cache lookup): an editor's "View
    # live" never shows the page as it was before their publish.
    response["Cache-Control"] = "public, no-cache"
    return response


def render_path(request: HttpRequest, path: str) -> bytes:
    site = (
        Site.find_for_request(request)
        or Site.objects.filter(is_default_site=True).first()
    )
    if site is None:
        raise NotPublic(path)
    root = site.root_page
    url_path = root.url_path + path
    page = (
        public_pages()
        .filter(url_path=url_path)
        .only("pk", "slug", "url_path", "path", "depth", "content_type")
        .first()
    )
    if page is None:
        raise NotPublic(path)
    nav = Navigation.load()
    if page.pk == root.pk:
        return render_home(request, nav)
    kind = page.specific_class
    if kind is ArticleIndexPage:
        return render_section(request, page, nav)
    if kind is ArticlePage:
        return render_article(request, page, nav)
    raise NotPublic(path)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The one 404 page (also ``handler404``): nothing in it depends on the path."""
    body = render_to_string(
        TEMPLATES + "not_found.html", {"site_name": settings.WAGTAIL_SITE_NAME}
    )
    response = HttpResponse(body, content_type=HTML, status=404)
    response["Cache-Control"] = "no-cache"
    return response


# --- Shared pieces ----


@dataclass(frozen=True)
class SectionLink:
    pk: int
    title: str
    url: str
    url_path: str
    intro: str


@dataclass(frozen=True)
class Navigation:
    """The public sections, for the header of every page (1 query)."""

    sections: list[SectionLink]

    @classmethod
    def load(cls) -> Navigation:
        rows = (
            ArticleIndexPage.objects.filter(pk__in=public_pages().values("pk"))
            .order_by("path")
            .values_list("pk", "title", "url_path", "intro")
        )
        return cls(
            [
                SectionLink(pk, title, url, url_path, intro)
                for pk, title, url_path, intro in rows
                if (url := public_url_for_path(url_path))
            ]
        )

    def section_of(self, url_path: str) -> SectionLink | None:
        parent = url_path.rstrip("/").rsplit("/", 1)[0] + "/"
        return next((s for s in self.sections if s.url_path == parent), None)


def when(value: str | None) -> datetime | None:
    """An ISO 8601 time of the API's JSON as an aware datetime (shown in the site's
    time zone by the templates)."""
    return parse_datetime(value) if value else None


def image(data: dict | None) -> dict | None:
    """An API image object with its ``srcset`` as the ``<img>`` attribute wants it
    (the renditions' own list, where the document carries one)."""
    if not data:
        return None
    renditions = data.get("srcset") or []
    return {
        **data,
        "srcset": ", ".join(f"{r['url']} {r['width']}w" for r in renditions),
        "sizes": IMAGE_SIZES,
    }


def summary_view(data: dict) -> dict:
    return {
        **data,
        "published": when(data.get("published_at")),
        "hero": image(data.get("hero_image")),
    }


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not ascii_digits(raw) or not 1 <= int(raw) <= MAX_PAGE:
        raise NotPublic(raw)
    return int(raw)


def slug_param(request: HttpRequest, name: str) -> str | None:
    """A slug from the query string; anything that cannot be one is a 404."""
    value = request.GET.get(name)
    if value is None:
        return None
    if not SLUG.fullmatch(value):
        raise NotPublic(name)
    return value


def listing(queryset, number: int) -> tuple[list[dict], bool]:
    """One page of article summaries (the API's summary shape) and whether more
    follow: 3 queries (rows, terms, images)."""
    start = (number - 1) * PAGE_SIZE
    rows = list(
        serializers.summary_queryset(queryset).order_by("-first_published_at", "-pk")[
            start : start + PAGE_SIZE + 1
        ]
    )
    if number > 1 and not rows:
        raise NotPublic(number)
    more = len(rows) > PAGE_SIZE
    summaries = [
        json.loads(render(ArticleSummary, s))
        for s in serializers.summaries(rows[:PAGE_SIZE])
    ]
    return [summary_view(s) for s in summaries], more


def render_page(request: HttpRequest, template: str, context: dict) -> bytes:
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    return render_to_string(TEMPLATES + template, context, request).encode()


# --- Pages ----


def render_home(request: HttpRequest, nav: Navigation) -> bytes:
    """The latest public articles; ``?category=`` or ``?tag=`` (a slug) narrows."""
    number = page_number(request)
    articles = public_articles()
    heading, narrowed = "Latest articles", None
    if slug := slug_param(request, "category"):
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise NotPublic(slug)
        articles = articles.filter(categories=category)
        heading, narrowed = f"Articles in {category.name}", category.name
    elif slug := slug_param(request, "tag"):
        articles = articles.filter(tagged_items__tag__slug=slug)
        heading, narrowed = f"Articles tagged “{slug}”", slug
    summaries, more = listing(articles, number)
    if narrowed and not summaries:
        raise NotPublic(slug)
    return render_page(
        request,
        "home.html",
        {
            "nav": nav,
            "heading": heading,
            "narrowed": narrowed,
            "articles": summaries,
            "page_links": page_links(request, number, more),
        },
    )


def render_section(request: HttpRequest, page: Page, nav: Navigation) -> bytes:
    section = next((s for s in nav.sections if s.pk == page.pk), None)
    if section is None:
        raise NotPublic(page.pk)
    number = page_number(request)
    summaries, more = listing(public_articles().child_of(page), number)
    return render_page(
        request,
        "section.html",
        {
            "nav": nav,
            "section": section,
            "current_url": section.url,
            "articles": summaries,
            "page_links": page_links(request, number, more),
        },
    )


def page_links(request: HttpRequest, number: int, more: bool) -> dict:
    def link(n: int) -> str:
        query = request.GET.copy()
        query["page"] = str(n)
        if n == 1:
            del query["page"]
        encoded = query.urlencode()
        return f"{request.path}?{encoded}" if encoded else request.path

    return {
        "newer": link(number - 1) if number > 1 else None,
        "older": link(number + 1) if more else None,
        "number": number,
    }


def render_article(request: HttpRequest, page: Page, nav: Navigation) -> bytes:
    try:
        body, _modified = render_detail(page.slug)
    except ApiError as exc:
        raise NotPublic(page.pk) from exc
    document = json.loads(body)
    if document["id"] != page.pk:
        raise NotPublic(page.pk)
    context = article_context(document, nav, page.url_path)
    # Each extra renders through an autoescaping template (ARTICLE_EXTRAS).
    context["extras"] = [
        mark_safe(extra(request, document))  # noqa: S308
        for extra in ARTICLE_EXTRAS
    ]
    return render_page(request, "article.html", context)


def article_context(
    document: dict, nav: Navigation, url_path: str | None, preview: bool = False
) -> dict:
    section = document.get("section")
    if not section and url_path:
        link = nav.section_of(url_path)
        section = {"title": link.title, "url": link.url} if link else None
    blocks = []
    for block in document["body"]:
        value = block["value"]
        if block["type"] == "image":
            value = {**value, "image": image(value.get("image"))}
        elif block["type"] == "embed":
            url = value.get("url") or ""
            safe = url if url.startswith(("https://", "http://")) else ""
            value = {**value, "safe_url": safe}
        blocks.append({**block, "value": value})
    return {
        "nav": nav,
        "article": document,
        "published": when(document.get("published_at")),
        "updated": when(document.get("updated_at")),
        "section": section,
        "current_url": section["url"] if section else None,
        "hero": image(document.get("hero_image")),
        "blocks": blocks,
        "related": [summary_view(r) for r in document.get("related", [])],
        "preview": preview,
    }


# --- Drafts ----


def render_draft(request: HttpRequest, page: Page) -> SafeString:
    """The reading view of the editor's unsaved page (Wagtail's preview panel and
    "View draft"), dated as a preview of its latest revision would be."""
    nav = Navigation.load()
    if isinstance(page, ArticleIndexPage):
        context = {
            "nav": nav,
            "section": SectionLink(page.pk, page.title, "", "", page.intro),
            "articles": [],
            "page_links": {},
            "preview": True,
        }
        if page.pk:
            context["articles"], _ = listing(public_articles().child_of(page), number=1)
        return mark_safe(render_to_string(TEMPLATES + "section.html", context, request))  # noqa: S308
    now = timezone.now()
    published = page.first_published_at or now
    if page.pk and page.latest_revision_id:
        published, _updated = preview_dates(page, page.latest_revision, now)
    document = json.loads(render_preview(page, (published, now)))
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        **article_context(document, nav, page.url_path, preview=True),
    }
    return mark_safe(render_to_string(TEMPLATES + "article.html", context, request))  # noqa: S308


def preview(request: HttpRequest) -> HttpResponse:
    """``GET /preview/?token=…``: the revision a preview link names, as a reader
    would see it; a tampered, expired or revoked link is a 401 page."""
    try:
        grant = read_preview_token(request.GET.get("token", ""))
        reader = f"user:{grant.user_id}" if grant.user_id else client_address(request)
        limited = ratelimit.limit("preview", reader, settings.PREVIEW_RATE_LIMIT)
        if limited is not None:
            return _private(
                _message(request, "Too many previews", "Try again in a minute.", 429),
                retry_after=limited.get("Retry-After"),
            )
        revision = grant.revision()
        article = revision.as_object()
        if not isinstance(article, ArticlePage):
            raise ApiError("invalid_token", "Not an article.", status=401)
    except ApiError:
        return _private(
            _message(
                request,
                "This preview link does not work",
                "It has expired, or it was changed, or its editor may no longer "
                "edit the article. Ask for a new link.",
                401,
            )
        )
    document = json.loads(render_preview(article, preview_dates(article, revision)))
    context = article_context(document, Navigation.load(), article.url_path, True)
    return _private(
        HttpResponse(render_page(request, "article.html", context), content_type=HTML)
    )


def _message(request: HttpRequest, title: str, text: str, status: int) -> HttpResponse:
    body = render_page(request, "message.html", {"title": title, "text": text})
    return HttpResponse(body, content_type=HTML, status=status)


def _private(response: HttpResponse, retry_after: str | None = None) -> HttpResponse:
    # A draft never lands in a shared cache, and never in a search engine.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    if retry_after:
        response["Retry-After"] = retry_after
    return response
