"""What changed, said once: the one place where publishing tells the rest of the house.

Three batch-shaped signals, each naming the articles it concerns (``page_ids``):

- ``articles_published(page_ids, pages, revision_ids)``: these articles went live
  (a first publish or a republish), each at ``revision_ids[page_id]``;
- ``articles_unpublished(page_ids, pages, reasons)``: these articles stopped being
  live, each for ``reasons[page_id]`` (``"unpublished"``, ``"expired"`` or
  ``"deleted"``);
- ``articles_updated(page_ids, changed)``: their public JSON changed without a
  publish of their own, because the ``changed`` thing they show (``"author"``,
  ``"category"``, ``"tag"``, ``"image"``, ``"related"``) was renamed or replaced,
  or (``"section"``) their section was renamed or the tree around them changed.

Every way of publishing sends them alike. Wagtail's own publish and unpublish (the
admin, a workflow, API v3, the sweep's one-by-one path, releases) reach
:func:`announce_published` / :func:`announce_unpublished` through Wagtail's
``page_published`` / ``page_unpublished`` (publishing/signal_handlers.py); the batch
writer (publishing/bulk.py) sends Wagtail's signals for its pages inside
:func:`one_batch`, so its listeners hear the whole batch in one signal, as they hear
a release's articles.

They are sent inside the transaction of the change, once per batch: a listener
writes there what must commit with the change (the outbox's event rows, the search
index's pending updates: the database is the record, R7) and leaves everything else
(messages to the workers, cache bumps, purges) to ``transaction.on_commit``, so a
rolled-back publish is heard of by nobody outside the database.

The listeners, each connected in its app's ``AppConfig.ready()``: the outbox
(webhooks) in publishing/signal_handlers.py, the search index in
search/signal_handlers.py, the stored documents and the response cache in
delivery/signal_handlers.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.dispatch import Signal
from wagtail.models import Page

articles_published = Signal()
articles_unpublished = Signal()
articles_updated = Signal()


@dataclass
class _Batch:
    published: dict[int, tuple[Page, int]] = field(default_factory=dict)
    unpublished: dict[int, tuple[Page, str]] = field(default_factory=dict)


_BATCH: ContextVar[_Batch | None] = ContextVar("publishing_batch", default=None)


@contextmanager
def one_batch() -> Iterator[None]:
    """Hold the announcements made inside; send them as one signal each on the way
    out (still inside the caller's transaction). Nested batches join the outer one;
    an exception drops what was held, as the transaction drops the change."""
    if _BATCH.get() is not None:
        yield
        return
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        yield
    finally:
        _BATCH.reset(token)
    _send_published(batch.published)
    _send_unpublished(batch.unpublished)


def announce_published(page: Page, revision_id: int) -> None:
    """``page`` went live at ``revision_id`` (held while a batch is open)."""
    batch = _BATCH.get()
    if batch is None:
        _send_published({page.pk: (page, revision_id)})
    else:
        batch.unpublished.pop(page.pk, None)
        batch.published[page.pk] = (page, revision_id)


def announce_unpublished(page: Page, reason: str = "unpublished") -> None:
    """``page`` stopped being live for ``reason`` (held while a batch is open)."""
    batch = _BATCH.get()
    if batch is None:
        _send_unpublished({page.pk: (page, reason)})
    else:
        batch.published.pop(page.pk, None)
        batch.unpublished[page.pk] = (page, reason)


def announce_updated(page_ids: Iterable[int], changed: str) -> None:
    """These articles' public JSON changed because of ``changed`` (see above)."""
    ids = sorted({int(i) for i in page_ids})
    if ids:
        articles_updated.send(sender=Page, page_ids=ids, changed=changed)


def _send_published(published: dict[int, tuple[Page, int]]) -> None:
    if published:
        articles_published.send(
            sender=Page,
            page_ids=list(published),
            pages=[page for page, _ in published.values()],
            revision_ids={pk: revision for pk, (_, revision) in published.items()},
        )


def _send_unpublished(unpublished: dict[int, tuple[Page, str]]) -> None:
    if unpublished:
        articles_unpublished.send(
            sender=Page,
            page_ids=list(unpublished),
            pages=[page for page, _ in unpublished.values()],
            reasons={pk: reason for pk, (_, reason) in unpublished.items()},
        )
