"""Articles, authors and images to plain data in the contract's shapes.

Each function loads what it needs in a fixed number of queries, whatever the number
of articles, categories, tags, images or links: callers pin those counts in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.html import strip_tags
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from cms.content.models import ArticlePage, Author
from cms.content.models.pages import MAX_RELATED, ArticleTag, RelatedArticle
from cms.content.richtext import (
    collect_link_ids,
    public_url_for_path,
    render_rich_text,
    resolve_links,
)
from cms.content.visibility import public_articles

HERO_SPEC = "fill-1200x630"
BODY_IMAGE_SPEC = "max-1200x1200"
AVATAR_SPEC = "fill-256x256"


def media_url(url: str) -> str:
    """Image URLs are absolute (on the CMS origin): any front end can use them."""
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", url)


def load_images(ids: Iterable[int | None], *specs: str) -> dict[int, AbstractImage]:
    """Images by id with their renditions prefetched: two queries for any number."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(*specs)
    return {image.pk: image for image in images}


def image_out(image: AbstractImage | None, spec: str, alt: str = "") -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return {
        "url": media_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or image.title,
    }


def summary_queryset(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What a summary needs, in a constant number of queries (1 + 2 prefetches)."""
    return queryset.select_related("author").prefetch_related("categories", "tags")


def article_url(article: ArticlePage) -> str:
    return public_url_for_path(article.url_path) or article.url_path


def summary(article: ArticlePage, images: dict[int, AbstractImage]) -> dict:
    author = article.author
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": article_url(article),
        "title": article.title,
        "intro": article.intro,
        "published_at": article.first_published_at,
        "updated_at": article.last_published_at,
        "author": {"slug": author.slug, "name": author.name} if author else None,
        "categories": [
            {"slug": c.slug, "name": c.name}
            for c in sorted(article.categories.all(), key=lambda c: c.name)
        ],
        "tags": sorted(tag.name for tag in article.tags.all()),
        "hero_image": image_out(
            images.get(article.hero_image_id), HERO_SPEC, article.hero_image_alt
        ),
        "reading_time_minutes": article.reading_time_minutes,
    }


def summaries(articles: Sequence[ArticlePage]) -> list[dict]:
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


def _raw_blocks(article: ArticlePage) -> list[dict]:
    return list(article.body.raw_data)


def body_image_ids(raw_blocks: list[dict]) -> set[int]:
    return {
        block["value"].get("image")
        for block in raw_blocks
        if block.get("type") == "image" and isinstance(block.get("value"), dict)
    } - {None}


def serialise_body(raw_blocks: list[dict], images: dict[int, AbstractImage]) -> list:
    """The body as contract blocks; every rich text fragment resolved and sanitised."""
    paragraphs = [
        b.get("value") or "" for b in raw_blocks if b.get("type") == "paragraph"
    ]
    targets = resolve_links(*collect_link_ids(paragraphs))
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


def related_ids(article: ArticlePage, draft: bool = False) -> list[int]:
    """Editor's public picks in order, then the closest public articles: 2 queries.

    For a live article the picks, categories and tags are read from the database;
    for a ``draft`` (a revision being previewed) from the object in memory.
    """
    picks: list[int] = []
    public = public_articles()
    if draft:
        wanted = [link.article_id for link in article.related_links.all()]
        allowed = set(public.filter(pk__in=wanted).values_list("pk", flat=True))
        candidates = [pk for pk in wanted if pk in allowed]
        own_categories = [c.pk for c in article.categories.all() if c.pk]
        own_tags = [t.pk for t in article.tags.all() if t.pk]
    else:
        candidates = (
            RelatedArticle.objects.filter(page=article, article__in=public)
            .order_by("sort_order", "pk")
            .values_list("article_id", flat=True)
        )
        own_categories = ArticlePage.categories.through.objects.filter(
            articlepage_id=article.pk
        ).values("category_id")
        own_tags = ArticleTag.objects.filter(content_object_id=article.pk).values(
            "tag_id"
        )
    for pick in candidates:
        if pick != article.pk and pick not in picks:
            picks.append(pick)
    picks = picks[:MAX_RELATED]
    missing = MAX_RELATED - len(picks)
    if missing <= 0:
        return picks
    # An empty list in an aggregate's filter makes the whole sum empty, so only the
    # kinds the article has take part (a draft may have categories but no tags).
    shared_counts = []
    if not draft or own_categories:
        shared_counts.append(
            Count("categories", filter=Q(categories__in=own_categories), distinct=True)
        )
    if not draft or own_tags:
        shared_counts.append(
            Count(
                "tagged_items",
                filter=Q(tagged_items__tag_id__in=own_tags),
                distinct=True,
            )
        )
    if not shared_counts:
        return picks
    shared = shared_counts[0]
    for count in shared_counts[1:]:
        shared = shared + count
    # Count only over articles that share something (an indexed look-up in the two
    # through tables) rather than aggregating every public article.
    sharing = Q(
        pk__in=ArticlePage.categories.through.objects.filter(
            category_id__in=own_categories
        ).values("articlepage_id")
    ) | Q(
        pk__in=ArticleTag.objects.filter(tag_id__in=own_tags).values(
            "content_object_id"
        )
    )
    closest = (
        public.filter(sharing)
        .exclude(pk__in=[article.pk, *picks])
        .annotate(shared=shared)
        .filter(shared__gt=0)
        .order_by("-shared", "-first_published_at", "-pk")
        .values_list("pk", flat=True)[:missing]
    )
    return picks + list(closest)


def seo(article: ArticlePage, url: str, og_image: dict | None) -> dict:
    return {
        "title": article.seo_title or article.title,
        "description": article.search_description or strip_tags(article.intro),
        "canonical_url": settings.FRONTEND_BASE_URL.rstrip("/") + url,
        "og_image": og_image,
    }


def detail(article: ArticlePage, related: Sequence[ArticlePage]) -> dict:
    """The detail of an article (live or a preview), with already-loaded related."""
    raw_blocks = _raw_blocks(article)
    images = load_images(
        [
            article.hero_image_id,
            *body_image_ids(raw_blocks),
            *(r.hero_image_id for r in related),
        ],
        HERO_SPEC,
        BODY_IMAGE_SPEC,
    )
    data = summary(article, images)
    data["body"] = serialise_body(raw_blocks, images)
    data["related"] = [summary(r, images) for r in related]
    data["seo"] = seo(article, data["url"], data["hero_image"])
    return data


def load_related(article: ArticlePage, draft: bool = False) -> list[ArticlePage]:
    ids = related_ids(article, draft=draft)
    if not ids:
        return []
    # Categories and tags are prefetched by the caller, with the main article's.
    related = ArticlePage.objects.filter(pk__in=ids).select_related("author")
    by_id = {a.pk: a for a in related}
    return [by_id[i] for i in ids if i in by_id]


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
