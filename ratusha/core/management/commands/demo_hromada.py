"""Load a fictional demo hromada: ``manage.py demo_hromada --scale small|seed|large``.

``small`` loads in seconds for ``make run``; ``seed`` reproduces the volumes the seeds report
(domain.md); ``large`` is for benchmarks. The same ``--seed`` gives the same data. Each app adds
its part in its own ``demo.py`` (``generate(ctx) -> dict of counts``)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ratusha.core.demo_support import SCALES, DemoContext
from ratusha.core.models import StructuralUnit


def demo_modules():
    """The ``demo`` modules of the project's apps, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("ratusha."):
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            yield config.label, importlib.import_module(name)


class Command(BaseCommand):
    help = "Load the demo hromada (a fictional community) at a given scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a hromada (for make run).",
        )
        parser.add_argument(
            "--today",
            default=None,
            help="Date the demo is built around (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, scale, seed, if_empty, today, **options):
        if StructuralUnit.objects.exists():
            if if_empty:
                self.stdout.write("Демо-громада вже завантажена: нічого не змінено.")
                return
            raise CommandError(
                "База даних уже містить дані громади; демо завантажується лише в порожню базу."
            )
        try:
            day = dt.date.fromisoformat(today) if today else dt.date.today()
        except ValueError as exc:
            raise CommandError(
                f"Неправильна дата --today: {today!r} (потрібно РРРР-ММ-ДД)"
            ) from exc
        ctx = DemoContext(scale=scale, seed=seed, today=day)
        started = time.monotonic()
        for label, module in demo_modules():
            step = time.monotonic()
            with transaction.atomic():
                counts = module.generate(ctx)
            summary = ", ".join(f"{key}: {value}" for key, value in counts.items())
            self.stdout.write(f"  {label}: {summary} ({time.monotonic() - step:.1f} с)")
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-громаду «{scale}» завантажено за {time.monotonic() - started:.1f} с."
            )
        )
