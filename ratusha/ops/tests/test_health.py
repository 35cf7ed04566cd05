import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ratusha.ops.tasks import heartbeat

pytestmark = pytest.mark.django_db


def _beat_once():
    """Run the worker the way ``manage.py db_worker`` does, until nothing is due."""
    heartbeat.enqueue()
    call_command("db_worker", batch=True, verbosity=0)


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
