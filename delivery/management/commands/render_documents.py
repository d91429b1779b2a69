"""Render every missing or retired delivery document now (delivery/read_model.py).

The workers keep documents current on their own; this is for a first deploy, a
restore, or rows written around Wagtail (the benchmark's bulk seed). Idempotent:
a second run renders nothing. ``--all`` renders every live article again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cms.content.models import ArticlePage
from delivery import read_model


class Command(BaseCommand):
    help = "Render the delivery documents that are missing or retired."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="render every live article again"
        )

    def handle(self, *args, all: bool = False, **options):
        if all:
            ids = list(
                ArticlePage.objects.filter(live=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        else:
            ids = read_model.stale_article_ids(limit=None)
        rendered = 0
        with tqdm(
            total=len(ids), unit="article", disable=options["verbosity"] < 1
        ) as bar:
            for start in range(0, len(ids), read_model.RENDER_BATCH):
                batch = ids[start : start + read_model.RENDER_BATCH]
                rendered += read_model.render_documents(batch)
                bar.update(len(batch))
        self.stdout.write(f"rendered {rendered} documents")
