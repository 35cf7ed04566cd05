"""The anonymous page cache (``core.middleware.AnonymousPageCacheMiddleware``, ``core.cache``):
what is served from it and what never is, each visitor's own CSRF token on a cached page, one
entry per language and display mode, and the purge on every change of what the pages show —
in this process and, through the shared cache, in another (the task worker's)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from ratusha.core import cache as page_cache
from ratusha.core import services as core_services
from ratusha.core.context_processors import LOW_VISION_COOKIE
from ratusha.core.middleware import AnonymousPageCacheMiddleware
from ratusha.core.models import HromadaSettings
from ratusha.core.permissions import SYSTEM
from ratusha.portal.models import Banner, HomePage, NewsIndexPage, NewsPage, SectionPage
from ratusha.portal.tasks import publish_scheduled_pages

ROOT = Path(__file__).resolve().parents[3]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The cache on (tests run with it off), empty before and after."""
    settings.PORTAL_CACHE_SECONDS = 300
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    home = _publish(Page.get_first_root_node(), HomePage(title="Головна сторінка", slug="holovna"))
    default = Site.objects.get(is_default_site=True)
    default.root_page = home
    default.save()
    HromadaSettings.objects.update_or_create(
        site=default, defaults={"council_name": "Тестова селищна рада"}
    )
    budget = _publish(home, SectionPage(title="Бюджет", slug="biudzhet", show_in_menus=True))
    services = _publish(home, SectionPage(title="Послуги", slug="posluhy", show_in_menus=True))
    news = _publish(home, NewsIndexPage(title="Новини", slug="novyny"))
    item = _publish(news, NewsPage(title="Відкрито ЦНАП", slug="tsnap"))
    return {"home": home, "budget": budget, "services": services, "news": news, "item": item}


def _warm(client: Client, url: str) -> str:
    """Visit ``url`` twice: stored, then served from the cache. Returns the cached text."""
    first = client.get(url)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    second = client.get(url)
    assert second["X-Cache"] == "HIT"
    return second.content.decode()


def _fresh(url: str, **cookies) -> tuple[str, str]:
    """A new anonymous visitor's view of ``url``: (X-Cache, text)."""
    visitor = Client()
    for name, value in cookies.items():
        visitor.cookies[name] = value
    response = visitor.get(url)
    return response.get("X-Cache", ""), response.content.decode()


# What is served from the cache ----------------------------------------------------------------


def test_the_second_anonymous_visit_is_a_hit_without_queries(
    client, site, django_assert_num_queries
):
    _warm(client, "/biudzhet/")
    with django_assert_num_queries(0):
        response = Client().get("/biudzhet/")
    assert response["X-Cache"] == "HIT"
    assert "Бюджет" in response.content.decode()


def test_a_hit_asks_the_cache_once(client, site):
    # the page and the current generation in one round trip (Redis in production)
    _warm(client, "/biudzhet/")
    backend = caches["default"]
    with (
        mock.patch.object(backend, "get_many", wraps=backend.get_many) as get_many,
        mock.patch.object(backend, "get", wraps=backend.get) as get,
    ):
        assert Client().get("/biudzhet/")["X-Cache"] == "HIT"
    assert get_many.call_count == 1
    assert len(get_many.call_args.args[0]) == 2  # the generation and the page
    assert get.call_count <= 2  # only as the memory cache answers get_many, one key at a time


def test_a_page_of_an_older_generation_is_made_again_and_replaced(client, site):
    _warm(client, "/biudzhet/")
    page_cache.purge()
    assert client.get("/biudzhet/")["X-Cache"] == "MISS"
    assert client.get("/biudzhet/")["X-Cache"] == "HIT"
    key = page_cache.page_key(RequestFactory().get("/biudzhet/"))
    assert cache.get(key)[0] == page_cache.generation()


def test_head_is_answered_from_the_get_entry(client, site):
    _warm(client, "/biudzhet/")
    response = client.head("/biudzhet/")
    assert response["X-Cache"] == "HIT" and response.content == b""


def test_without_the_setting_nothing_is_cached(client, site, settings):
    settings.PORTAL_CACHE_SECONDS = 0
    client.get("/biudzhet/")
    assert "X-Cache" not in client.get("/biudzhet/")


def test_not_found_pages_are_not_stored(client, site):
    assert client.get("/nema-takoi/").status_code == 404
    assert "X-Cache" not in client.get("/nema-takoi/")


def test_each_visitor_gets_their_own_csrf_token_and_can_post_with_it(site):
    first = Client(enforce_csrf_checks=True)
    stored = first.get("/biudzhet/")
    assert stored["X-Cache"] == "MISS"
    second = Client(enforce_csrf_checks=True)
    served = second.get("/biudzhet/")
    assert served["X-Cache"] == "HIT"
    # the second visitor has a CSRF cookie of their own, and the form carries a token for it
    cookie = django_settings.CSRF_COOKIE_NAME
    assert served.cookies[cookie].value != first.cookies[cookie].value
    token = TOKEN.search(served.content.decode()).group(1)
    assert token != TOKEN.search(stored.content.decode()).group(1)
    assert page_cache_placeholder_absent(served.content)
    # and the language switch accepts it
    response = second.post(
        reverse("set_language"),
        {"language": "en", "next": "/biudzhet/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert second.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    # while a token from someone else's page is refused
    third = Client(enforce_csrf_checks=True)
    third.get("/biudzhet/")
    foreign = TOKEN.search(stored.content.decode()).group(1)
    refused = third.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": foreign}
    )
    assert refused.status_code == 403


def page_cache_placeholder_absent(content: bytes) -> bool:
    return AnonymousPageCacheMiddleware.CSRF_PLACEHOLDER not in content


def test_a_visitor_with_a_csrf_cookie_keeps_it_on_a_hit(site):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/posluhy/")  # gets the cookie
    own = visitor.cookies[django_settings.CSRF_COOKIE_NAME].value
    Client().get("/biudzhet/")  # stored by someone else
    served = visitor.get("/biudzhet/")
    assert served["X-Cache"] == "HIT"
    assert visitor.cookies[django_settings.CSRF_COOKIE_NAME].value == own
    token = TOKEN.search(served.content.decode()).group(1)
    response = visitor.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_logged_in_visitors_are_neither_served_nor_stored(admin_client, site):
    for _ in range(2):
        response = admin_client.get("/biudzhet/")
        assert "X-Cache" not in response
    # what they saw (with the editors' bar) was not stored for anonymous visitors
    state, text = _fresh("/biudzhet/")
    assert state == "MISS" and "wagtail-userbar" not in text


def test_a_messages_cookie_skips_the_cache(client, site):
    _warm(client, "/biudzhet/")
    state, _text = _fresh("/biudzhet/", messages="a-message-for-me")
    assert state == ""


@pytest.mark.parametrize(
    ("path", "cached"),
    [
        ("/biudzhet/", True),
        ("/acts/", True),
        ("/admin/", False),
        ("/admin/login/", False),
        ("/django-admin/", False),
        ("/council/cabinet/", False),
        ("/council/cabinet/drafts/", False),
        ("/council/meetings/12/screen/", False),
        ("/i18n/setlang/", False),
        ("/biudzhet/?preview=1", False),
    ],
)
def test_the_admin_the_cabinet_and_the_projector_are_never_cached(path, cached, settings):
    middleware = AnonymousPageCacheMiddleware(lambda request: None)
    assert middleware._cacheable_request(RequestFactory().get(path)) is cached


def test_the_admin_login_page_is_not_stored(client, db):
    client.get("/admin/login/")
    assert "X-Cache" not in client.get("/admin/login/")


def test_language_and_low_vision_mode_have_their_own_entries(client, site):
    ukrainian = _warm(client, "/biudzhet/")
    state, english = _fresh("/biudzhet/", **{django_settings.LANGUAGE_COOKIE_NAME: "en"})
    assert state == "MISS" and 'lang="en"' in english and 'lang="uk"' in ukrainian
    assert _fresh("/biudzhet/", **{django_settings.LANGUAGE_COOKIE_NAME: "en"})[0] == "HIT"
    state, low_vision = _fresh("/biudzhet/", **{LOW_VISION_COOKIE: "1"})
    assert state == "MISS" and 'class="low-vision"' in low_vision
    assert 'class="low-vision"' not in _fresh("/biudzhet/")[1]


# Purged when what the pages show changes --------------------------------------------------------


def test_publishing_a_page_purges(client, site):
    _warm(client, "/biudzhet/")
    budget = site["budget"]
    budget.title = "Бюджет громади на 2026 рік"
    budget.save_revision().publish()
    state, text = _fresh("/biudzhet/")
    assert state == "MISS" and "Бюджет громади на 2026 рік" in text


def test_a_new_page_appears_in_the_menu_of_cached_pages(client, site):
    _warm(client, "/biudzhet/")
    _publish(site["home"], SectionPage(title="Вакансії", slug="vakansii", show_in_menus=True))
    state, text = _fresh("/biudzhet/")
    assert state == "MISS" and "Вакансії" in text


def test_unpublishing_a_page_purges(client, site):
    text = _warm(client, "/novyny/")
    assert "Відкрито ЦНАП" in text
    site["item"].unpublish()
    state, text = _fresh("/novyny/")
    assert state == "MISS" and "Відкрито ЦНАП" not in text


def test_moving_a_page_purges(client, site):
    _warm(client, "/posluhy/")
    site["services"].move(site["budget"], pos="last-child")
    assert _fresh("/posluhy/")[0] == ""  # gone from there: a 404, not a cached page
    state, text = _fresh("/biudzhet/posluhy/")
    assert state == "MISS" and "Послуги" in text


def test_deleting_a_page_purges(client, site):
    _warm(client, "/posluhy/")
    site["services"].delete()
    response = Client().get("/posluhy/")
    assert response.status_code == 404


def test_a_scheduled_page_published_by_the_worker_task_purges(client, site):
    text = _warm(client, "/novyny/")
    go_live = timezone.now() + dt.timedelta(hours=1)
    page = NewsPage(title="Графік прийому", slug="hrafik", live=False)
    site["news"].add_child(instance=page)
    page.save_revision(approved_go_live_at=go_live)
    assert "Графік прийому" not in text
    with mock.patch("django.utils.timezone.now", return_value=go_live + dt.timedelta(minutes=1)):
        publish_scheduled_pages.call()
    state, text = _fresh("/novyny/")
    assert state == "MISS" and "Графік прийому" in text


def test_a_banner_saved_in_the_admin_purges(client, admin_client, site):
    banner = Banner.objects.create(
        title="Президент України", url="https://www.president.gov.ua/", alt="Президент України"
    )
    assert "Президент України" in _warm(client, "/biudzhet/")
    response = admin_client.post(
        reverse("wagtailsnippets_portal_banner:edit", args=(banner.pk,)),
        {
            "title": "Верховна Рада України",
            "url": "https://www.rada.gov.ua/",
            "alt": "Верховна Рада України",
            "sort_order": "1",
            "active_from": "",
            "active_until": "",
        },
    )
    assert response.status_code == 302
    state, text = _fresh("/biudzhet/")
    assert state == "MISS" and "Верховна Рада України" in text


def test_a_deleted_banner_purges(client, site):
    banner = Banner.objects.create(title="Уряд", url="https://www.kmu.gov.ua/", alt="Уряд")
    assert "kmu.gov.ua" in _warm(client, "/biudzhet/")
    banner.delete()
    state, text = _fresh("/biudzhet/")
    assert state == "MISS" and "kmu.gov.ua" not in text


def test_changed_hromada_settings_purge(client, site):
    _warm(client, "/biudzhet/")
    hromada = HromadaSettings.for_site(Site.objects.get(is_default_site=True))
    hromada.phone = "(05355) 9-99-99"
    hromada.save()
    state, text = _fresh("/biudzhet/")
    assert state == "MISS" and "(05355) 9-99-99" in text


def test_a_changed_unit_purges(client, site, unit):
    _warm(client, "/biudzhet/")
    core_services.unit_update(actor=SYSTEM, unit=unit, data={"phone": "(05355) 1-11-11"})
    assert _fresh("/biudzhet/")[0] == "MISS"


def test_purge_is_repeated_after_the_commit(django_capture_on_commit_callbacks, db):
    # a visitor served between the change and its commit must not keep the old page cached
    # under the new generation
    before = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page_cache.purge()
    assert page_cache.generation() == before + 1
    for callback in callbacks:
        callback()
    assert page_cache.generation() == before + 2


# One cache for every process -----------------------------------------------------------------


def _subprocess_env(tmp_path: Path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "CACHE_URL", "DATABASE_URL", "RATUSHA_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ratusha.settings",
            "RATUSHA_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
            **extra,
        }
    )
    return env


def _run(code: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_outside_the_tests_the_default_cache_is_a_shared_file_cache(tmp_path):
    printed = _run(
        "from django.conf import settings; c = settings.CACHES['default']; "
        "print(c['BACKEND'], c['LOCATION'])",
        _subprocess_env(tmp_path),
    )
    backend, location = printed.split()
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    assert Path(location) == tmp_path / "var" / "cache"


def test_a_purge_in_another_process_reaches_this_one(client, site, settings, tmp_path):
    # Given the web process and the worker sharing the default file cache
    location = tmp_path / "var" / "cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(location),
        }
    }
    _warm(client, "/biudzhet/")
    # When the other process (the worker publishing a scheduled page) purges
    _run(
        "from ratusha.core.cache import purge; purge()",
        _subprocess_env(tmp_path, CACHE_URL=f"filecache://{location}"),
    )
    # Then this one serves the page afresh
    assert client.get("/biudzhet/")["X-Cache"] == "MISS"
