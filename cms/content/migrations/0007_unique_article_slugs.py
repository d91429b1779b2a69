"""Article slugs become unique across the site (CONTRACT section 1). Where two or
more articles already share a slug, the oldest keeps it and each other one gets the
first free ``<slug>-<n>``: its page row, its URL path and its latest and live
revisions, so that a later publish does not bring the duplicate back. Each rename is
printed, and Wagtail's redirects app is not involved (the old URL named the oldest
article all along: ``/api/v1/articles/{slug}/`` served it)."""

from django.db import migrations
from django.db.models import Count


def rename_duplicates(apps, schema_editor):
    ArticlePage = apps.get_model("content", "ArticlePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    taken = set(ArticlePage.objects.values_list("slug", flat=True))
    shared = (
        ArticlePage.objects.order_by()
        .values("slug")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("slug", flat=True)
    )
    for slug in list(shared):
        pages = ArticlePage.objects.filter(slug=slug).order_by(
            "first_published_at", "pk"
        )
        for page in list(pages)[1:]:
            n = 2
            while f"{slug}-{n}" in taken:
                n += 1
            new = f"{slug}-{n}"
            taken.add(new)
            old_url = page.url_path
            page.slug = new
            page.url_path = old_url[: -len(slug) - 1] + new + "/"
            page.save(update_fields=["slug", "url_path"])
            for revision_id in {page.latest_revision_id, page.live_revision_id} - {
                None
            }:
                revision = Revision.objects.filter(pk=revision_id).first()
                if revision is not None and revision.content.get("slug") == slug:
                    revision.content["slug"] = new
                    revision.content["url_path"] = page.url_path
                    revision.save(update_fields=["content"])
            print(
                f"\n  article {page.pk}: slug {slug!r} was shared; renamed to "
                f"{new!r} ({old_url} -> {page.url_path})"
            )


class Migration(migrations.Migration):
    dependencies = [("content", "0006_list_item_labels")]

    operations = [migrations.RunPython(rename_duplicates, migrations.RunPython.noop)]
