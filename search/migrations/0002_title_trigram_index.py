"""Typo-tolerant suggest on PostgreSQL: pg_trgm and a trigram index on page titles.

The index serves both the word-start regex (``~*``) and the word-similarity
(``%>``) lookups of search/suggest.py. On other databases this does nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "cms_search_page_title_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page "
        "USING gin (title gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cms_search", "0001_pending_index_update"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
