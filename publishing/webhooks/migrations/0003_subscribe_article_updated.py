"""``article.updated`` is a new event type (CONTRACT section 4). An endpoint that
hears of both article publishes and unpublishes is keeping a copy of the public
articles, which goes stale without it: it is subscribed to it too."""

from django.db import migrations


def subscribe(apps, schema_editor):
    Endpoint = apps.get_model("webhooks", "Endpoint")
    for endpoint in Endpoint.objects.all():
        events = list(endpoint.events or [])
        wanted = {"article.published", "article.unpublished"}
        if wanted <= set(events) and "article.updated" not in events:
            events.insert(events.index("article.unpublished") + 1, "article.updated")
            endpoint.events = events
            endpoint.save(update_fields=["events"])


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0002_encrypt_secrets")]

    operations = [migrations.RunPython(subscribe, migrations.RunPython.noop)]
