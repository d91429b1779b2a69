"""Articles, authors and images to plain data in the contract's shapes.

Each function loads what it needs in a fixed number of queries, whatever the number
of articles, categories, tags, images or links: callers pin those counts in tests.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from urllib.parse import urljoin

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.utils.html import strip_tags
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, Filter
from wagtail.models import Page

from cms.content.models import ArticlePage, Author
from cms.content.models.pages import MAX_RELATED, ArticleTag, RelatedArticle
from cms.content.renditions import AVATAR_SPEC, BODY_IMAGE_SPEC, HERO_SPEC
from cms.content.visibility import public_articles
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


_FILTERS: dict[str, Filter] = {}


def _prefetched_rendition(image: AbstractImage, spec: str):
    """The loaded rendition for ``spec``, without Wagtail's get_rendition (which
    writes every rendition it returns back to the cache: a round trip per image)."""
    renditions = getattr(image, "prefetched_renditions", None)
    if not renditions:
        return None
    image_filter = _FILTERS.get(spec)
    if image_filter is None:
        image_filter = _FILTERS[spec] = Filter(spec=spec)
    key = image_filter.get_cache_key(image)
    for rendition in renditions:
        if rendition.filter_spec == spec and rendition.focal_point_key == key:
            return rendition
    return None


def image_out(image: AbstractImage | None, spec: str, alt: str = "") -> dict | None:
    if image is None:
        return None
    rendition = _prefetched_rendition(image, spec) or image.get_rendition(spec)
    return {
        "url": media_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt or image.title,
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


def load_terms(articles: Sequence[ArticlePage]) -> None:
    """Categories and tags of saved articles, for their summaries: 1 query.

    Django's ``prefetch_related`` takes 2 queries and builds a queryset per
    article for taggit's manager (8 ms of a 20-article list at 10,000 articles).
    """
    by_id = {article.pk: article for article in articles}
    for article in articles:
        article.summary_categories = []
        article.summary_tags = []
    if not by_id:
        return
    categories = ArticlePage.categories.through.objects.filter(
        articlepage_id__in=by_id
    ).values_list(Value("c"), "articlepage_id", "category__slug", "category__name")
    tags = ArticleTag.objects.filter(content_object_id__in=by_id).values_list(
        Value("t"), "content_object_id", "tag__slug", "tag__name"
    )
    for kind, pk, slug, name in categories.union(tags, all=True):
        if kind == "c":
            by_id[pk].summary_categories.append({"slug": slug, "name": name})
        else:
            by_id[pk].summary_tags.append(name)


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


def article_url(article: ArticlePage) -> str:
    return public_url_for_path(article.url_path) or article.url_path


def summary(article: ArticlePage, images: dict[int, AbstractImage]) -> dict:
    author = article.author
    categories, tags = _terms(article)
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": article_url(article),
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


# Closest candidates read per try, best first, before visibility is checked. Only
# when hidden articles crowd the top of the ranking is a wider window read.
CLOSEST_WINDOW = 20


def related_articles(article: ArticlePage, draft: bool = False) -> list[ArticlePage]:
    """Editor's public picks in order, then the closest public articles: 2 queries.

    For a live article the picks, categories and tags are read from the database;
    for a ``draft`` (a revision being previewed) from the object in memory. The
    articles come with their author, without their body; categories and tags are
    for the caller to load (:func:`load_terms`, with the main article's).

    The first query ranks (the picks, then the articles sharing most categories and
    tags, newest first on a tie); the second loads the public ones among them. The
    ranking reads :data:`CLOSEST_WINDOW` candidates; if too few of them are public
    and there are more, it is read again, wider.
    """
    if draft:
        picks = [link.article_id for link in article.related_links.all()]
        own_categories = [c.pk for c in article.categories.all() if c.pk]
        own_tags = [t.pk for t in article.tags.all() if t.pk]
        # Articles sharing a category or a tag with this one (only the kinds the
        # draft has take part: it may have categories but no tags).
        sharing_rows = []
        if own_categories:
            sharing_rows.append(
                ArticlePage.categories.through.objects.filter(
                    category_id__in=own_categories
                ).values(candidate=F("articlepage_id"))
            )
        if own_tags:
            sharing_rows.append(
                ArticleTag.objects.filter(tag_id__in=own_tags).values(
                    candidate=F("content_object_id")
                )
            )
    else:
        picks = []
        sharing_rows = live_sharing_rows(article.pk)
    window = CLOSEST_WINDOW
    while True:
        stored_picks, ranked = _ranking(
            article.pk, sharing_rows, window, with_picks=not draft
        )
        wanted = list(
            dict.fromkeys(
                pk for pk in (*picks, *stored_picks) if pk and pk != article.pk
            )
        )
        if not wanted and not ranked:
            return []
        public = {
            row.pk: row
            for row in public_articles()
            .filter(pk__in={*wanted, *ranked})
            .select_related("author")
            .defer("body")
        }
        chosen = choose_related(wanted, ranked, public, window)
        if chosen is not None:
            return [public[pk] for pk in chosen]
        window *= 4


def choose_related(
    wanted: list[int], ranked: list[int], public: Container[int], window: int
) -> list[int] | None:
    """The related posts' ids: the public picks in order, then the closest public
    ones, up to :data:`MAX_RELATED`; None when hidden articles crowd a full
    ``window`` of the ranking (read it again, wider)."""
    chosen = [pk for pk in wanted if pk in public][:MAX_RELATED]
    closest = [pk for pk in ranked if pk in public and pk not in wanted]
    needed = MAX_RELATED - len(chosen)
    if len(closest) >= needed or len(ranked) < window:
        return chosen + closest[:needed]
    return None


def ranking_sql(
    article_pk: int,
    sharing_rows: list[QuerySet],
    window: int,
    with_picks: bool,
    window_last: int | None = None,
) -> tuple[str, list] | None:
    """The ranking of :func:`_ranking` as SQL: rows of (kind, order, order, article),
    kind 0 for the stored picks (by sort_order, id), 1 for the closest (by rank)."""
    parts: list[tuple[str, tuple]] = []
    if with_picks:
        picks_sql, picks_params = (
            RelatedArticle.objects.filter(page_id=article_pk)
            .values_list("sort_order", "pk", "article_id")
            .query.sql_with_params()
        )
        parts.append((f"SELECT 0, picks.* FROM ({picks_sql}) AS picks", picks_params))
    if sharing_rows:
        sharing = [rows.query.sql_with_params() for rows in sharing_rows]
        union = " UNION ALL ".join(
            f"SELECT candidate FROM ({sql}) AS terms{i}"
            for i, (sql, _) in enumerate(sharing)
        )
        page = Page._meta.db_table
        # Only the candidates tied with or above the window's last one need their
        # publication date for the tie-break: the cut-off reads the counts alone,
        # so the page table is joined for a few dozen rows, not for every article
        # sharing a category (about 2,000 at 10,000 articles: 5 of the 11 ms).
        closest_sql = f"""
            WITH counted AS (
                SELECT candidate, COUNT(*) AS shared FROM ({union}) AS sharing
                WHERE candidate <> %s GROUP BY candidate
            )
            SELECT 1, ROW_NUMBER() OVER (
                ORDER BY counted.shared DESC, {page}.first_published_at DESC,
                {page}.id DESC
            ) AS position, 0, counted.candidate
            FROM counted
            JOIN {page} ON {page}.id = counted.candidate
            WHERE counted.shared >= COALESCE((
                SELECT cut.shared FROM counted AS cut
                ORDER BY cut.shared DESC LIMIT 1 OFFSET %s
            ), 0)
            ORDER BY position LIMIT %s"""
        parts.append(
            (
                f"SELECT * FROM ({closest_sql}) AS closest",
                (
                    *(p for _, ps in sharing for p in ps),
                    article_pk,
                    window - 1 if window_last is None else window_last,
                    window,
                ),
            )
        )
    if not parts:
        return None
    return (
        " UNION ALL ".join(sql for sql, _ in parts),
        [p for _, ps in parts for p in ps],
    )


def sort_ranking(rows: Iterable[tuple]) -> tuple[list[int], list[int]]:
    """(the stored picks in order, the closest in order) from ranking rows whose
    first four columns are :func:`ranking_sql`'s."""
    # Orderable's sort_order is nullable: such picks go last, as ORDER BY did.
    rows = sorted(rows, key=lambda r: (r[0], r[1] is None, r[1] or 0, r[2]))
    return [row[3] for row in rows if row[0] == 0], [
        row[3] for row in rows if row[0] == 1
    ]


def _ranking(
    article_pk: int, sharing_rows: list[QuerySet], window: int, with_picks: bool
) -> tuple[list[int], list[int]]:
    """(the stored picks in order, the ``window`` closest candidates): 1 query.

    The closest share the most categories and tags with the article, newest first
    on a tie, whether public or not: terms are counted once, in a GROUP BY over
    the rows sharing one, and only the ids are sorted. (Counting per public
    candidate and sorting whole rows cost 22 ms at 10,000 articles, where one
    category is shared by a fifth of them.)
    """
    query = ranking_sql(article_pk, sharing_rows, window, with_picks)
    if query is None:
        return [], []
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return sort_ranking(cursor.fetchall())


def live_sharing_rows(article_pk: int) -> list[QuerySet]:
    """The rows of articles sharing a category or a tag with a saved article."""
    own_categories = ArticlePage.categories.through.objects.filter(
        articlepage_id=article_pk
    ).values("category_id")
    own_tags = ArticleTag.objects.filter(content_object_id=article_pk).values("tag_id")
    return [
        ArticlePage.categories.through.objects.filter(
            category_id__in=own_categories
        ).values(candidate=F("articlepage_id")),
        ArticleTag.objects.filter(tag_id__in=own_tags).values(
            candidate=F("content_object_id")
        ),
    ]


def related_ids(article: ArticlePage, draft: bool = False) -> list[int]:
    return [a.pk for a in related_articles(article, draft=draft)]


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


def load_related(article: ArticlePage, draft: bool = False) -> list[ArticlePage]:
    # Categories and tags are loaded by the caller, with the main article's.
    return related_articles(article, draft=draft)


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
