"""The public pages' frame kept per process (``core.frame``): the menu and the banners are read
once per generation of the page cache and read again after any change — in this process and,
through the shared cache, when the change is made in another; and page addresses
(``core.page_urls``) are exactly those of Wagtail's ``{% pageurl %}``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix
from django.utils import timezone
from wagtail.models import Page, Site

from ratusha.core import cache as page_cache
from ratusha.core.frame import FrameMemo, memo
from ratusha.core.page_urls import page_url
from ratusha.portal.models import Banner, SectionPage

from . import test_cache
from .test_cache import _publish, _run, _subprocess_env

site = test_cache.site  # the fixture: a home page, two menu sections, news


def _menu(client) -> list[str]:
    return [item.title for item in client.get("/").context["menu_pages"]]


def _queries_of(client, url: str, table: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(f'"{table}"' in query["sql"] for query in queries)


# Kept between requests ------------------------------------------------------------------------


def test_the_menu_and_banners_are_read_once_per_generation(client, site):
    Banner.objects.create(title="Дія", url="https://diia.gov.ua/")
    client.get("/")
    # Another page, the same frame: neither the menu nor the banners are read again
    assert _queries_of(client, "/biudzhet/", "portal_banner") == 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/posluhy/")
    menu_reads = [q for q in queries if "show_in_menus" in q["sql"].partition(" WHERE ")[2]]
    assert not menu_reads
    assert 'href="https://diia.gov.ua/"' in response.content.decode()
    # and the current menu item is still marked on each page
    assert '<a href="/posluhy/" aria-current="page">Послуги</a>' in response.content.decode()
    # After a purge they are read again
    page_cache.purge()
    assert _queries_of(client, "/biudzhet/", "portal_banner") == 1


def test_a_published_menu_page_is_in_the_menu_at_the_next_request(client, site):
    assert _menu(client) == ["Бюджет", "Послуги"]
    _publish(site["home"], SectionPage(title="Вакансії", slug="vakansii", show_in_menus=True))
    assert _menu(client) == ["Бюджет", "Послуги", "Вакансії"]
    site["services"].unpublish()
    assert _menu(client) == ["Бюджет", "Вакансії"]


def test_a_renamed_and_moved_menu_page_is_shown_anew(client, site):
    client.get("/")
    budget = site["budget"]
    budget.title = "Бюджет громади"
    budget.slug = "biudzhet-hromady"
    budget.save_revision().publish()
    text = client.get("/").content.decode()
    assert '<a href="/biudzhet-hromady/">Бюджет громади</a>' in text
    site["services"].move(site["budget"], pos="last-child")
    assert _menu(client) == ["Бюджет громади"]


def test_banners_follow_their_changes_and_the_day(client, site, monkeypatch):
    banner = Banner.objects.create(title="Дія", url="https://diia.gov.ua/")
    assert "https://diia.gov.ua/" in client.get("/").content.decode()
    banner.url = "https://diia.gov.ua/services"
    banner.save()
    assert "https://diia.gov.ua/services" in client.get("/").content.decode()
    # A banner shown until today is gone tomorrow without any change
    today = timezone.localdate()
    Banner.objects.filter(pk=banner.pk).update(active_until=today)
    page_cache.purge()
    assert "https://diia.gov.ua/services" in client.get("/").content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + dt.timedelta(days=1))
    assert "https://diia.gov.ua/services" not in client.get("/").content.decode()
    banner.delete()


def test_a_change_without_a_signal_is_seen_after_the_longest_age(client, site, settings):
    assert _menu(client) == ["Бюджет", "Послуги"]
    Page.objects.filter(pk=site["services"].pk).update(title="Послуги ЦНАП")
    # Kept: no signal told this process
    assert _menu(client) == ["Бюджет", "Послуги"]
    settings.FRAME_MEMO_SECONDS = 0
    assert _menu(client) == ["Бюджет", "Послуги ЦНАП"]


def test_a_change_in_another_process_reaches_this_one(client, site, settings, tmp_path):
    # Given the web process and the worker sharing the default file cache
    location = tmp_path / "var" / "cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(location),
        }
    }
    assert _menu(client) == ["Бюджет", "Послуги"]
    # When the data changes without this process hearing of it (as when the worker publishes)
    Page.objects.filter(pk=site["services"].pk).update(title="Послуги ЦНАП")
    assert _menu(client) == ["Бюджет", "Послуги"]
    # and the other process purges
    _run(
        "from ratusha.core.cache import purge; purge()",
        _subprocess_env(tmp_path, CACHE_URL=f"filecache://{location}"),
    )
    # Then this one reads the menu anew
    assert _menu(client) == ["Бюджет", "Послуги ЦНАП"]


def test_two_memos_sharing_the_generation_both_rebuild_after_a_purge(db):
    one, other = FrameMemo(), FrameMemo()
    built = []

    def build(name):
        def make():
            built.append(name)
            return len(built)

        return make

    assert one.get("menu", build("one")) == 1
    assert other.get("menu", build("other")) == 2
    assert one.get("menu", build("one")) == 1  # kept
    assert other.get("menu", build("other")) == 2
    page_cache.purge()
    assert one.get("menu", build("one")) == 3
    assert other.get("menu", build("other")) == 4
    assert built == ["one", "other", "one", "other"]


def test_the_module_memo_is_the_one_the_frame_uses(client, site):
    client.get("/")
    assert memo._values, "the menu and the banners are kept"


# Page addresses -------------------------------------------------------------------------------


def _all_pages():
    return [page.specific for page in Page.objects.order_by("path")]


@pytest.mark.parametrize("prefix", ["/", "/hromada/"])
def test_page_urls_are_wagtails(tree, home, prefix):
    # A page whose slug no address can carry, and one in Cyrillic
    _publish(home, SectionPage(title="Кирилиця", slug="новини-громади"))
    odd = SectionPage(title="Крапка", slug="a-b", url_path=f"{home.url_path}a.b/")
    request = RequestFactory().get("/")
    set_script_prefix(prefix)
    try:
        pages = _all_pages()
        assert len(pages) > 10
        for page in pages:
            assert page_url(page, request) == page.get_url(request=request), page.url_path
            assert page_url(page) == page.get_url(), page.url_path
        assert page_url(odd, request) is None
        assert odd.get_url(request=request) is None
    finally:
        set_script_prefix("/")


def test_page_urls_of_two_sites_are_wagtails(tree, home):
    other_root = _publish(Page.get_first_root_node(), SectionPage(title="Інша", slug="insha"))
    _publish(other_root, SectionPage(title="Розділ", slug="rozdil"))
    Site.objects.create(hostname="insha.example.org", port=443, root_page=other_root)
    for host in ("testserver", "insha.example.org"):
        request = RequestFactory().get("/", HTTP_HOST=host)
        for page in _all_pages():
            assert page_url(page, request) == page.get_url(request=request), (host, page.url_path)
    # The other site's pages are full addresses from the first
    request = RequestFactory().get("/")
    rozdil = Page.objects.get(slug="rozdil")
    assert page_url(rozdil, request) == "https://insha.example.org/rozdil/"
    assert page_url(home, request) == "/"


def test_the_footer_follows_the_settings_and_the_language(client, site):
    from django.conf import settings

    from ratusha.core.models import HromadaSettings

    footer = '<h2 class="site-footer__title">Feedback</h2>'
    assert footer not in client.get("/").content.decode()
    hromada = HromadaSettings.objects.get(site__is_default_site=True)
    hromada.phone = "(00000) 9-99-99"
    hromada.save()
    text = client.get("/biudzhet/").content.decode()
    assert 'href="tel:0000099999">(00000) 9-99-99</a>' in text, text[text.find("<footer") :]
    # Each language keeps its own footer
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert footer in client.get("/biudzhet/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    assert footer not in client.get("/biudzhet/").content.decode()
