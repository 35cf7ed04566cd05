from django.core.management.base import BaseCommand

from ratusha.core.scheduling import ensure_scheduled_tasks


class Command(BaseCommand):
    help = (
        "Enqueue the daily and periodic background tasks (e.g. publishing scheduled pages "
        "every minute) that have no pending run (idempotent)."
    )

    def handle(self, *args, **options):
        for path in ensure_scheduled_tasks():
            self.stdout.write(f"Заплановано: {path}")
