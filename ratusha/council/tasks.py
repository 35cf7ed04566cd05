"""Background work for the council, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_mailing(mailing_id: int) -> int:
    """Send every queued delivery of a mailing; returns how many went out."""
    from .mailing import send_mailing_now

    return send_mailing_now(mailing_id)


@task()
def send_delivery(delivery_id: int) -> str:
    """Send (or retry) one delivery if it is due and not sent yet; returns its status."""
    from .mailing import send_delivery_now

    return send_delivery_now(delivery_id)


@task()
def resend_pending_deliveries() -> int:
    """Daily safety net: enqueue every delivery waiting to be sent whose time has passed (a lost
    task, a restarted worker), then schedule tomorrow's run. Returns how many were enqueued."""
    from ratusha.core.scheduling import schedule_next

    from .mailing import enqueue_due_deliveries

    try:
        return enqueue_due_deliveries()
    finally:
        schedule_next("ratusha.council.tasks:resend_pending_deliveries")
