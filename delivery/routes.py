"""Routing for front ends (CONTRACT.md sections 1 and 5): the public sections, what
lives at a public path (``routes/?path=``, for a catch-all route such as Next.js's
``app/[...path]``), and Wagtail's redirects (``wagtail.contrib.redirects``).

Like the rest of the delivery API, every 200 is served through the shared response
cache with an ETag (delivery/cache.py): publishes, moves and redirect edits bump the
content version (delivery/signal_handlers.py). An article found at a path is served
from its stored document (delivery/read_model.py), as ``articles/{slug}/`` is.
"""

from __future__ import annotations

from django.core import signing
from django.db.models import Count, Q
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.api_contract import ApiError, ErrorOut, check_query
from cms.content.models import ArticleIndexPage, ArticlePage
from cms.content.visibility import (
    public_articles,
    public_page_ids,
    public_pages,
    public_sections,
)
from cms.digits import ascii_digits
from delivery.cache import cached_response
from delivery.richtext import public_url_for_path, site_root_paths
from delivery.schemas import (
    RedirectList,
    RedirectRoute,
    Route,
    SectionList,
    SectionOut,
    SectionRoute,
    render,
)

router = Router(tags=["delivery"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}
REDIRECTS_LIMIT = 1000
REDIRECTS_SALT = "delivery.redirects.cursor"


class RouteParams(Schema):
    path: str = Field(
        ...,
        min_length=1,
        max_length=2048,
        description="a public path, starting with /; a missing trailing slash is added",
    )


class RedirectParams(Schema):
    limit: int | None = Field(
        None, ge=1, le=REDIRECTS_LIMIT, description="default 1000"
    )
    cursor: str | None = Field(None, description="from next")


# --- Sections ----


def _section_counts(sections: list[Page]) -> dict[str, int]:
    """Public articles per section path: one query."""
    if not sections:
        return {}
    rows = (
        public_articles()
        .order_by()
        .annotate(parent=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent__in=[s.path for s in sections])
        .values("parent")
        .annotate(n=Count("pk"))
        .values_list("parent", "n")
    )
    return dict(rows)


def sections_out(sections: list[ArticleIndexPage]) -> list[dict]:
    counts = _section_counts(sections)
    out = []
    for section in sections:
        url = public_url_for_path(section.url_path)
        if url is None:
            continue  # not below any site's root: no public URL
        out.append(
            {
                "slug": section.slug,
                "title": section.title,
                "url": url,
                "intro": section.intro,
                "article_count": counts.get(section.path, 0),
            }
        )
    return out


def _section_rows():
    return public_sections().only("path", "slug", "title", "url_path", "intro")


@router.get(
    "sections/",
    response={200: SectionList, **ERRORS},
    summary="The public sections",
    operation_id="listSections",
)
def list_sections(request: HttpRequest):
    check_query(request, ())

    def render_sections():
        sections = list(_section_rows().order_by("path"))
        return render(SectionList, {"results": sections_out(sections)}), None

    return cached_response(request, render_sections)


@router.get(
    "sections/{slug}/",
    response={200: SectionOut, **ERRORS},
    summary="One public section",
    operation_id="getSection",
)
def get_section(request: HttpRequest, slug: str):
    check_query(request, ())

    def render_section():
        found = sections_out(list(_section_rows().filter(slug=slug).order_by("path")))
        if not found:
            raise ApiError("not_found", "No such section.", status=404)
        return render(SectionOut, found[0]), None

    return cached_response(request, render_section)


# --- Routes ----


def normalise_route_path(raw: str | None) -> str:
    if raw is None or not raw.strip():
        raise ApiError("invalid_parameter", "path is required", field="path")
    path = raw.strip()
    if not path.startswith("/") or path.startswith("//"):
        raise ApiError(
            "invalid_parameter", "path must be a path starting with /", field="path"
        )
    path = path.split("?", 1)[0].split("#", 1)[0]
    return path if path.endswith("/") else path + "/"


def _public_page_at(path: str) -> tuple[int, str, type[Page]] | None:
    """(id, slug, specific class) of the public page whose public URL is ``path``."""
    candidates = {root.root_path + path[1:] for root in site_root_paths()}
    rows = (
        public_pages()
        .filter(url_path__in=candidates)
        .order_by("path")
        .values_list("pk", "slug", "url_path", "content_type__model")
    )
    for pk, slug, url_path, model in rows:
        if public_url_for_path(url_path) != path:
            continue
        if model == ArticlePage._meta.model_name:
            return pk, slug, ArticlePage
        if model == ArticleIndexPage._meta.model_name:
            return pk, slug, ArticleIndexPage
    return None


def redirect_location(redirect: Redirect, page_urls: dict[int, str]) -> str | None:
    """Where a redirect sends a reader: a public page's public path (None if the
    page is not public), or the link it was given."""
    if redirect.redirect_page_id:
        url = page_urls.get(redirect.redirect_page_id)
        if url is None:
            return None
        route = redirect.redirect_page_route_path or ""
        return url.rstrip("/") + route if route else url
    return redirect.redirect_link or None


def _page_urls(page_ids) -> dict[int, str]:
    return {
        pk: url
        for pk, url_path in public_page_ids(page_ids).items()
        if (url := public_url_for_path(url_path)) is not None
    }


def _redirect_at(path: str) -> dict | None:
    normalised = Redirect.normalise_path(path)
    redirect = (
        Redirect.objects.filter(old_path__in={normalised, path})
        .order_by("site_id", "pk")
        .first()
    )
    if redirect is None:
        return None
    location = redirect_location(redirect, _page_urls([redirect.redirect_page_id]))
    if location is None:
        return None
    return {
        "type": "redirect",
        "location": location,
        "permanent": redirect.is_permanent,
    }


def render_route(path: str) -> tuple[bytes, float | None]:
    from delivery.api import render_detail  # the article door, shared

    found = _public_page_at(path)
    if found is not None:
        pk, slug, model = found
        if model is ArticlePage:
            body, modified = render_detail(slug)
            return b'{"type": "article", "article": ' + body + b"}", modified
        sections = sections_out(list(_section_rows().filter(pk=pk)))
        if sections:
            return render(
                SectionRoute, {"type": "section", "section": sections[0]}
            ), None
    redirect = _redirect_at(path)
    if redirect is not None:
        return render(RedirectRoute, redirect), None
    raise ApiError("not_found", "Nothing public at this path.", status=404)


@router.get(
    "routes/",
    response={200: Route, **ERRORS},
    summary="What lives at a public path (article, section or redirect)",
    operation_id="resolveRoute",
)
def resolve_route(request: HttpRequest, params: Query[RouteParams]):
    check_query(request, {"path"})
    path = normalise_route_path(request.GET.get("path"))
    return cached_response(request, lambda: render_route(path))


# --- Redirects ----


def parse_redirect_limit(value: str | None) -> int:
    if value is None:
        return REDIRECTS_LIMIT
    if not ascii_digits(value) or not 1 <= int(value) <= REDIRECTS_LIMIT:
        raise ApiError(
            "invalid_parameter",
            f"limit must be an integer from 1 to {REDIRECTS_LIMIT}",
            field="limit",
        )
    return int(value)


def parse_redirect_cursor(value: str | None) -> int:
    if value is None:
        return 0
    try:
        after = signing.loads(value, salt=REDIRECTS_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool):
        raise ApiError(
            "invalid_cursor", "cursor was not issued by this server.", field="cursor"
        )
    return after


def public_old_path(old_path: str) -> str:
    """Wagtail stores paths without their trailing slash; public URLs have one."""
    if old_path == "/" or "?" in old_path or old_path.endswith("/"):
        return old_path
    return old_path + "/"


def render_redirects(request: HttpRequest, after: int, limit: int) -> bytes:
    rows = list(
        Redirect.objects.filter(pk__gt=after)
        .filter(Q(redirect_page__isnull=False) | ~Q(redirect_link=""))
        .order_by("pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    page_urls = _page_urls({r.redirect_page_id for r in rows if r.redirect_page_id})
    results = []
    for redirect in rows:
        location = redirect_location(redirect, page_urls)
        if location is None:
            continue  # to a page that is not public: never shown
        results.append(
            {
                "old_path": public_old_path(redirect.old_path),
                "location": location,
                "permanent": redirect.is_permanent,
            }
        )
    following = None
    if more:
        cursor = signing.dumps(rows[-1].pk, salt=REDIRECTS_SALT)
        query = request.GET.copy()
        query["cursor"] = cursor
        following = f"{request.path}?{query.urlencode()}"
    return render(RedirectList, {"results": results, "next": following})


@router.get(
    "redirects/",
    response={200: RedirectList, **ERRORS},
    summary="Every redirect (Wagtail's redirects app), cursor-paged",
    operation_id="listRedirects",
)
def list_redirects(request: HttpRequest, params: Query[RedirectParams]):
    check_query(request, {"limit", "cursor"})
    limit = parse_redirect_limit(request.GET.get("limit"))
    after = parse_redirect_cursor(request.GET.get("cursor"))
    return cached_response(
        request, lambda: (render_redirects(request, after, limit), None)
    )
