"""Graceful failure of the page cache: with the cache on Redis and Redis down (a closed port),
public pages still render — uncached, never a 500 —, services still write (their purge of the
page cache finds no cache), and ``/healthz`` reports the cache as failing."""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest

from ratusha.acts import services as acts
from ratusha.acts.models import ActKind
from ratusha.core import cache_backends
from ratusha.core.permissions import SYSTEM
from ratusha.portal.tests.test_pages import _media, home  # noqa: F401 - fixtures

PUBLIC_PATHS = ["/", "/acts/", "/council/", "/opendata/", "/search/?q=бюджет", "/sitemap.xml"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "ratusha.core.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/1",
        },
    }
    settings.PORTAL_CACHE_SECONDS = 300
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_pages_render_uncached_while_redis_is_down(client, home, redis_down, path):  # noqa: F811
    response = client.get(path)
    assert response.status_code == 200, path
    assert "X-Cache" not in response  # neither served from nor stored in the cache
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_a_service_writes_while_redis_is_down(home, redis_down, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        act = acts.act_register(
            actor=SYSTEM,
            data={
                "kind": ActKind.objects.get(code="draft-council-decision"),
                "date": dt.date(2026, 3, 3),
                "title": "Про благоустрій",
                "text": "Текст.",
            },
        )
    assert act.pk


@pytest.mark.django_db
def test_healthz_reports_the_cache_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_a_dead_server_is_not_asked_again_for_a_few_seconds(settings):
    backend = cache_backends.ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/1", {})
    started = time.monotonic()
    assert backend.get("key", "fallback") == "fallback"
    assert not backend.available
    assert backend.get_many(["a", "b"]) == {}
    assert backend.add("a", 1) is False
    with pytest.raises(ValueError):
        backend.incr("a")
    assert time.monotonic() - started < 2


def test_a_redis_cache_url_gets_the_resilient_backend():
    import subprocess
    import sys

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])",
        ],
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "ratusha.settings",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "ratusha.core.cache_backends.ResilientRedisCache"
