"""Rebuild the search index: ``manage.py search_reindex [--kind act|news|…]``."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ratusha.search import indexing, sources


class Command(BaseCommand):
    help = "Rebuild the search index from the records (all kinds, or one with --kind)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            default=None,
            help="Only this kind of document: " + ", ".join(sources.kinds()),
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, kind, quiet, **options):
        if kind is not None and kind not in sources.kinds():
            raise CommandError(
                f"Невідомий вид документів «{kind}»; можливі: {', '.join(sources.kinds())}."
            )
        started = time.monotonic()
        with tqdm(desc="Індексування", unit=" док.", disable=quiet, file=self.stderr) as bar:
            counts = indexing.rebuild(kind, progress=bar.update)
        took = time.monotonic() - started
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items()) or "0"
        self.stdout.write(
            self.style.SUCCESS(f"Пошуковий індекс перебудовано за {took:.1f} с ({summary}).")
        )
