"""Approved comments per article: the ``comment_count`` of every summary."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, QuerySet

from comments.models import Comment


def approved_counts(article_ids: Collection[int]) -> QuerySet:
    """Rows of (``article_id``, ``n``) for the articles with approved comments;
    read inside delivery's summary query (delivery/serializers.py, load_terms)."""
    return (
        Comment.objects.filter(
            article_id__in=article_ids, status=Comment.Status.APPROVED
        )
        .order_by()
        .values("article_id")
        .annotate(n=Count("id"))
    )
