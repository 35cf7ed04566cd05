"""Background jobs on the django-tasks worker at fixed times, without a cron.

Each scheduled task is enqueued with ``run_after`` at its next time; when it runs it enqueues
its next run (``schedule_next``, in a ``finally``). Two kinds:

- daily tasks (``DAILY_TASKS``: path → the hour, Kyiv time, they run at);
- periodic tasks (``PERIODIC_TASKS``: path → the interval), run at the start of each interval
  of the clock (every whole minute for a minute), e.g. Wagtail's ``publish_scheduled`` and
  the worker's heartbeat.

``ensure_scheduled_tasks()`` (run by ``manage.py schedule_tasks``, which ``make run`` and a
deployment call at start) enqueues any of them that has no pending run; ``schedule_next`` does
not enqueue a run when one is already pending, so two chains of runs (the command run while a
task was running) fold back into one and none is lost or doubled. A periodic task's own
successful runs older than a day are pruned as it goes (a minute task leaves 1,440 a day)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.utils import timezone

# "module.path:task_name" → the hour (Kyiv time) it runs at. Apps add their daily tasks here.
DAILY_TASKS: dict[str, int] = {
    "ratusha.acts.tasks:deadline_digest": 8,
    "ratusha.council.tasks:resend_pending_deliveries": 7,
    "ratusha.opendata.tasks:due_digest": 8,
}

# "module.path:task_name" → how often it runs. Apps add their periodic tasks here.
PERIODIC_TASKS: dict[str, dt.timedelta] = {
    "ratusha.portal.tasks:publish_scheduled_pages": dt.timedelta(minutes=1),
    # The worker's heartbeat (``/healthz`` reads it) also sends e-mail whose retry is due.
    "ratusha.ops.tasks:heartbeat": dt.timedelta(minutes=5),
}

# Successful runs of a periodic task kept for looking into (older ones are pruned).
PERIODIC_RESULTS_KEPT = dt.timedelta(days=1)


def _task(path: str):
    module, name = path.split(":")
    return getattr(import_module(module), name)


def _database_backend() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def next_run(hour: int, *, now: dt.datetime | None = None) -> dt.datetime:
    """The next time the clock in Kyiv shows ``hour``:00."""
    local = timezone.localtime(now or timezone.now())
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def next_periodic_run(interval: dt.timedelta, *, now: dt.datetime | None = None) -> dt.datetime:
    """The start of the next ``interval`` of the clock after ``now`` (for a minute: the next
    whole minute), so a page scheduled for 10:00 goes live at 10:00, not up to a minute late."""
    now = now or timezone.now()
    step = interval.total_seconds()
    if step <= 0:
        raise ValueError("A periodic task needs a positive interval")
    seconds = now.timestamp()
    return dt.datetime.fromtimestamp((seconds // step + 1) * step, tz=dt.UTC)


def _pending(task) -> bool:
    """Whether a run of ``task`` is waiting (only the database backend can tell)."""
    if not _database_backend():
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def _prune(task) -> int:
    """Delete the task's successful runs older than ``PERIODIC_RESULTS_KEPT``."""
    if not _database_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    deleted, _details = DBTaskResult.objects.filter(
        task_path=task.module_path,
        status="SUCCESSFUL",
        finished_at__lt=timezone.now() - PERIODIC_RESULTS_KEPT,
    ).delete()
    return deleted


def schedule_next(path: str) -> bool:
    """Enqueue the next run of the daily or periodic task ``path`` unless one is pending;
    return whether it was enqueued."""
    task = _task(path)
    if _pending(task):
        return False
    if path in PERIODIC_TASKS:
        when = next_periodic_run(PERIODIC_TASKS[path])
        _prune(task)
    else:
        when = next_run(DAILY_TASKS[path])
    task.using(run_after=when).enqueue()
    return True


def ensure_daily_tasks() -> list[str]:
    """Enqueue each daily task that has no pending run; return the paths enqueued."""
    return [path for path in DAILY_TASKS if schedule_next(path)]


def ensure_scheduled_tasks() -> list[str]:
    """Enqueue each daily and periodic task that has no pending run; return the paths
    enqueued."""
    return ensure_daily_tasks() + [path for path in PERIODIC_TASKS if schedule_next(path)]
