"""``manage.py send_pending_deliveries [--now]``: the mailing's safety net by hand.

Every delivery of drafts waiting to be sent whose time has come (a lost task, a restarted
worker, a mail server that was down) is enqueued for the worker, or with ``--now`` sent from
this process. A delivery already sent is never sent again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ratusha.council.mailing import enqueue_due_deliveries, send_due_deliveries


class Command(BaseCommand):
    help = "Send the deliveries of drafts to deputies that are waiting and due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send from this process instead of enqueueing for the worker.",
        )

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_due_deliveries()
            self.stdout.write(f"Sent: {sent}")
        else:
            queued = enqueue_due_deliveries()
            self.stdout.write(f"Enqueued for the worker: {queued}")
