"""Articles, authors and images to plain data in the contract's shapes.

Each function loads what it needs in a fixed number of queries, whatever the number
of articles, categories, tags, images or links: callers pin those counts in tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Sequence
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Length, Substr
from django.utils.html import strip_tags
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, Filter
from wagtail.models import Page

from cms.content.models import ArticlePage, Author
from cms.content.models.pages import ArticleTag
from cms.content.renditions import (
    AVATAR_SPEC,
    BODY_IMAGE_SPEC,
    HERO_SPEC,
    srcset_specs,
    with_srcset,
)
from delivery.richtext import (
    LinkTargets,
    collect_link_ids,
    public_url_for_path,
    render_rich_text,
    resolve_links,
)


def media_url(url: str) -> str:
    """Image URLs are absolute (on the CMS origin): any front end can use them."""
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", url)


def load_images(ids: Iterable[int | None], *specs: str) -> dict[int, AbstractImage]:
    """Images by id with their renditions: one query once renditions exist.

    Renditions are read with their image joined (never from the cache, which a
    cold start has not filled). Images lacking a rendition (new ones) are loaded in
    a second query and get it created on first use.
    """
    ids = {i for i in ids if i}
    if not ids:
        return {}
    specs = tuple(with_srcset(*specs))
    image_model = get_image_model()
    renditions = image_model.get_rendition_model().objects.filter(
        image_id__in=ids, filter_spec__in=specs
    )
    images: dict[int, AbstractImage] = {}
    for rendition in renditions.select_related("image"):
        image = images.setdefault(rendition.image_id, rendition.image)
        if not hasattr(image, "prefetched_renditions"):
            image.prefetched_renditions = []
        image.prefetched_renditions.append(rendition)
        rendition.image = image
    # An image with no rendition yet (a new one): load it; the rendition is made
    # on first use. A missing spec of a known image is made on first use too.
    missing = ids - images.keys()
    if missing:
        images.update(
            (image.pk, image)
            for image in image_model.objects.filter(pk__in=missing).prefetch_renditions(
                *specs
            )
        )
    return images


@functools.lru_cache(maxsize=64)
def _filter(spec: str) -> Filter:
    # Specs come from code (the srcset widths), never a request; bounded anyway.
    return Filter(spec=spec)


def _prefetched_rendition(image: AbstractImage, spec: str):
    """The loaded rendition for ``spec``, without Wagtail's get_rendition (which
    writes every rendition it returns back to the cache: a round trip per image)."""
    renditions = getattr(image, "prefetched_renditions", None)
    if not renditions:
        return None
    image_filter = _filter(spec)
    key = image_filter.get_cache_key(image)
    for rendition in renditions:
        if rendition.filter_spec == spec and rendition.focal_point_key == key:
            return rendition
    return None


def _rendition(image: AbstractImage, spec: str):
    return _prefetched_rendition(image, spec) or image.get_rendition(spec)


def focal_point(image: AbstractImage) -> dict | None:
    """The focal point's centre as fractions of the original's width and height."""
    if image.focal_point_x is None or not image.width or not image.height:
        return None
    return {
        "x": round(min(max(image.focal_point_x / image.width, 0.0), 1.0), 4),
        "y": round(min(max(image.focal_point_y / image.height, 0.0), 1.0), 4),
    }


def image_out(image: AbstractImage | None, spec: str, alt: str = "") -> dict | None:
    if image is None:
        return None
    rendition = _rendition(image, spec)
    srcset: dict[int, dict] = {}
    for srcset_spec in srcset_specs(spec, image.width):
        made = _rendition(image, srcset_spec)
        # A crop of a small original may come out narrower than asked: once.
        srcset.setdefault(
            made.width,
            {"url": media_url(made.url), "width": made.width, "height": made.height},
        )
    return {
        "url": media_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or image.title,
        "srcset": sorted(srcset.values(), key=lambda r: r["width"]),
        "focal_point": focal_point(image),
    }


def summary_queryset(
    queryset: QuerySet[ArticlePage], with_body: bool = False
) -> QuerySet[ArticlePage]:
    """The rows a summary needs, with their author: one query.

    The body (the widest column by far) is left out unless the caller needs it
    (search highlighting). Categories and tags come from :func:`load_terms`.
    """
    queryset = queryset.select_related("author")
    return queryset if with_body else queryset.defer("body")


# Counts a summary shows that packages above delivery own, by field name: a
# function of article ids returning a queryset of rows with ``article_id`` and
# ``n`` (comments/apps.py registers ``comment_count``). Read in load_terms's query.
SUMMARY_COUNTS: dict[str, Callable[[Collection[int]], QuerySet]] = {}


def register_summary_count(
    name: str, rows: Callable[[Collection[int]], QuerySet]
) -> None:
    SUMMARY_COUNTS[name] = rows


def load_terms(articles: Sequence[ArticlePage]) -> None:
    """Categories, tags and the registered counts (SUMMARY_COUNTS) of saved
    articles, for their summaries: 1 query.

    Django's ``prefetch_related`` takes 2 queries and builds a queryset per
    article for taggit's manager, a visible share of a cold list.
    """
    by_id = {article.pk: article for article in articles}
    for article in articles:
        article.summary_categories = []
        article.summary_tags = []
        article.summary_section = None
        article.summary_counts = dict.fromkeys(SUMMARY_COUNTS, 0)
    if not by_id:
        return
    categories = ArticlePage.categories.through.objects.filter(
        articlepage_id__in=by_id
    ).values_list(Value("c"), "articlepage_id", "category__slug", "category__name")
    tags = ArticleTag.objects.filter(content_object_id__in=by_id).values_list(
        Value("t"), "content_object_id", "tag__slug", "tag__name"
    )
    sections = ArticlePage.objects.filter(pk__in=by_id).values_list(
        Value("s"), "pk", *parent_columns("slug", "title")
    )
    counts = [
        rows(list(by_id)).values_list(
            Value(f"n:{field}"), "article_id", Cast("n", CharField()), Value("")
        )
        for field, rows in SUMMARY_COUNTS.items()
    ]
    # No ORDER BY in the parts: SQLite refuses one inside a compound statement
    # (a model's default ordering, e.g. the pages' tree path, would add it).
    parts = [part.order_by() for part in (categories, tags, sections, *counts)]
    for kind, pk, slug, name in parts[0].union(*parts[1:], all=True):
        if kind == "c":
            by_id[pk].summary_categories.append({"slug": slug, "name": name})
        elif kind == "t":
            by_id[pk].summary_tags.append(name)
        elif kind == "s":
            if slug is not None:
                by_id[pk].summary_section = {"slug": slug, "title": name}
        else:
            by_id[pk].summary_counts[kind[2:]] = int(slug)


def _terms(article: ArticlePage) -> tuple[list[dict], list[str]]:
    """Loaded by :func:`load_terms`, or (a draft being previewed) in memory."""
    categories = getattr(article, "summary_categories", None)
    tags = getattr(article, "summary_tags", None)
    if categories is None or tags is None:
        categories = [
            {"slug": c.slug, "name": c.name} for c in article.categories.all()
        ]
        tags = [tag.name for tag in article.tags.all()]
    return sorted(categories, key=lambda c: c["name"]), sorted(tags)


def parent_columns(*fields: str) -> list[Subquery]:
    """Annotations: these fields of the outer page's parent (its section)."""
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    )
    return [Subquery(parent.values(f)[:1]) for f in fields]


def _section(article: ArticlePage, url: str) -> dict | None:
    """The article's section: loaded by :func:`load_terms`, or (a draft being
    previewed) read from the tree. Its URL is the article's, one level up."""
    section = getattr(article, "summary_section", MISSING)
    if section is MISSING:
        parent = article.get_parent() if article.path else None
        section = parent and {"slug": parent.slug, "title": parent.title}
    if not section:
        return None
    return {**section, "url": url.rstrip("/").rsplit("/", 1)[0] + "/"}


MISSING = object()


def article_url(article: ArticlePage) -> str:
    return public_url_for_path(article.url_path) or article.url_path


def summary(article: ArticlePage, images: dict[int, AbstractImage]) -> dict:
    author = article.author
    categories, tags = _terms(article)
    url = article_url(article)
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": url,
        "title": article.title,
        "intro": article.intro,
        "published_at": article.first_published_at,
        "updated_at": article.last_published_at,
        "author": {"slug": author.slug, "name": author.name} if author else None,
        "categories": categories,
        "tags": tags,
        "hero_image": image_out(
            images.get(article.hero_image_id), HERO_SPEC, article.hero_image_alt
        ),
        "reading_time_minutes": article.reading_time_minutes,
        "section": _section(article, url),
        # Unloaded (a draft in a preview): the registered counts at 0.
        **getattr(article, "summary_counts", dict.fromkeys(SUMMARY_COUNTS, 0)),
    }


def summaries(articles: Sequence[ArticlePage]) -> list[dict]:
    load_terms(articles)
    images = load_images((a.hero_image_id for a in articles), HERO_SPEC)
    return [summary(article, images) for article in articles]


# --- Detail ----


def _list_items(raw_items: list) -> list[str]:
    items = []
    for item in raw_items:
        if isinstance(item, dict) and "value" in item:
            item = item["value"]
        items.append(str(item))
    return items


def raw_blocks(article: ArticlePage) -> list[dict]:
    return list(article.body.raw_data)


def body_image_ids(raw_blocks: list[dict]) -> set[int]:
    return {
        block["value"].get("image")
        for block in raw_blocks
        if block.get("type") == "image" and isinstance(block.get("value"), dict)
    } - {None}


def body_link_ids(raw_blocks: list[dict]) -> tuple[set[int], set[int]]:
    """The pages and documents the body's rich text links to."""
    return collect_link_ids(
        b.get("value") or "" for b in raw_blocks if b.get("type") == "paragraph"
    )


def serialise_body(
    raw_blocks: list[dict],
    images: dict[int, AbstractImage],
    targets: LinkTargets | None = None,
) -> list:
    """The body as contract blocks; every rich text fragment resolved and sanitised
    (against the public pages now, unless the caller resolved ``targets``)."""
    if targets is None:
        targets = resolve_links(*body_link_ids(raw_blocks))
    out = []
    for block in raw_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            value = render_rich_text(value or "", targets)
        elif kind == "heading":
            value = {"text": value.get("text", ""), "level": value.get("level", "h2")}
        elif kind == "image":
            image = images.get(value.get("image"))
            value = {
                "image": image_out(image, BODY_IMAGE_SPEC, value.get("alt") or ""),
                "caption": value.get("caption") or "",
            }
        elif kind == "quote":
            value = {
                "text": value.get("text", ""),
                "attribution": value.get("attribution") or "",
            }
        elif kind == "list":
            value = {
                "style": value.get("style", "bulleted"),
                "items": _list_items(value.get("items") or []),
            }
        elif kind == "embed":
            value = {"url": value if isinstance(value, str) else ""}
        else:
            # Unknown block types are not part of the contract yet: never guess.
            continue
        out.append({"id": str(block.get("id") or ""), "type": kind, "value": value})
    return out


def seo(article: ArticlePage, url: str, og_image: dict | None) -> dict:
    return {
        "title": article.seo_title or article.title,
        "description": article.search_description or strip_tags(article.intro),
        "canonical_url": settings.FRONTEND_BASE_URL.rstrip("/") + url,
        "og_image": og_image,
    }


def detail_image_ids(
    article: ArticlePage, related: Sequence[ArticlePage] = ()
) -> list[int | None]:
    return [
        article.hero_image_id,
        *body_image_ids(raw_blocks(article)),
        *(r.hero_image_id for r in related),
    ]


def detail(
    article: ArticlePage,
    related: Sequence[ArticlePage],
    link_targets: LinkTargets | None = None,
    images: dict[int, AbstractImage] | None = None,
) -> dict:
    """The detail of an article (live or a preview), with already-loaded related
    (and images, where the caller loaded them for several articles at once)."""
    blocks = raw_blocks(article)
    if images is None:
        images = load_images(
            detail_image_ids(article, related), HERO_SPEC, BODY_IMAGE_SPEC
        )
    data = summary(article, images)
    data["body"] = serialise_body(blocks, images, link_targets)
    data["related"] = [summary(r, images) for r in related]
    data["seo"] = seo(article, data["url"], data["hero_image"])
    return data


def author_out(author: Author, images: dict[int, AbstractImage]) -> dict:
    return {
        "slug": author.slug,
        "name": author.name,
        "bio": author.bio,
        "avatar": image_out(images.get(author.avatar_id), AVATAR_SPEC, author.name),
    }


def authors_out(authors: Sequence[Author]) -> list[dict]:
    images = load_images((a.avatar_id for a in authors), AVATAR_SPEC)
    return [author_out(a, images) for a in authors]
