"""Response shapes of the delivery API (CONTRACT.md section 1)."""

from __future__ import annotations

import json
from typing import Any

from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from cms.api_contract import Timestamp


class ImageOut(Schema):
    url: str
    width: int
    height: int
    alt: str


class AuthorRef(Schema):
    slug: str
    name: str


class CategoryRef(Schema):
    slug: str
    name: str


class SearchHighlight(Schema):
    score: float
    highlight: dict[str, str]


class ArticleSummary(Schema):
    id: int
    slug: str
    url: str
    title: str
    intro: str
    published_at: Timestamp | None
    updated_at: Timestamp | None
    author: AuthorRef | None
    categories: list[CategoryRef]
    tags: list[str]
    hero_image: ImageOut | None
    reading_time_minutes: int
    # Approved reader comments (CONTRACT.md section 6), counted by comments/.
    comment_count: int = 0


class ListedArticle(ArticleSummary):
    search: SearchHighlight | None = None


class Block(Schema):
    id: str
    type: str
    value: Any


class Seo(Schema):
    title: str
    description: str
    canonical_url: str
    og_image: ImageOut | None


class ArticleDetail(ArticleSummary):
    body: list[Block]
    related: list[ArticleSummary]
    seo: Seo


class PreviewDetail(ArticleDetail):
    # A draft has no publication of its own, yet a preview is dated like a live
    # article: never null (cms/content/preview.py, preview_dates).
    published_at: Timestamp
    updated_at: Timestamp
    preview: bool = True


class FacetItem(Schema):
    slug: str
    name: str
    count: int


class Facets(Schema):
    category: list[FacetItem]
    tag: list[FacetItem]
    author: list[FacetItem]


class ArticleList(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ListedArticle]
    facets: Facets | None = None


class CategoryOut(Schema):
    slug: str
    name: str
    description: str
    article_count: int


class CategoryList(Schema):
    results: list[CategoryOut]


class AuthorOut(Schema):
    slug: str
    name: str
    bio: str
    avatar: ImageOut | None


class AuthorList(Schema):
    results: list[AuthorOut]


class TagOut(Schema):
    slug: str
    name: str
    count: int


class TagList(Schema):
    results: list[TagOut]


class SuggestItem(Schema):
    id: int
    title: str
    slug: str
    url: str


class SuggestList(Schema):
    results: list[SuggestItem]


def render(schema: type[Schema], data: Any) -> bytes:
    """Validate ``data`` through its declared schema and serialise it."""
    validated = schema.model_validate(data)
    return json.dumps(
        validated.model_dump(mode="json"), cls=NinjaJSONEncoder, ensure_ascii=False
    ).encode()
