"""Background work of open data, run by the task worker (``manage.py db_worker``): the
regeneration of generated datasets and the daily digest of overdue and due-soon datasets."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from ratusha.core.permissions import SYSTEM

# Seconds a regeneration waits after the first change of a burst, so that the changes made
# meanwhile (a session's votes published one by one) are written in one go.
DEFAULT_DELAY = 30


def enqueue_regeneration(dataset_id: int) -> None:
    """Enqueue the regeneration of a dataset, after the debounce delay where the backend can
    defer a task."""
    delay = getattr(settings, "OPENDATA_REGENERATE_DELAY", DEFAULT_DELAY)
    runner = regenerate_dataset
    if delay and runner.get_backend().supports_defer:
        runner = runner.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    runner.enqueue(dataset_id)


@task()
def regenerate_dataset(dataset_id: int) -> int:
    """Write the files of a generated dataset anew; returns how many new versions it kept."""
    from . import services
    from .models import Dataset

    # The request is taken before reading the register: a change made while this runs asks
    # for another regeneration.
    Dataset.objects.filter(pk=dataset_id).update(regeneration_requested_at=None)
    dataset = Dataset.objects.filter(pk=dataset_id, withdrawn_at__isnull=True).first()
    if dataset is None or not dataset.generator:
        return 0
    return len(services.dataset_regenerate(actor=SYSTEM, dataset=dataset))


@task()
def due_digest() -> int:
    """Daily: e-mail staff the datasets whose update is overdue or due soon, then schedule
    tomorrow's run."""
    from ratusha.core.scheduling import schedule_next

    from .notifications import send_due_digest

    try:
        return send_due_digest()
    finally:
        schedule_next("ratusha.opendata.tasks:due_digest")
