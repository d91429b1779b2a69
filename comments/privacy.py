"""Personal data: erasing an author on request, and how long spam is kept.

An author is found by email (case-insensitively). Erasure either anonymises their
comments (name "Anonymous", email and address hash blanked, the text kept: the
replies of others stay readable) or removes them outright (deleted; replies to
them stay, top-level). Either way the public view is refreshed at once
(comments/events.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comments import events
from comments.models import Comment

ANONYMOUS = "Anonymous"
PURGE_BATCH = 1000


@dataclass(frozen=True)
class Erased:
    comments: int
    articles: int


def erase_author(email: str, remove: bool = False) -> Erased:
    with transaction.atomic():
        comments = Comment.objects.select_for_update().filter(
            author_email__iexact=email.strip()
        )
        rows = list(comments.values_list("pk", "article_id", "status"))
        public = {article for _, article, status in rows if status == "approved"}
        if remove:
            Comment.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
        else:
            comments.update(
                author_name=ANONYMOUS,
                author_email="",
                address_hash="",
                anonymised=True,
                updated_at=timezone.now(),
            )
        events.public_comments_changed(public)
    return Erased(len(rows), len({article for _, article, _ in rows}))


def purge_spam(now=None) -> int:
    """Delete spam older than COMMENT_SPAM_RETENTION_DAYS (0 keeps it): how many."""
    days = settings.COMMENT_SPAM_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            Comment.objects.filter(status=Comment.Status.SPAM, created_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:PURGE_BATCH]
        )
        if not ids:
            return deleted
        deleted += Comment.objects.filter(pk__in=ids).delete()[0]
