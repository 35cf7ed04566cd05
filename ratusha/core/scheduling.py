"""Daily background jobs on the django-tasks worker, without a cron.

Each daily task is enqueued with ``run_after`` at its hour; when it runs it enqueues its next
run. ``ensure_daily_tasks()`` (run by ``manage.py schedule_tasks``, which ``make run`` and a
deployment call at start) enqueues any daily task that has no pending run, so none is lost or
doubled."""

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
# Tasks that reschedule themselves every few minutes (they enqueue their next run when they
# run); ``ensure_daily_tasks`` starts each one that has no pending run.
PERIODIC_TASKS: tuple[str, ...] = ("ratusha.ops.tasks:heartbeat",)


def _task(path: str):
    module, name = path.split(":")
    return getattr(import_module(module), name)


def next_run(hour: int, *, now: dt.datetime | None = None) -> dt.datetime:
    """The next time the clock in Kyiv shows ``hour``:00."""
    local = timezone.localtime(now or timezone.now())
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def schedule_next(path: str) -> None:
    task = _task(path)
    task.using(run_after=next_run(DAILY_TASKS[path])).enqueue()


def ensure_daily_tasks() -> list[str]:
    """Enqueue each daily task that has no pending run; return the paths enqueued."""
    backend = settings.TASKS["default"]["BACKEND"]
    enqueued = []
    for path in DAILY_TASKS:
        task = _task(path)
        if backend == "django_tasks_db.DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            pending = DBTaskResult.objects.filter(
                task_path=task.module_path, status="READY"
            ).exists()
            if pending:
                continue
        schedule_next(path)
        enqueued.append(path)
    for path in PERIODIC_TASKS:
        task = _task(path)
        if backend == "django_tasks_db.DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            if DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists():
                continue
        task.enqueue()
        enqueued.append(path)
    return enqueued
