"""The title-word lexicon of typo-tolerant suggest, with a trigram index on
PostgreSQL, filled from the existing article titles."""

from django.db import migrations, models

INDEX = "cms_search_titleword_trgm"


def create_index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cms_search_titleword "
        "USING gin (word gin_trgm_ops)"
    )
    from search.suggest import refresh_title_words

    refresh_title_words(connection=schema_editor.connection)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cms_search", "0002_title_trigram_index"),
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TitleWord",
            fields=[
                (
                    "word",
                    models.CharField(max_length=64, primary_key=True, serialize=False),
                ),
            ],
            options={"verbose_name": "title word"},
        ),
        migrations.RunPython(create_index_and_fill, drop_index),
    ]
