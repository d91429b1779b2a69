"""Indexes on Wagtail's page table for the delivery API's cold path.

Each one replaced a whole-table scan that every uncached delivery request paid
(figures at 10,000 articles in docs/benchmarks-optimisations.md):

- ``content_page_maybe_hidden``: the pages that can hide their subtree by their own
  state (not live, expired, or with a go-live or expiry time), which is what
  ``cms.content.visibility`` looks up among a page's ancestors. Usually a handful.
- ``content_page_published_order`` and ``content_page_title_order``: the list's
  orderings (``with_sort_keys``), so a page of 20 reads 20 index entries instead
  of sorting every live page.
- ``content_page_expire_at`` / ``content_page_go_live_at``: the next go-live or
  expiry boundary (``cms.content.cache``), read from the index's first entry.

Plain SQL because the table is Wagtail's; partial indexes work on PostgreSQL and
SQLite alike.
"""

from django.db import migrations

INDEXES = {
    "content_page_maybe_hidden": "(path) WHERE NOT live OR expired"
    " OR go_live_at IS NOT NULL OR expire_at IS NOT NULL",
    "content_page_published_order": "((COALESCE(first_published_at,"
    " latest_revision_created_at)), id) WHERE live AND NOT expired",
    "content_page_title_order": "(title, id) WHERE live AND NOT expired",
    "content_page_expire_at": "(expire_at) WHERE expire_at IS NOT NULL",
    "content_page_go_live_at": "(go_live_at) WHERE go_live_at IS NOT NULL",
}


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_editorial_review_workflow"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
