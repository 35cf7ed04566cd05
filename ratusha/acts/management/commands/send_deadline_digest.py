import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ratusha.acts.notifications import send_deadline_digest


class Command(BaseCommand):
    help = "E-mail staff the acts whose publication deadline is past, today or near."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"Неправильна дата --today: {today!r}") from exc
        sent = send_deadline_digest(today=day)
        self.stdout.write(f"Надіслано листів: {sent}")
