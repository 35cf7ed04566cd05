import datetime as dt

import pytest
from django.utils import timezone

from ratusha.ops.tasks import heartbeat

pytestmark = pytest.mark.django_db


def _beat_once():
    """Run one heartbeat as ``manage.py db_worker`` does (its loop would close the test's
    connection, which is inside a transaction)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.get(id=heartbeat.enqueue().id)
    queued.claim("test-worker")
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run_task(queued)


def test_healthy_installation_answers_200(client):
    _beat_once()
    response = client.get("/healthz")
    data = response.json()
    assert response.status_code == 200, data
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "cache", "worker", "disk"}
    assert data["checks"]["worker"]["seconds_since"] < 60
    assert data["checks"]["disk"]["media"]["free_mb"] > 0
    assert response["Cache-Control"].startswith("max-age=0")


def test_heartbeat_schedules_its_next_beat():
    from django_tasks_db.models import DBTaskResult

    _beat_once()
    pending = DBTaskResult.objects.filter(task_path=heartbeat.module_path, status="READY")
    assert pending.count() == 1
    assert pending.get().run_after > timezone.now()


def test_worker_silent_for_too_long_is_reported(client):
    from django_tasks_db.models import DBTaskResult

    _beat_once()
    DBTaskResult.objects.update(finished_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_worker_that_never_ran_is_reported(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["last_task_finished"] is None


def test_full_disk_is_reported(client, settings):
    _beat_once()
    settings.RATUSHA_HEALTH_MIN_FREE_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["ok"] is False


def test_broken_cache_is_reported(client, settings):
    _beat_once()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    # (changing CACHES through the settings fixture resets Django's cache handlers)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
