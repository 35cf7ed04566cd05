"""With the database unreachable: the Ukrainian 503 page, cached pages still served, and
``/healthz`` says what is wrong."""

from __future__ import annotations

import contextlib
import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.utils import translation
from wagtail.models import Page, Site

from ratusha.core.models import HromadaSettings
from ratusha.portal.models import HomePage

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_down():
    """Every query fails as it does when the server is gone or the port is dead."""
    error = OperationalError("connection to server at 127.0.0.1, port 1 failed")
    with (
        mock.patch.object(CursorWrapper, "execute", side_effect=error),
        mock.patch.object(CursorWrapper, "executemany", side_effect=error),
    ):
        yield


def _uk(msgid):
    with translation.override("uk"):
        return translation.gettext(msgid)


@pytest.fixture
def home(settings):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Головна", slug="holovna-outage"))
    site = Site.objects.get()
    Site.objects.filter(pk=site.pk).update(root_page=home)
    HromadaSettings.for_site(Site.objects.get())
    return home


def test_public_page_answers_503_in_ukrainian(client, home):
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert _uk("The site is temporarily unavailable") in page
    assert 'lang="uk"' in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_cached_page_is_still_served(client, home, settings):
    settings.PORTAL_CACHE_SECONDS = 300
    assert client.get("/").status_code == 200
    with database_down():
        response = Client().get("/")
    assert response.status_code == 200
    assert response["X-Cache"] == "HIT"
    assert "Головна" in response.content.decode()


def test_signed_in_visitor_gets_503_not_500(home, department_staff):
    # The session and the user are loaded by middleware, before any view runs
    client = Client(raise_request_exception=False)
    client.force_login(department_staff)
    with database_down():
        response = client.get("/admin/")
    assert response.status_code == 503
    assert _uk("The site is temporarily unavailable") in response.content.decode()


def test_other_errors_still_give_the_500_page(home, monkeypatch):
    from ratusha.portal import models as portal_models

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(portal_models.HomePage, "serve", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


def test_healthz_reports_the_database_down_without_secrets(client, settings):
    settings.DATABASES["default"]["PASSWORD"] = "s3cret-pass"
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "fail"
    assert data["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    body = json.dumps(data)
    for secret in ("s3cret-pass", "127.0.0.1", "port 1", str(settings.MEDIA_ROOT)):
        assert secret not in body
