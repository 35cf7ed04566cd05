"""What ``/healthz`` reports: the database, the cache, the task worker and free disk space.

Each check answers ``{"ok": bool, ...}`` with figures but nothing secret (no host names,
credentials, paths or error texts that could carry them)."""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

# Free space below which a disk is reported unhealthy (bytes); RATUSHA_HEALTH_MIN_FREE_MB.
DEFAULT_MIN_FREE_MB = 500


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": _ms(started)}


def check_cache() -> dict:
    started = time.monotonic()
    key = f"ratusha:health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": ok, "ms": _ms(started)}


def check_worker() -> dict:
    """The worker is alive if it finished a task (its heartbeat runs every few minutes)
    within three heartbeats."""
    from .tasks import heartbeat_interval

    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1], "note": "no separate worker"}
    try:
        from django_tasks_db.models import DBTaskResult

        last = (
            DBTaskResult.objects.filter(finished_at__isnull=False)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        waiting = DBTaskResult.objects.ready().filter(run_after__lte=timezone.now()).count()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    limit = 3 * heartbeat_interval().total_seconds()
    if last is None:
        return {"ok": False, "last_task_finished": None, "tasks_waiting": waiting}
    age = (timezone.now() - last).total_seconds()
    return {
        "ok": age <= limit,
        "last_task_finished": last.isoformat(),
        "seconds_since": int(age),
        "tasks_waiting": waiting,
    }


def _disk(path: Path, minimum: int) -> dict:
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        usage = shutil.disk_usage(probe)
    except OSError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {
        "ok": usage.free >= minimum,
        "free_mb": usage.free // (1024 * 1024),
        "total_mb": usage.total // (1024 * 1024),
    }


def check_disk() -> dict:
    minimum = int(getattr(settings, "RATUSHA_HEALTH_MIN_FREE_MB", DEFAULT_MIN_FREE_MB)) * 1024**2
    media = _disk(settings.MEDIA_ROOT, minimum)
    var = _disk(settings.VAR_DIR, minimum)
    return {"ok": media["ok"] and var["ok"], "media": media, "var": var}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "worker": check_worker,
    "disk": check_disk,
}


def report() -> dict:
    checks = {name: check() for name, check in CHECKS.items()}
    return {
        "status": "ok" if all(c["ok"] for c in checks.values()) else "fail",
        "checks": checks,
        "time": timezone.now().isoformat(),
    }


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
