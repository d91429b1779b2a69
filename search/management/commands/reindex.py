"""``manage.py reindex``: rebuild the search index in batches, search staying online.

See search/rebuild.py for what "without taking search offline" means per backend.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cms.content.models import ArticlePage
from search.rebuild import DEFAULT_BATCH_SIZE, reindex


class Command(BaseCommand):
    help = "Rebuild the search index in batches (build-then-swap where possible)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--articles-only",
            action="store_true",
            help="Only articles (content.ArticlePage), not every indexed model.",
        )

    def handle(self, *args, batch_size: int, articles_only: bool, **options):
        show = options["verbosity"] > 0
        bars: dict[str, tqdm] = {}

        def progress(label: str, done: int, total: int) -> None:
            if not show:
                return
            bar = bars.get(label)
            if bar is None:
                bar = bars[label] = tqdm(
                    total=total, desc=label.ljust(28), unit="doc", file=sys.stderr
                )
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        models = None
        if articles_only:
            models = [ArticlePage]
        report = reindex(
            batch_size=max(1, batch_size), models=models, progress=progress
        )
        for bar in bars.values():
            bar.close()
        self.stdout.write(
            f"Indexed {report.documents} documents in {report.seconds:.1f} s "
            f"({report.documents_per_second:.0f} documents/s)"
            + ("; new index swapped in" if report.swapped else "")
        )
