"""Tasks the worker runs on a clock: daily ones at their hour, periodic ones (Wagtail's
``publish_scheduled`` every minute) at the start of each interval; ``schedule_tasks`` makes
sure each has one pending run, never two."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ratusha.core import scheduling
from ratusha.portal.tasks import PUBLISH_SCHEDULED, publish_scheduled_pages

MINUTE_TASK = "ratusha.portal.tasks.publish_scheduled_pages"


@pytest.fixture
def database_tasks(settings, db):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def _pending(path: str = MINUTE_TASK):
    return DBTaskResult.objects.filter(task_path=path, status="READY")


def test_next_periodic_run_is_the_next_whole_minute():
    kyiv = timezone.get_fixed_timezone(120)
    assert scheduling.next_periodic_run(
        dt.timedelta(minutes=1), now=dt.datetime(2026, 3, 1, 9, 59, 30, tzinfo=kyiv)
    ) == dt.datetime(2026, 3, 1, 10, 0, tzinfo=kyiv)
    # exactly on the minute: the next one, never now again
    assert scheduling.next_periodic_run(
        dt.timedelta(minutes=1), now=dt.datetime(2026, 3, 1, 10, 0, tzinfo=kyiv)
    ) == dt.datetime(2026, 3, 1, 10, 1, tzinfo=kyiv)
    assert scheduling.next_periodic_run(
        dt.timedelta(minutes=15), now=dt.datetime(2026, 3, 1, 10, 7, 3, tzinfo=kyiv)
    ) == dt.datetime(2026, 3, 1, 10, 15, tzinfo=kyiv)


def test_publishing_scheduled_pages_runs_every_minute():
    assert scheduling.PERIODIC_TASKS[PUBLISH_SCHEDULED] == dt.timedelta(minutes=1)


def test_schedule_tasks_enqueues_the_minute_task_once(database_tasks, capsys):
    call_command("schedule_tasks")
    call_command("schedule_tasks")
    pending = list(_pending())
    assert len(pending) == 1
    run_after = pending[0].run_after
    assert run_after.second == 0 and run_after.microsecond == 0
    assert timezone.now() < run_after <= timezone.now() + dt.timedelta(minutes=1)
    # the daily tasks too, each once
    for path in scheduling.DAILY_TASKS:
        module, name = path.split(":")
        assert _pending(f"{module}.{name}").count() == 1
    assert PUBLISH_SCHEDULED in capsys.readouterr().out


def test_the_minute_task_enqueues_its_next_run(database_tasks):
    assert not _pending().exists()
    publish_scheduled_pages.call()
    [following] = _pending()
    assert following.run_after == scheduling.next_periodic_run(dt.timedelta(minutes=1))


def test_two_chains_of_runs_fold_into_one(database_tasks):
    # schedule_tasks ran while a run was in progress: a run is already pending when the
    # running one schedules its successor
    scheduling.ensure_scheduled_tasks()
    publish_scheduled_pages.call()
    assert _pending().count() == 1


def test_the_next_run_is_scheduled_even_when_the_run_fails(database_tasks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("django.core.management.call_command", broken)
    with pytest.raises(RuntimeError):
        publish_scheduled_pages.call()
    assert _pending().count() == 1


def test_old_successful_runs_of_a_periodic_task_are_pruned(database_tasks):
    scheduling.ensure_scheduled_tasks()
    template = _pending().get()
    now = timezone.now()

    def finished(status: str, age: dt.timedelta, path: str = MINUTE_TASK):
        row = DBTaskResult.objects.get(pk=template.pk)
        row.pk = None
        row.id = None
        row.task_path = path
        row.status = status
        row.finished_at = now - age
        row.save()
        return row

    old = finished("SUCCESSFUL", dt.timedelta(days=2))
    recent = finished("SUCCESSFUL", dt.timedelta(hours=2))
    failed = finished("FAILED", dt.timedelta(days=2))
    other = finished("SUCCESSFUL", dt.timedelta(days=2), path="ratusha.acts.tasks.deadline_digest")
    _pending().delete()
    publish_scheduled_pages.call()
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert old.pk not in left
    assert {recent.pk, failed.pk, other.pk} <= left


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_minute_task(settings):
    # Given the task due now, as schedule_tasks leaves it after a restart
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    publish_scheduled_pages.using(run_after=timezone.now()).enqueue()
    # When the worker processes what is due
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # Then the run succeeded and the next one waits for the next minute
    assert DBTaskResult.objects.filter(task_path=MINUTE_TASK, status="SUCCESSFUL").count() == 1
    [following] = _pending()
    assert following.run_after > timezone.now()
