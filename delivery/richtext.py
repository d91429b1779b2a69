"""Rich text for the API: internal links resolved, non-public links dropped, sanitised.

Wagtail stores links as ``<a linktype="page" id="5">``. :func:`collect_link_ids` finds
every linked page and document in a set of fragments so that the caller can resolve
them all in one query each (:func:`resolve_links`), then :func:`render_rich_text`
rewrites and sanitises each fragment with an nh3 allowlist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import nh3
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.rich_text.rewriters import extract_attrs

from cms.content.visibility import public_page_ids
from cms.digits import ascii_digits

ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "ul",
    "ol",
    "li",
    "sup",
    "sub",
    "s",
    "code",
    "h2",
    "h3",
    "h4",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Rich text links are never nested, so a non-greedy match finds each whole link.
LINK = re.compile(r"<a(\b[^>]*)>(.*?)</a\s*>", re.DOTALL | re.IGNORECASE)
OPENING_A = re.compile(r"<a(\b[^>]*)>", re.IGNORECASE)
# Stored documents (delivery/read_model.py) keep each internal page link as a
# marker URL, resolved against the public pages whenever the document is served.
# The .invalid top-level domain is reserved: no real link can point there, and an
# editor's external link that does is dropped (its text kept).
PAGE_LINK_MARKER = "https://page-link.invalid/"
MARKED_LINK = re.compile(
    r'<a href="https://page-link\.invalid/(\d+)/"[^>]*>(.*?)</a>', re.DOTALL
)


@dataclass
class LinkTargets:
    page_urls: dict[int, str] = field(default_factory=dict)
    document_urls: dict[int, str] = field(default_factory=dict)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def collect_link_ids(fragments: Iterable[str]) -> tuple[set[int], set[int]]:
    pages: set[int] = set()
    documents: set[int] = set()
    for html in fragments:
        for match in OPENING_A.finditer(html):
            attrs = extract_attrs(match.group(1))
            target = attrs.get("id", "")
            if not ascii_digits(target):
                continue
            if attrs.get("linktype") == "page":
                pages.add(int(target))
            elif attrs.get("linktype") == "document":
                documents.add(int(target))
    return pages, documents


# Within one render (``remembered_site_roots``) the site roots are read once, not
# once per article: each read is a cache round trip (or a query, cold).
_SITE_ROOTS: ContextVar[list | None] = ContextVar("site_roots", default=None)


@contextmanager
def remembered_site_roots(roots: list | None = None):
    token = _SITE_ROOTS.set([] if roots is None else [roots])
    try:
        yield
    finally:
        _SITE_ROOTS.reset(token)


def site_root_paths() -> list:
    memo = _SITE_ROOTS.get()
    if memo is None:
        return Site.get_site_root_paths()
    if not memo:
        memo.append(Site.get_site_root_paths())
    return memo[0]


def public_url_for_path(url_path: str) -> str | None:
    """The relative public URL of a page, from its url_path and the site roots."""
    for root in site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


def resolve_links(page_ids: set[int], document_ids: set[int]) -> LinkTargets:
    targets = LinkTargets()
    for pk, url_path in public_page_ids(page_ids).items():
        url = public_url_for_path(url_path)
        if url:
            targets.page_urls[pk] = url
    if document_ids:
        for document in get_document_model().objects.filter(pk__in=document_ids):
            targets.document_urls[document.pk] = document.url
    return targets


def _link_href(raw_attrs: str, targets: LinkTargets) -> str | None:
    """The escaped href a stored link's attributes resolve to, or None (text only)."""
    attrs = extract_attrs(raw_attrs)
    linktype = attrs.get("linktype")
    if linktype is None:
        href = attrs.get("href")
        if not href or href.startswith(PAGE_LINK_MARKER):
            return None
        return escape(href)
    target = attrs.get("id", "")
    url = None
    if ascii_digits(target):
        if linktype == "page":
            url = targets.page_urls.get(int(target))
        elif linktype == "document":
            url = targets.document_urls.get(int(target))
    return escape(url) if url else None


def render_rich_text(html: str, targets: LinkTargets) -> str:
    """Resolve internal links against ``targets`` and sanitise the result."""
    # Links repeat (the same page, the same attributes): each distinct opening
    # tag is parsed once per fragment (a long fragment full of links spent most of
    # its time parsing the same attributes again: docs/benchmarks-optimisations.md).
    hrefs: dict[str, str | None] = {}

    def rewrite(match: re.Match) -> str:
        raw_attrs, text = match.group(1), match.group(2)
        if raw_attrs not in hrefs:
            hrefs[raw_attrs] = _link_href(raw_attrs, targets)
        href = hrefs[raw_attrs]
        return f'<a href="{href}">{text}</a>' if href else text

    return sanitise_html(LINK.sub(rewrite, html))


def marker_targets(page_ids: set[int], document_ids: set[int]) -> LinkTargets:
    """Link targets for a stored document: page links as markers, resolved on read
    (:func:`resolve_marked_links`); documents resolved now (a document change
    retires the stored documents)."""
    targets = resolve_links(set(), document_ids)
    targets.page_urls = {pk: f"{PAGE_LINK_MARKER}{pk}/" for pk in page_ids}
    return targets


def resolve_marked_links(html: str, page_urls: dict[int, str]) -> str:
    """Sanitised HTML with page-link markers: each becomes a link to the page's
    public URL if it has one (it is public now), else its text alone."""

    def resolve(match: re.Match) -> str:
        url = page_urls.get(int(match.group(1)))
        text = match.group(2)
        return sanitise_html(f'<a href="{escape(url)}">{text}</a>') if url else text

    return MARKED_LINK.sub(resolve, html)
