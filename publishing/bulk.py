"""Publishing many due revisions at once: what Wagtail's publish does, in bulk.

Why: a release of news at 09:00:00 can be a thousand articles due at the same
second, and the contract says they are all live within 10 s. Wagtail's
``revision.publish()`` costs dozens of queries per page (validation with a query
per foreign key, one UPDATE per child row, a log entry, its signals' own inserts
and Celery messages, a commit), too much CPU for a thousand at once (figures:
docs/benchmarks-optimisations.md). This module does the same work for a batch of
pages with a constant number of queries per batch plus two UPDATEs per page, in
one transaction.

For every page of the batch it does what ``PublishPageRevisionAction`` (Wagtail
8.0) does when a revision goes live, and nothing less:

* the page row and the article row are written from the revision's content
  (``Page.with_content_json``), with ``live``, ``live_revision``,
  ``has_unpublished_changes``, ``first_published_at``/``last_published_at``,
  ``expired`` set as Wagtail sets them, and the reading time recomputed as
  ``ArticlePage.save`` does;
* child relations (tags, related links) and the categories are brought to the
  revision's state, preserving row ids as modelcluster's ``commit()`` does;
* every revision of the page loses ``approved_go_live_at`` (the compare-and-set
  that makes a duplicate delivery find nothing to do);
* the audit log gets Wagtail's entries (``wagtail.rename`` when the title changes,
  then ``wagtail.publish.scheduled``), with Wagtail's labels, data and uuid;
* Wagtail's ``page_published`` and ``published`` signals are sent for each page,
  so any receiver (front-end cache purges, third-party apps) hears of it; inside
  ``publishing.signals.one_batch()``, so that our own ``articles_published`` is
  sent once for the batch and its listeners work once for it (the outbox rows in
  one INSERT, one search-index record, one render of documents, one cache bump);
* the reference index is updated by the task Wagtail's post_save handler enqueues
  for a saved page (a save is what the bulk path skips).

This module writes; it does not decide what is due. Its caller
(``golive.publish_revisions_if_due``) takes the row locks, re-reads the schedule
and waits for T (the protocol every publish follows), then hands it the revisions
due. Pages the bulk path does not handle are left to Wagtail's own
``revision.publish()`` (``golive.publish_revision_if_due``), after the batch: a
page that is not an article, whose slug changes (descendants' URL paths move),
that is a site root, has aliases, comments, or a workflow in progress. And if the
batch transaction fails at all (say a related article was deleted and the foreign
key fails at commit), every page of the batch is retried that way, so one bad page
fails alone, with Wagtail's own validation error.

What the bulk path does not repeat: Wagtail's ``full_clean()`` queries for every
foreign key and re-runs the model's cross-object checks (the revision passed them
when it was saved and scheduled; the database checks the foreign keys before the
batch commits, and a missing target sends the batch down the one-by-one path).
Field-level checks (lengths, choices, required fields) still run.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import ForeignKey
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Page,
    PageLogEntry,
    Revision,
    Site,
    WorkflowState,
)
from wagtail.signals import page_published, published
from wagtail.tasks import update_reference_index_task

from cms.content.models import ArticlePage
from publishing import signals

logger = logging.getLogger(__name__)

# Pages per transaction. The sweep hands a second's worth of due revisions to the
# workers in chunks of this size, so that several worker processes share a burst.
BATCH_SIZE = 50
PUBLISH_ACTION = "wagtail.publish.scheduled"


def publish_revisions(
    revisions: list[Revision], now: datetime
) -> tuple[list[int], list[int]]:
    """Publish these revisions, due and locked by the caller (publishing/golive.py),
    as of ``now``, in the caller's transaction: (the ids published here, the ids
    left for Wagtail's own publish, one by one)."""
    article_ct = ContentType.objects.get_for_model(ArticlePage)
    pages = ArticlePage.objects.in_bulk([int(r.object_id) for r in revisions])
    slow = []
    by_page: dict[int, Revision] = {}
    for revision in sorted(revisions, key=lambda r: r.id):
        page = pages.get(int(revision.object_id))
        if page is None or revision.content_type_id != article_ct.id:
            slow.append(revision.id)
        elif page.id in by_page:  # two approved revisions of one page: Wagtail's way
            slow.append(revision.id)
        else:
            by_page[page.id] = revision
    slow_pages = _pages_for_wagtail(pages, by_page)
    for page_id in slow_pages:
        slow.append(by_page.pop(page_id).id)
    if not by_page:
        return [], slow
    _publish_pages([(pages[pid], rev) for pid, rev in by_page.items()], now)
    return [rev.id for rev in by_page.values()], slow


def _pages_for_wagtail(pages: dict[int, ArticlePage], by_page: dict) -> set[int]:
    """Pages whose publish has side effects only Wagtail's own publish handles."""
    ids = list(by_page)
    if not ids:
        return set()
    slow = set()
    for page_id, revision in by_page.items():
        if revision.content.get("slug", pages[page_id].slug) != pages[page_id].slug:
            slow.add(page_id)  # url_path of the page and its descendants changes
    slow |= set(
        Page.objects.filter(alias_of_id__in=ids).values_list("alias_of_id", flat=True)
    )
    comments = getattr(ArticlePage, COMMENTS_RELATION_NAME).rel.related_model
    slow |= set(
        comments.objects.filter(page_id__in=ids).values_list("page_id", flat=True)
    )
    slow |= {
        int(object_id)
        for object_id in WorkflowState.objects.active()
        .filter(
            base_content_type_id=ContentType.objects.get_for_model(Page).id,
            object_id__in=[str(i) for i in ids],
        )
        .values_list("object_id", flat=True)
    }
    keys = {pages[i].translation_key: i for i in ids}
    slow |= {
        keys[key]
        for key in Site.objects.filter(root_page__translation_key__in=list(keys))
        .values_list("root_page__translation_key", flat=True)
        .distinct()
    }
    return slow


def _publish_pages(batch: list[tuple[ArticlePage, Revision]], now: datetime) -> None:
    page_ids = [page.id for page, _ in batch]
    order = _revision_order(page_ids)
    parents = _parents([page for page, _ in batch])
    unchecked = _unchecked_fields()
    objects = []
    for page, revision in batch:
        page._cached_parent_obj = parents[page.path[: -Page.steplen]]
        old_title = page.title
        obj = _as_object(page, revision.content)
        if obj.go_live_at and obj.go_live_at > now:
            # A clock a few ms behind the one that fired the reminder.
            obj.go_live_at = now
        obj.live = True
        latest_id, earlier = order[page.id].get(revision.id, (None, False))
        obj.has_unpublished_changes = latest_id != revision.id
        obj.expired = False
        obj.last_published_at = now
        obj.live_revision = revision
        if obj.first_published_at is None:
            obj.first_published_at = now
        obj.reading_time_minutes = obj.compute_reading_time()
        obj.clean_fields(exclude=unchecked)
        renamed = earlier and str(obj) != old_title
        objects.append((obj, revision, old_title if renamed else None))

    _write_rows([obj for obj, _, _ in objects])
    _sync_child_relations([obj for obj, _, _ in objects])
    # Foreign keys are checked now rather than at commit (PostgreSQL defers them):
    # a missing target fails this batch here, whether or not a caller's outer
    # transaction is open, and Wagtail's own publish takes its pages one by one.
    connection.check_constraints(table_names=_written_tables())
    Revision.page_revisions.filter(object_id__in=[str(i) for i in page_ids]).update(
        approved_go_live_at=None
    )
    # Wagtail's signals for each page, as its publish sends them; ours (sent by
    # their receiver, publishing/signal_handlers.py) once for the whole batch.
    with signals.one_batch():
        for obj, revision, _ in objects:
            page_published.send(sender=ArticlePage, instance=obj, revision=revision)
            published.send(sender=ArticlePage, instance=obj, revision=revision)
        _log(objects, now)
    # What Wagtail's post_save handler enqueues for each saved page.
    for obj, _, _ in objects:
        update_reference_index_task.enqueue(
            obj._meta.app_label, obj._meta.model_name, str(obj.pk)
        )
    for obj, revision, _ in objects:
        logger.info(
            'Published: "%s" pk=%s revision_id=%d', str(obj), obj.pk, revision.id
        )


def _as_object(page: ArticlePage, content: dict) -> ArticlePage:
    """``page.with_content_json(content)`` (Wagtail 8.0) without its per-row queries.

    Wagtail reads each foreign key's target to drop or null a missing one
    (modelcluster's ``check_fks``) and the page's comments; here the database's
    foreign keys do the first (a missing target fails the batch at commit, and
    Wagtail's own publish then handles each page as it would), and pages with
    comments never reach this path.
    """
    obj = ArticlePage.from_serializable_data(content, check_fks=False)
    # What with_content_json keeps from the page row rather than the revision.
    obj.id = obj.pk = page.pk
    obj.content_type_id = page.content_type_id
    obj.path, obj.depth, obj.numchild = page.path, page.depth, page.numchild
    obj.set_url_path(page._cached_parent_obj)
    obj.draft_title = page.draft_title
    obj.live = page.live
    obj.has_unpublished_changes = page.has_unpublished_changes
    obj.owner_id = page.owner_id
    obj.locked = page.locked
    obj.locked_by_id = page.locked_by_id
    obj.locked_at = page.locked_at
    obj.latest_revision_id = page.latest_revision_id
    obj.latest_revision_created_at = page.latest_revision_created_at
    if obj.first_published_at is None:
        obj.first_published_at = page.first_published_at
    obj.translation_key = page.translation_key
    obj.locale_id = page.locale_id
    obj.alias_of_id = page.alias_of_id
    setattr(obj, COMMENTS_RELATION_NAME, [])
    return obj


def _revision_order(page_ids: list[int]) -> dict[int, dict[int, tuple[int, bool]]]:
    """Per page: revision id → (the page's latest revision id, has an earlier one).

    Wagtail's ``is_latest_revision()`` and ``get_previous()``, for all pages in one
    query: order by (created_at, id).
    """
    rows = Revision.page_revisions.filter(
        object_id__in=[str(i) for i in page_ids]
    ).values_list("object_id", "id", "created_at")
    per_page = defaultdict(list)
    for object_id, revision_id, created_at in rows:
        per_page[int(object_id)].append((created_at, revision_id))
    order = {}
    for page_id, revisions in per_page.items():
        revisions.sort()
        latest = revisions[-1][1]
        order[page_id] = {
            revision_id: (latest, position > 0)
            for position, (_, revision_id) in enumerate(revisions)
        }
    return order


def _parents(pages: list[Page]) -> dict[str, Page]:
    paths = {page.path[: -Page.steplen] for page in pages}
    return {parent.path: parent for parent in Page.objects.filter(path__in=paths)}


def _written_tables() -> list[str]:
    models = [Page, ArticlePage]
    models += [rel.related_model for rel in get_all_child_relations(ArticlePage)]
    models += [f.remote_field.through for f in get_all_child_m2m_relations(ArticlePage)]
    return [model._meta.db_table for model in models]


def _unchecked_fields() -> list[str]:
    # Foreign keys are checked by the database (see _publish_pages).
    return [
        field.name
        for field in ArticlePage._meta.concrete_fields
        if isinstance(field, ForeignKey)
    ]


def _write_rows(objs: list[ArticlePage]) -> None:
    """UPDATE the page and article rows of the batch: one executemany per table.

    What ``Model.save()`` writes for an existing row (every concrete column), with
    the same conversions (``get_db_prep_save``), and no pre/post_save signals:
    their receivers' work (search and reference index) is queued for the batch.
    """
    for model in (Page, ArticlePage):
        fields = [
            f
            for f in model._meta.local_concrete_fields
            if not f.primary_key and f.name != "page_ptr"
        ]
        quote = connection.ops.quote_name
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            quote(model._meta.db_table),
            ", ".join(f"{quote(f.column)} = %s" for f in fields),
            quote(model._meta.pk.column),
        )
        rows = [
            [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
            + [obj.pk]
            for obj in objs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _sync_child_relations(objs: list[ArticlePage]) -> None:
    """Bring each child relation and parental m2m to the revision's state.

    modelcluster's ``commit()`` per page and relation, with the same outcome
    (rows missing from the revision deleted, rows with an id kept and updated,
    new rows inserted), in a handful of queries for the whole batch.
    """
    if not objs:
        return
    sample = objs[0]
    for rel in get_all_child_relations(sample):
        if rel.get_accessor_name() == COMMENTS_RELATION_NAME:
            continue  # Wagtail keeps comments out of revisions' publish
        _sync_children(objs, rel)
    for field in get_all_child_m2m_relations(sample):
        _sync_m2m(objs, field)


def _sync_children(objs: list[ArticlePage], rel) -> None:
    name = rel.get_accessor_name()
    model = rel.related_model
    fk = rel.field.attname
    wanted = {}
    for obj in objs:
        items = getattr(obj, "_cluster_related_objects", {}).get(name)
        if items is None:
            continue  # not in the revision: modelcluster leaves the rows alone
        for item in items:
            setattr(item, fk, obj.pk)
        wanted[obj.pk] = items
    if not wanted:
        return
    existing = {
        item.pk: item for item in model.objects.filter(**{f"{fk}__in": list(wanted)})
    }
    keep = {item.pk for items in wanted.values() for item in items if item.pk}
    gone = [pk for pk in existing if pk not in keep]
    if gone:
        model.objects.filter(pk__in=gone).delete()
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    changed, new = [], []
    for items in wanted.values():
        for item in items:
            current = existing.get(item.pk) if item.pk else None
            if current is None:
                new.append(item)
            elif any(
                getattr(current, f.attname) != getattr(item, f.attname) for f in columns
            ):
                changed.append(item)
    for item in changed:
        model.objects.filter(pk=item.pk).update(
            **{f.attname: getattr(item, f.attname) for f in columns}
        )
    if new:
        model.objects.bulk_create(new)


def _sync_m2m(objs: list[ArticlePage], field) -> None:
    through = field.remote_field.through
    source = field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    wanted = {}
    for obj in objs:
        items = getattr(obj, "_cluster_related_objects", {}).get(field.name)
        if items is None:
            continue
        wanted[obj.pk] = {item.pk for item in items}
    if not wanted:
        return
    existing = defaultdict(set)
    rows = through.objects.filter(**{f"{source}__in": list(wanted)}).values_list(
        source, target
    )
    for page_id, target_id in rows:
        existing[page_id].add(target_id)
    for page_id, targets in wanted.items():
        removed = existing[page_id] - targets
        if removed:
            through.objects.filter(
                **{source: page_id, f"{target}__in": list(removed)}
            ).delete()
    through.objects.bulk_create(
        [
            through(**{f"{source}_id": page_id, f"{target}_id": target_id})
            for page_id, targets in wanted.items()
            for target_id in sorted(targets - existing[page_id])
        ]
    )


def _log(objects: list[tuple[ArticlePage, Revision, str | None]], now) -> None:
    """Wagtail's audit-log entries for a publish, as ``log()`` writes them."""
    context = get_active_log_context()
    content_type = ContentType.objects.get_for_model(
        ArticlePage, for_concrete_model=False
    )
    entries = []
    for obj, revision, old_title in objects:
        data = {}
        if old_title is not None:
            data = {"title": {"old": old_title, "new": str(obj)}}
        common = {
            "content_type": content_type,
            "label": obj.get_admin_display_title(),
            "timestamp": now,
            "data": data,
            "revision": revision,
            "user": context.user,
            "uuid": context.uuid,
            "page": obj,
        }
        if old_title is not None:
            entries.append(PageLogEntry(action="wagtail.rename", **common))
        entries.append(
            PageLogEntry(action=PUBLISH_ACTION, content_changed=True, **common)
        )
    PageLogEntry.objects.bulk_create(entries)
