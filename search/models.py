"""What the search index still owes: one row per article change not yet indexed."""

from django.db import models
from django.utils import timezone


class PendingIndexUpdate(models.Model):
    """An article whose public state changed and whose index entry is not updated yet.

    Written in the transaction that publishes, unpublishes or renames (so it exists
    exactly when the change does) and deleted by the indexing task once the entry
    reflects it. The oldest row's age is the index lag the status endpoint reports.
    No foreign key: a deleted page's row must still be clearable.
    """

    page_id = models.BigIntegerField(db_index=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "pending index update"

    def __str__(self) -> str:
        return f"page {self.page_id} changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"
