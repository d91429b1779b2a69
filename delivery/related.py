"""Related posts: the editor's picks first, then the closest public articles.

The ranking is SQL (:func:`ranking_sql`), so that the stored documents' read
(delivery/read_model.py) can run it in the same statement as the visibility check;
the live path (:func:`related_articles`) runs it on its own. Closest means sharing
the most categories and tags, newest first on a tie, whether public or not;
visibility is checked afterwards, on the candidates read.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from django.db import connection
from django.db.models import F, QuerySet
from wagtail.models import Page

from cms.content.models import ArticlePage
from cms.content.models.pages import MAX_RELATED, ArticleTag, RelatedArticle
from cms.content.visibility import public_articles

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
        # sharing a category (a fifth of them, for a broad category).
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
    candidate and sorting whole rows was several times slower where one category
    is shared by a fifth of the articles: docs/benchmarks-optimisations.md.)
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
