"""The delivery API's read model: each public article's rendered JSON, kept in the
database beside the page it was rendered from.

A document is a rendering of one live article (delivery/read_model.py renders it
on the workers after a publish). It is served only while it still describes the
page exactly: the same live revision, publication times and ``url_path``, rendered
under the current :class:`DocumentEpoch` and the current :data:`format` (settings
that shape the output). Anything else that a document shows (authors, categories,
tags, images, documents, sites) bumps the epoch when it changes, retiring every
document at once. Visibility is never stored: every read joins the public query.
"""

from __future__ import annotations

from django.db import models


class ArticleDocument(models.Model):
    page = models.OneToOneField(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="delivery_document",
    )
    # What the page looked like when this was rendered: a mismatch means stale.
    revision_id = models.BigIntegerField()
    first_published_at = models.DateTimeField(null=True)
    last_published_at = models.DateTimeField(null=True)
    url_path = models.TextField()
    epoch = models.BigIntegerField()
    format = models.CharField(max_length=32)
    # The summary's JSON, as it appears in lists and related blocks.
    summary = models.TextField()
    # The detail's JSON around its "related" list: head + "[...]" + tail. Internal
    # page links in the body are markers, resolved against the public pages on read.
    detail_head = models.TextField()
    detail_tail = models.TextField()
    link_page_ids = models.JSONField(default=list)
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "delivery document"

    def __str__(self) -> str:
        return f"document of page {self.page_id} (revision {self.revision_id})"


class DocumentEpoch(models.Model):
    """One row: bumped, in the same transaction, by any change that alters what
    stored documents show without changing the article itself."""

    value = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "delivery document epoch"

    def __str__(self) -> str:
        return f"epoch {self.value}"
