"""Moderators' decisions: approve, reject (removed) or mark as spam, in bulk, and
open or close an article's comments. The admin views (comments/views.py) are thin
doors onto these."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from comments import events
from comments.models import BannedAddress, Comment, CommentThread

ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REMOVED,
    "spam": Comment.Status.SPAM,
    # Spam, and every later submission from the same address spam too.
    "ban": Comment.Status.SPAM,
}


def moderate(comment_ids: Iterable[int], action: str, user=None) -> int:
    """Set the comments' status; returns how many changed. ``comment.approved``
    for each newly approved one; the public view refreshed wherever an approved
    comment appeared or disappeared."""
    status = ACTIONS[action]
    ids = sorted({int(i) for i in comment_ids})
    with transaction.atomic():
        if action == "ban":
            ban_senders(ids, user)
        comments = list(
            Comment.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(status=status)
            .order_by("pk")
        )
        if not comments:
            return 0
        was_public = {c.article_id for c in comments if c.status == "approved"}
        now = timezone.now()
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(
            status=status, moderated_at=now, moderated_by=user, updated_at=now
        )
        for comment in comments:
            comment.status = status
        if status == Comment.Status.APPROVED:
            events.comments_approved(comments)
        else:
            events.public_comments_changed(was_public)
    return len(comments)


def ban_senders(comment_ids: list[int], user=None) -> int:
    """Ban the addresses these comments were sent from; how many were new."""
    hashes = set(
        Comment.objects.filter(pk__in=comment_ids)
        .exclude(address_hash="")
        .values_list("address_hash", flat=True)
    )
    created = BannedAddress.objects.bulk_create(
        [BannedAddress(address_hash=h, banned_by=user) for h in sorted(hashes)],
        ignore_conflicts=True,
    )
    return len(created)


def set_comments_open(article_id: int, open: bool) -> None:
    CommentThread.objects.update_or_create(
        article_id=article_id, defaults={"closed": not open}
    )
    # comments_open is part of the list response.
    events.public_comments_changed([article_id])


def pending_count() -> int:
    return Comment.objects.filter(status=Comment.Status.PENDING).count()
