"""Seed the benchmark database with N published articles, in bulk.

    .venv/bin/python -m bench.seed --articles 10000 [--drafts 1000]

``--drafts`` adds draft articles beside them, written the same way but never
published (a latest revision, no live one), as every site has.

Creating pages one by one through Wagtail (``add_child`` + ``publish()``)
runs at about 6 articles/s here, so this writes the same rows Wagtail would, a batch at
a time: treebeard paths computed in Python, pages and their ``ArticlePage`` rows
inserted in one statement each, then the tags, categories and related posts, then one
revision per page whose content is the page's own ``serializable_data()`` (exactly what
``save_revision`` stores), set as both its latest and its live revision. What it does
not write: publish log entries, the reference index and the search index (the
benchmark times Wagtail's ``update_index`` on these rows instead).

Text is generated from a word list with a fixed random seed, so two runs with the same
arguments produce the same articles.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

BATCH_SIZE = 1000
AUTHORS = [
    ("Alex Morgan", "alex-morgan"),
    ("Priya Shah", "priya-shah"),
    ("Tom Okafor", "tom-okafor"),
]
CATEGORIES = [
    "Sleep",
    "Nutrition",
    "Fitness",
    "Mental Health",
    "Heart Health",
    "Family",
    "Ageing Well",
    "Research",
    "Recipes",
    "Work and Stress",
    "Outdoors",
    "News and Blogs",
]
TAG_COUNT = 200
RELATED_PER_ARTICLE = 3
# Minutes between consecutive articles' publication times: 10k articles span ~3 months.
PUBLISH_SPACING_MINUTES = 13


@dataclass
class SeedReport:
    created: int
    total: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


def _sentence(rng: random.Random, words: int) -> str:
    from bench import words as w

    out = []
    for i in range(words):
        if i % 4 == 3:
            out.append(rng.choice(w.LINKS))
        elif i % 4 == 1:
            out.append(rng.choice(w.VERBS))
        elif i % 4 == 2:
            out.append(rng.choice(w.ADJECTIVES))
        else:
            out.append(rng.choice(w.NOUNS))
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: int, link_to: int | None) -> str:
    sentences = []
    remaining = words
    while remaining > 0:
        n = min(remaining, rng.randint(10, 18))
        sentences.append(_sentence(rng, n))
        remaining -= n
    if link_to is not None:
        i = rng.randrange(len(sentences))
        sentences[i] = f'<a linktype="page" id="{link_to}">{sentences[i]}</a>'
    j = rng.randrange(len(sentences))
    sentences[j] = f"<b>{sentences[j]}</b>"
    half = len(sentences) // 2 or 1
    return f"<p>{' '.join(sentences[:half])}</p><p>{' '.join(sentences[half:])}</p>"


def make_title(rng: random.Random) -> str:
    from bench import words as w

    pattern = rng.randrange(3)
    if pattern == 0:
        text = (
            f"How {rng.choice(w.ADJECTIVES)} {rng.choice(w.NOUNS)} "
            f"{rng.choice(w.VERBS)} your {rng.choice(w.NOUNS)}"
        )
    elif pattern == 1:
        text = (
            f"{rng.choice(w.NOUNS)} and {rng.choice(w.NOUNS)}: what the "
            f"{rng.choice(w.NOUNS)} {rng.choice(w.VERBS)}"
        )
    else:
        text = (
            f"The {rng.choice(w.ADJECTIVES)} {rng.choice(w.NOUNS)} guide to "
            f"{rng.choice(w.NOUNS)} and {rng.choice(w.NOUNS)}"
        )
    return text[0].upper() + text[1:]


def make_body(rng: random.Random, link_to: int | None) -> tuple[list[dict], int]:
    """Ten blocks of about 800 words; returns the raw stream data and its word count."""
    from bench import words as w

    blocks: list[tuple[str, object]] = []
    words = 0

    def para(link: int | None = None) -> None:
        nonlocal words
        n = rng.randint(110, 135)
        words += n
        blocks.append(("paragraph", _paragraph(rng, n, link)))

    def heading() -> None:
        nonlocal words
        text = make_title(rng)
        words += len(text.split())
        blocks.append(("heading", {"text": text, "level": "h2"}))

    heading()
    para(link_to)
    para()
    blocks.append(
        (
            "quote",
            {"text": _sentence(rng, 24), "attribution": rng.choice(w.ATTRIBUTIONS)},
        )
    )
    words += 26
    heading()
    para()
    para()
    items = [_sentence(rng, 9) for _ in range(4)]
    words += 36
    blocks.append(("list", {"style": "bulleted", "items": items}))
    para()
    para()
    raw = [
        {"type": kind, "value": value, "id": str(uuid.UUID(int=rng.getrandbits(128)))}
        for kind, value in blocks
    ]
    return raw, words


def ensure_taxonomy(rng: random.Random):
    """The 3 authors, 12 categories and 200 tags, created once."""
    from django.utils.text import slugify
    from taggit.models import Tag

    from bench import words as w
    from cms.content.models import Author, Category

    authors = [
        Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "bio": f"{name} writes about health."}
        )[0]
        for name, slug in AUTHORS
    ]
    categories = [
        Category.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": f"All {name}."}
        )[0]
        for name in CATEGORIES
    ]
    names: list[str] = []
    tag_rng = random.Random(200)
    for noun in w.NOUNS:
        if len(names) >= TAG_COUNT:
            break
        names.append(noun)
    while len(names) < TAG_COUNT:
        name = f"{tag_rng.choice(w.ADJECTIVES)} {tag_rng.choice(w.NOUNS)}"
        if name not in names:
            names.append(name)
    existing = {
        t.slug: t for t in Tag.objects.filter(slug__in=[slugify(n) for n in names])
    }
    missing = [
        Tag(name=n, slug=slugify(n)) for n in names if slugify(n) not in existing
    ]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    tags = list(Tag.objects.filter(slug__in=[slugify(n) for n in names]))
    return authors, categories, tags


def ensure_section():
    from wagtail.models import Site

    from cms.content.models import ArticleIndexPage

    site = Site.objects.get(is_default_site=True)
    section = ArticleIndexPage.objects.filter(slug="news").first()
    if section is None:
        section = site.root_page.add_child(
            instance=ArticleIndexPage(title="News and Blogs", slug="news")
        )
        section.save_revision().publish()
        section.refresh_from_db()
    return section


def _insert_batch(
    section,
    start: int,
    count: int,
    rng: random.Random,
    epoch,
    taxonomy,
    images,
    existing_ids: list[int],
    live: bool = True,
) -> list[int]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils.text import slugify
    from wagtail.models import Page, Revision

    from cms.content.models import ArticlePage, ArticleTag, RelatedArticle
    from cms.content.models.pages import WORDS_PER_MINUTE

    authors, categories, tags = taxonomy
    article_ct = ContentType.objects.get_for_model(ArticlePage)
    page_ct = ContentType.objects.get_for_model(Page)
    pages: list[ArticlePage] = []
    words_by_page: list[int] = []
    for offset in range(count):
        k = start + offset
        title = make_title(rng)
        slug = f"{slugify(title)[:70]}-{k}"
        at = epoch + timedelta(minutes=PUBLISH_SPACING_MINUTES * k)
        link_to = rng.choice(existing_ids) if existing_ids else None
        body, words = make_body(rng, link_to)
        intro = _sentence(rng, 22)
        words_by_page.append(words + 22)
        pages.append(
            ArticlePage(
                path=Page._get_path(section.path, section.depth + 1, k + 1),
                depth=section.depth + 1,
                numchild=0,
                translation_key=uuid.UUID(int=rng.getrandbits(128)),
                locale_id=section.locale_id,
                live=live,
                has_unpublished_changes=not live,
                first_published_at=at if live else None,
                last_published_at=at if live else None,
                latest_revision_created_at=at,
                title=title,
                draft_title=title,
                slug=slug,
                content_type_id=article_ct.id,
                url_path=f"{section.url_path}{slug}/",
                seo_title="",
                search_description=intro[:160],
                intro=intro,
                hero_image_id=rng.choice(images).id if images else None,
                hero_image_alt=f"Illustration for {title}",
                body=body,
                author_id=rng.choice(authors).id,
                display_date=at.date(),
                reading_time_minutes=max(1, math.ceil((words + 22) / WORDS_PER_MINUTE)),
            )
        )

    with transaction.atomic():
        page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
        rows = Page.objects._insert(
            pages, fields=page_fields, returning_fields=[Page._meta.pk]
        )
        for page, (pk,) in zip(pages, rows, strict=True):
            page.pk = page.id = page.page_ptr_id = pk
            page._state.adding = False
            page._state.db = "default"
        ArticlePage._base_manager._insert(
            pages, fields=list(ArticlePage._meta.local_concrete_fields)
        )
        new_ids = [p.pk for p in pages]
        pool = existing_ids + new_ids

        through = ArticlePage.categories.through
        category_rows, tag_rows, related_rows = [], [], []
        chosen: dict[int, tuple[list, list, list]] = {}
        for page in pages:
            cats = rng.sample(categories, rng.randint(1, 2))
            page_tags = rng.sample(tags, rng.randint(3, 5))
            related: list[int] = []
            while (
                len(pool) > RELATED_PER_ARTICLE and len(related) < RELATED_PER_ARTICLE
            ):
                candidate = rng.choice(pool)
                if candidate != page.pk and candidate not in related:
                    related.append(candidate)
            category_rows += [through(articlepage_id=page.pk, category=c) for c in cats]
            tag_rows += [
                ArticleTag(content_object_id=page.pk, tag=t) for t in page_tags
            ]
            related_rows += [
                RelatedArticle(page_id=page.pk, article_id=r, sort_order=i)
                for i, r in enumerate(related)
            ]
            chosen[page.pk] = (cats, page_tags, related)
        through.objects.bulk_create(category_rows)
        ArticleTag.objects.bulk_create(tag_rows)
        RelatedArticle.objects.bulk_create(related_rows)
        tags_by_page: dict[int, list] = {}
        for row in tag_rows:
            tags_by_page.setdefault(row.content_object_id, []).append(row)
        related_by_page: dict[int, list] = {}
        for row in related_rows:
            related_by_page.setdefault(row.page_id, []).append(row)

        revisions = []
        for page in pages:
            cats, _, _ = chosen[page.pk]
            # The in-memory cluster Wagtail would hold when saving a revision.
            page.categories = cats
            page.tagged_items = tags_by_page.get(page.pk, [])
            page.related_links = related_by_page.get(page.pk, [])
            revisions.append(
                Revision(
                    content_type_id=article_ct.id,
                    base_content_type_id=page_ct.id,
                    object_id=str(page.pk),
                    created_at=page.latest_revision_created_at,
                    object_str=page.title,
                    content=page.serializable_data(),
                )
            )
        Revision.objects.bulk_create(revisions)
        with connection.cursor() as cursor:
            # A draft has a latest revision and no live one.
            cursor.execute(
                "UPDATE wagtailcore_page AS p SET latest_revision_id = r.id,"
                " live_revision_id = CASE WHEN %s THEN r.id END"
                " FROM wagtailcore_revision AS r"
                " WHERE r.base_content_type_id = %s AND r.object_id = p.id::text"
                " AND p.id = ANY(%s)",
                [live, page_ct.id, new_ids],
            )
        Page.objects.filter(pk=section.pk).update(numchild=start + count)
    return new_ids


def seed_articles(
    count: int,
    *,
    batch_size: int = BATCH_SIZE,
    seed: int = 8,
    progress: bool = True,
    live: bool = True,
) -> SeedReport:
    """Add ``count`` published articles (drafts, with ``live=False``: never
    published, a latest revision and no live one) to the "news" section."""
    from django.utils import timezone

    from cms.content.demo import ensure_hero_images
    from cms.content.models import ArticlePage

    started = time.monotonic()
    rng = random.Random(seed)
    section = ensure_section()
    taxonomy = ensure_taxonomy(rng)
    images = ensure_hero_images()
    start = section.get_children().count()
    existing_ids = list(
        ArticlePage.objects.child_of(section)
        .filter(live=True)
        .order_by("-pk")
        .values_list("pk", flat=True)[:5000]
    )
    # Publication times run up to a minute ago, newest last.
    epoch = timezone.now() - timedelta(
        minutes=PUBLISH_SPACING_MINUTES * (start + count) + 1
    )
    bar = _progress_bar(count, progress)
    done = 0
    while done < count:
        n = min(batch_size, count - done)
        section.refresh_from_db(fields=["numchild"])
        new_ids = _insert_batch(
            section, start + done, n, rng, epoch, taxonomy, images, existing_ids, live
        )
        if live:
            existing_ids = (existing_ids + new_ids)[-5000:]
        done += n
        bar.update(n)
    bar.close()
    _analyze()
    return SeedReport(
        created=count,
        total=ArticlePage.objects.child_of(section).filter(live=live).count(),
        seconds=time.monotonic() - started,
    )


def _analyze() -> None:
    """VACUUM ANALYZE what the seed wrote, as a site's autovacuum would have by now.

    A bulk insert leaves the visibility map empty and the statistics stale, so the
    planner would read every heap row for index-only checks (the public-article
    filter of search and suggest) until autovacuum catches up.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = [
        "wagtailcore_page",
        "wagtailcore_revision",
        "content_articlepage",
        "content_articletag",
        "content_articlepage_categories",
        "content_relatedarticle",
        "taggit_tag",
    ]
    # VACUUM cannot run inside a transaction (a test's, say): ANALYZE alone there.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'{command} "{table}"')


def _progress_bar(total: int, enabled: bool):
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is in the bench extra
        tqdm = None
    if tqdm is not None:
        return tqdm(total=total, unit="article", disable=not enabled)

    class Plain:
        done = 0

        def update(self, n: int) -> None:
            self.done += n
            if enabled:
                print(f"  {self.done}/{total} articles", file=sys.stderr)

        def close(self) -> None:
            pass

    return Plain()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--drafts",
        type=int,
        default=0,
        help="also this many draft articles (never published), as a site has",
    )
    parser.add_argument(
        "--if-fewer",
        action="store_true",
        help="only add articles (and drafts) up to the numbers asked for in total"
        " (re-runs are no-ops)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from cms.content.models import ArticlePage

    count, drafts = args.articles, args.drafts
    if args.if_fewer:
        count = max(0, count - ArticlePage.objects.filter(live=True).count())
        drafts = max(0, drafts - ArticlePage.objects.filter(live=False).count())
    report = seed_articles(count, batch_size=args.batch_size, seed=args.seed)
    print(
        f"seeded {report.created} articles in {report.seconds:.1f} s "
        f"({report.per_second:.0f}/s); {report.total} in total"
    )
    if drafts or args.drafts:
        # Another random stream: the published articles stay those of --seed.
        report = seed_articles(
            drafts, batch_size=args.batch_size, seed=args.seed + 1, live=False
        )
        print(f"seeded {report.created} drafts; {report.total} in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
