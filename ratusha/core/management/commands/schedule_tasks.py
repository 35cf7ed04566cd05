from django.core.management.base import BaseCommand

from ratusha.core.scheduling import ensure_daily_tasks


class Command(BaseCommand):
    help = "Enqueue the daily background tasks that have no pending run (idempotent)."

    def handle(self, *args, **options):
        for path in ensure_daily_tasks():
            self.stdout.write(f"Заплановано: {path}")
