"""Background work for acts, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from ratusha.core.permissions import SYSTEM


@task()
def publish_scheduled_act(act_id: int, scheduled_for: str) -> bool:
    """Publish an act at its scheduled time, unless the schedule changed meanwhile."""
    from . import services
    from .models import Act

    act = Act.objects.filter(pk=act_id, published_at__isnull=True).first()
    if act is None or act.publish_at is None:
        return False
    if act.publish_at != dt.datetime.fromisoformat(scheduled_for):
        return False  # rescheduled: the newer task publishes it
    services.act_publish(actor=SYSTEM, act=act)
    return True


@task()
def publish_due_acts() -> int:
    """Publish every act whose scheduled time has passed (safety net for lost tasks)."""
    from . import services

    return len(services.act_publish_due(actor=SYSTEM))


@task()
def deadline_digest() -> int:
    """Daily: e-mail staff what is at risk, then schedule tomorrow's run."""
    from ratusha.core.scheduling import schedule_next

    from .notifications import send_deadline_digest

    try:
        return send_deadline_digest()
    finally:
        schedule_next("ratusha.acts.tasks:deadline_digest")
