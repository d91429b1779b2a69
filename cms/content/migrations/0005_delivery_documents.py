"""Stored delivery documents (the read model), the epoch row that retires them,
and two indexes that let the related-posts ranking count shared categories and
tags from the indexes alone (an index-only scan, not a heap visit per row).
"""

import django.db.models.deletion
from django.db import migrations, models


TERM_INDEXES = {
    "content_category_articles": (
        "content_articlepage_categories (category_id, articlepage_id)"
    ),
    "content_tag_articles": "content_articletag (tag_id, content_object_id)",
}


def create_epoch(apps, schema_editor):
    apps.get_model("content", "DocumentEpoch").objects.get_or_create(
        pk=1, defaults={"value": 1}
    )


def create_indexes(apps, schema_editor):
    for name, target in TERM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    for name in TERM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_live_page_cover_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleDocument",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="delivery_document",
                        serialize=False,
                        to="content.articlepage",
                    ),
                ),
                ("revision_id", models.BigIntegerField()),
                ("first_published_at", models.DateTimeField(null=True)),
                ("last_published_at", models.DateTimeField(null=True)),
                ("url_path", models.TextField()),
                ("epoch", models.BigIntegerField()),
                ("format", models.CharField(max_length=32)),
                ("summary", models.TextField()),
                ("detail_head", models.TextField()),
                ("detail_tail", models.TextField()),
                ("link_page_ids", models.JSONField(default=list)),
                ("rendered_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "delivery document",
            },
        ),
        migrations.CreateModel(
            name="DocumentEpoch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("value", models.BigIntegerField(default=1)),
            ],
            options={
                "verbose_name": "delivery document epoch",
            },
        ),
        migrations.RunPython(create_epoch, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
