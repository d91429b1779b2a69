"""``publish_scheduled``, made safe to run beside the pipeline.

This app comes before ``wagtail`` in INSTALLED_APPS, so this command replaces
Wagtail's own. Stock ``publish_scheduled`` reads due revisions once and publishes
each without a lock: run from cron while our workers publish the same revision, it
would publish it twice. This one does the same job (expire due pages, publish due
revisions, and releases) through the pipeline's locked compare-and-set functions, so
running it from cron, by hand, or concurrently with the workers is harmless.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from publishing import sweep


class Command(BaseCommand):
    help = "Publish/unpublish everything whose scheduled time has passed (locked)."

    def add_arguments(self, parser):
        parser.add_argument("--dryrun", action="store_true", default=False)

    def handle(self, *args, **options):
        now = timezone.now()
        if options["dryrun"]:
            for item in sweep.due_items(now):
                self.stdout.write(f"{item.due_at.isoformat()}\t{item.kind}\t{item.id}")
            return
        done = sweep.run_due_now(now)
        self.stdout.write(f"{done} scheduled item(s) done.")
