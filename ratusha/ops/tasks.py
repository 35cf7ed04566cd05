"""Background work of operations: the outbox's sender and the worker's heartbeat."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

HEARTBEAT_PATH = "ratusha.ops.tasks:heartbeat"


def heartbeat_interval() -> dt.timedelta:
    from ratusha.core.scheduling import PERIODIC_TASKS

    return PERIODIC_TASKS[HEARTBEAT_PATH]


@task()
def send_outbox() -> int:
    """Send every due e-mail; if some wait for a retry, come back when the first is due."""
    from . import mail

    sent = mail.send_due()
    later = mail.next_due_at()
    if later is not None and later > timezone.now() and send_outbox.get_backend().supports_defer:
        send_outbox.using(run_after=later).enqueue()
    return sent


@task()
def heartbeat() -> str:
    """Runs every five minutes (``core.scheduling.PERIODIC_TASKS``): proves to ``/healthz``
    that the worker is alive, sends any e-mail whose retry is due, and schedules its next
    beat."""
    from ratusha.core.scheduling import schedule_next

    from . import mail

    try:
        mail.send_due()
    finally:
        if heartbeat.get_backend().supports_defer:
            schedule_next(HEARTBEAT_PATH)
    return timezone.now().isoformat()
