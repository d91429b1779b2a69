"""Response shapes of the delivery API (CONTRACT.md section 1)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from ninja import Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from cms.api_contract import Timestamp


class RenditionOut(Schema):
    url: str
    width: int
    height: int


class FocalPoint(Schema):
    x: float = Field(..., ge=0, le=1, description="fraction of the width")
    y: float = Field(..., ge=0, le=1, description="fraction of the height")


class ImageOut(Schema):
    url: str
    width: int
    height: int
    alt: str
    srcset: list[RenditionOut] = Field(
        ..., description="renditions at 320/640/960/1280/1920 px wide, smallest first"
    )
    focal_point: FocalPoint | None


class SectionRef(Schema):
    slug: str
    title: str
    url: str


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
    section: SectionRef | None


class ListedArticle(ArticleSummary):
    search: SearchHighlight | None = None


# The body's blocks: a union discriminated by ``type``, so that a client generated
# from the OpenAPI document types every block's value.


class HeadingValue(Schema):
    text: str
    level: Literal["h2", "h3", "h4"]


class ImageBlockValue(Schema):
    image: ImageOut | None
    caption: str


class QuoteValue(Schema):
    text: str
    attribution: str


class ListValue(Schema):
    style: Literal["bulleted", "numbered"]
    items: list[str]


class EmbedValue(Schema):
    url: str


class HeadingBlock(Schema):
    id: str
    type: Literal["heading"]
    value: HeadingValue


class ParagraphBlock(Schema):
    id: str
    type: Literal["paragraph"]
    value: str = Field(..., description="sanitised HTML")


class ImageBlock(Schema):
    id: str
    type: Literal["image"]
    value: ImageBlockValue


class QuoteBlock(Schema):
    id: str
    type: Literal["quote"]
    value: QuoteValue


class ListBlock(Schema):
    id: str
    type: Literal["list"]
    value: ListValue


class EmbedBlock(Schema):
    id: str
    type: Literal["embed"]
    value: EmbedValue


Block = Annotated[
    HeadingBlock | ParagraphBlock | ImageBlock | QuoteBlock | ListBlock | EmbedBlock,
    Field(discriminator="type"),
]


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


class SectionOut(Schema):
    slug: str
    title: str
    url: str
    intro: str
    article_count: int


class SectionList(Schema):
    results: list[SectionOut]


class RedirectOut(Schema):
    old_path: str
    location: str
    permanent: bool


class RedirectList(Schema):
    results: list[RedirectOut]
    next: str | None


class ArticleRoute(Schema):
    type: Literal["article"]
    article: ArticleDetail


class SectionRoute(Schema):
    type: Literal["section"]
    section: SectionOut


class RedirectRoute(Schema):
    type: Literal["redirect"]
    location: str
    permanent: bool


Route = Annotated[
    ArticleRoute | SectionRoute | RedirectRoute, Field(discriminator="type")
]


class SyncChange(Schema):
    id: int
    slug: str
    url: str
    change: Literal["upsert", "delete"]
    at: Timestamp


class SyncPage(Schema):
    changes: list[SyncChange]
    next: str | None
    since: str


def render(schema: type[Schema], data: Any) -> bytes:
    """Validate ``data`` through its declared schema and serialise it."""
    validated = schema.model_validate(data)
    return json.dumps(
        validated.model_dump(mode="json"), cls=NinjaJSONEncoder, ensure_ascii=False
    ).encode()
