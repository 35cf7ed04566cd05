"""A changed act purges the public pages' cache: the home page shows the latest acts and
``/acts/`` lists them (``acts/apps.py`` connects ``act_changed`` to ``core.cache.purge``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Site

from ratusha.acts import services
from ratusha.core.models import HromadaSettings
from ratusha.core.permissions import SYSTEM


@pytest.fixture(autouse=True)
def page_cache_on(settings, db):
    settings.PORTAL_CACHE_SECONDS = 300
    # the site's settings exist (the first page view would create them, which purges)
    HromadaSettings.for_site(Site.objects.get(is_default_site=True))
    cache.clear()
    yield
    cache.clear()


def _register(kinds, title: str, **data):
    return services.act_register(
        actor=SYSTEM,
        data={
            "kind": kinds["council-decision"],
            "number": "",
            "date": dt.date(2024, 3, 20),
            "title": title,
            **data,
        },
    )


def test_publishing_an_act_purges_the_cached_registry(
    client, kinds, django_capture_on_commit_callbacks
):
    # Given the registry cached for anonymous visitors
    assert client.get("/acts/")["X-Cache"] == "MISS"
    assert client.get("/acts/")["X-Cache"] == "HIT"
    # When an act is published (act_changed is sent after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        act = _register(kinds, "Про встановлення місцевих податків")
        services.act_publish(actor=SYSTEM, act=act)
    # Then the next visitor gets the registry afresh, with the act in it
    response = Client().get("/acts/")
    assert response["X-Cache"] == "MISS"
    assert "Про встановлення місцевих податків" in response.content.decode()


def test_withdrawing_an_act_purges_the_cached_act_page(
    client, kinds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act = _register(kinds, "Про тарифи на воду")
        services.act_publish(actor=SYSTEM, act=act)
    url = act.get_absolute_url()
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        services.act_withdraw(actor=SYSTEM, act=act, reason="Помилково оприлюднено")
    assert Client().get(url).get("X-Cache") != "HIT"
