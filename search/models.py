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


class TitleWord(models.Model):
    """A word of some article's title, lower-cased: the lexicon typo-tolerant
    suggest searches (a few thousand rows, with a trigram index) instead of
    comparing the typed word with every title.

    Filled by the indexing task and by ``reindex`` (search/suggest.py). It may hold
    words of titles that are not public, or no longer exist: suggest only uses it
    to find candidate words, and returns public articles only.
    """

    word = models.CharField(max_length=64, primary_key=True)

    class Meta:
        verbose_name = "title word"

    def __str__(self) -> str:
        return self.word
