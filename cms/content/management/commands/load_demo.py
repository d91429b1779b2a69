from django.core.management.base import BaseCommand

from cms.content.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo site (authors, categories, ~30 articles). Idempotent."

    def handle(self, *args, **options) -> None:
        created = load_demo(progress=lambda message: self.stdout.write(message))
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content ready (created {summary})"))
