"""What a comment's change tells the rest of the house and the outside world.

- ``comment.created`` (a comment awaits moderation) and ``comment.approved``
  through publishing's outbox (publishing/events.py), in the caller's
  transaction, so that the change and its event commit or roll back together.
  The body carries ids and public fields only: never an email or an address
  hash, and a pending comment's text only once it is approved.
- Whenever what the public sees changes (a comment approved, or an approved one
  taken down), once the transaction commits: the articles' stored documents are
  rendered again (their ``comment_count``), then every cached response is
  retired, so that the very next request sees the comment and the new count.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cms.content.models import ArticleDocument, ArticlePage
from comments.models import Comment
from delivery import read_model, tasks
from delivery.cache import bump_content_version
from delivery.serializers import article_url
from publishing import events as outbox

COMMENT_CREATED = outbox.COMMENT_CREATED
COMMENT_APPROVED = outbox.COMMENT_APPROVED


def _data(comment: Comment, article: ArticlePage, public: bool) -> dict:
    data = {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "created_at": comment.created_at.isoformat(),
        "article": {
            "id": article.pk,
            "slug": article.slug,
            "url": article_url(article),
        },
    }
    if public:
        data["author_name"] = comment.author_name
        data["body"] = comment.body
    return data


def comment_created(comment: Comment) -> None:
    outbox.record_event(COMMENT_CREATED, _data(comment, comment.article, False))


def comments_approved(comments: list[Comment]) -> None:
    """Record ``comment.approved`` for each, and refresh what shows them."""
    articles = {
        a.pk: a
        for a in ArticlePage.objects.filter(
            pk__in={c.article_id for c in comments}
        ).only("pk", "slug", "url_path")
    }
    outbox.record_events(
        COMMENT_APPROVED, [_data(c, articles[c.article_id], True) for c in comments]
    )
    public_comments_changed(articles)


def public_comments_changed(article_ids: Iterable[int]) -> None:
    """After commit: the articles' documents rendered again, responses retired."""
    ids = sorted(set(article_ids))
    if ids:
        transaction.on_commit(lambda: _refresh(ids), robust=True)


def _refresh(article_ids: list[int]) -> None:
    try:
        read_model.render_documents(article_ids)
    except Exception:
        # A stale count must not stay servable: without a document the API
        # renders from the pages, counting live, until the worker renders one.
        ArticleDocument.objects.filter(page_id__in=article_ids).delete()
        raise
    finally:
        # Even if rendering failed: the API then renders from the pages, with
        # the count read live, and the worker renders the documents.
        bump_content_version()
        tasks.enqueue_render(article_ids)
