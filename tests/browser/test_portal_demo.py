"""The public site of the demo hromada (``demo_hromada --scale small``), loaded once for this
module and served by its own live server:

- every page type passes axe-core (WCAG 2.1 A/AA) and the Nu HTML Checker, in the normal and
  the low-vision version;
- the home page's slider is operated by keyboard, pauses, and never turns by itself for a
  visitor who asked for less motion or while the focus is in it;
- without JavaScript the home page, the menu, the top news and a news page are usable;
- a crawl from the home page along every link of the site finds no error.

The demo takes the database for the whole module, so these tests use no ``db`` fixture: the
module's fixture loads the demo into an empty test database, lets the tests read it, and
empties the database again at the end (pytest-django runs such tests after the transactional
ones, which empty it too).
"""

from __future__ import annotations

import io
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import pytest

MISSING = "/nemaie-takoi-storinky/"
PAGE_TYPES = [
    "home",
    "section",
    "subsection",
    "news_index",
    "news",
    "announcement_index",
    "announcement",
    "event_index",
    "event",
    "gallery",
    "album",
    "video_index",
    "video",
    "unit",
    "contact",
    "missing",
]
SLIDE_INTERVAL_MS = 6000


@dataclass(frozen=True)
class DemoSite:
    url: str  # the live server's root, without a trailing slash
    pages: dict[str, str]  # page type -> path
    top_news: list[str]  # titles of the slider's slides, in order

    def __getitem__(self, which: str) -> str:
        return self.url + self.pages[which]


def _empty_database() -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    cache.clear()  # Wagtail's site root paths and renditions of images that are gone


def _records_the_migrations_make() -> None:
    """What an emptied database lacks that ``migrate`` makes: Wagtail's root page, locale and
    root collection, and the default kinds of acts (role groups come back with ``flush``)."""
    from ratusha.core.testing import restore_migration_records

    restore_migration_records(wagtail=True)


def _page_paths() -> tuple[dict[str, str], list[str]]:
    """A page of each type of the demo site (the first in the tree), and the slider's titles."""
    from ratusha.portal import models, selectors

    home = models.HomePage.objects.get()

    def first(model, **filters) -> str:
        return model.objects.live().filter(**filters).order_by("path").first().url

    pages = {
        "home": home.url,
        "section": first(models.SectionPage, depth=home.depth + 1, numchild__gt=0),
        "subsection": first(models.SectionPage, depth=home.depth + 2),
        "news_index": first(models.NewsIndexPage),
        "news": first(models.NewsPage, is_top=True),
        "announcement_index": first(models.AnnouncementIndexPage),
        "announcement": first(models.AnnouncementPage),
        "event_index": first(models.EventIndexPage),
        "event": first(models.EventPage),
        "gallery": first(models.GalleryIndexPage),
        "album": first(models.AlbumPage),
        "video_index": first(models.VideoIndexPage),
        "video": first(models.VideoPage),
        "unit": first(models.UnitPage),
        "contact": first(models.ContactPage),
        "missing": MISSING,
    }
    return pages, [page.title for page in selectors.top_news(home)]


@contextmanager
def _test_database():
    """The test database. pytest-django sets it up only when a collected test asks for it
    (``db``, ``django_db``…); when this module runs alone, none does: set it up here."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        yield
        return
    databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        yield
    finally:
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo hromada in the test database, served by a live server of this module
    (the site's hostname and port are the server's, so canonical addresses resolve)."""
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer
    from wagtail.models import Site

    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        _test_database(),
        override_settings(MEDIA_ROOT=str(media)),
    ):
        _empty_database()
        _records_the_migrations_make()
        call_command("demo_hromada", scale="small", stdout=io.StringIO())
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            address = urlsplit(server.url)
            site = Site.objects.get(is_default_site=True)
            site.hostname, site.port = address.hostname, address.port
            site.save()
            pages, top_news = _page_paths()
            yield DemoSite(url=server.url, pages=pages, top_news=top_news)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            _empty_database()


# Accessibility and valid HTML of every page type ---------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("low_vision", [False, True], ids=["normal", "low-vision"])
@pytest.mark.parametrize("which", PAGE_TYPES)
def test_every_page_type_passes_axe_and_the_html_checker(
    page, demo, axe_violations, html_errors, which, low_vision
):
    if low_vision:
        page.context.add_cookies([{"name": "low_vision", "value": "1", "url": demo.url}])

    response = page.goto(demo[which])

    assert response.status == (404 if which == "missing" else 200)
    assert ("low-vision" in (page.locator("html").get_attribute("class") or "")) is low_vision
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []


# The slider of top news -----------------------------------------------------------------------


def _shown_slide(page) -> str:
    """The title of the one slide shown."""
    shown = page.locator(".slider__item:not([hidden])")
    assert shown.count() == 1
    return shown.locator(".slider__title").inner_text()


def _slider_page(browser, demo, **context_options):
    context = browser.new_context(locale="uk-UA", **context_options)
    page = context.new_page()
    page.clock.install()
    page.goto(demo["home"])
    page.mouse.move(0, 0)
    return page


def _slider(page):
    slider = page.get_by_role("region", name="Головні новини")
    return {
        "region": slider,
        "rotation": slider.locator(".slider__rotation"),
        "previous": slider.get_by_role("button", name="Попередня новина"),
        "next": slider.get_by_role("button", name="Наступна новина"),
        "slides": slider.locator(".slider__slides"),
    }


@pytest.mark.browser
def test_slider_buttons_come_first_and_are_reached_by_tab(browser, demo):
    page = _slider_page(browser, demo, reduced_motion="reduce")
    controls = _slider(page)

    focused = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.className"))
        if "slider__next" in focused[-1]:
            break
    page.keyboard.press("Tab")
    after = page.evaluate("document.activeElement.closest('.slider__item') !== null")

    assert focused[-3:] == [
        "slider__button slider__rotation",
        "slider__button slider__previous",
        "slider__button slider__next",
    ]
    assert after  # then the link of the slide shown
    assert controls["next"].get_attribute("aria-controls") == "slider-slides"
    page.context.close()


@pytest.mark.browser
def test_buttons_and_arrow_keys_turn_the_slides(browser, demo):
    page = _slider_page(browser, demo, reduced_motion="reduce")
    controls = _slider(page)
    titles = demo.top_news
    assert len(titles) >= 3
    assert _shown_slide(page) == titles[0]

    controls["next"].click()
    assert _shown_slide(page) == titles[1]
    controls["previous"].click()
    controls["previous"].click()
    assert _shown_slide(page) == titles[-1]  # round the end

    controls["next"].focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _shown_slide(page) == titles[1]
    page.keyboard.press("ArrowLeft")
    assert _shown_slide(page) == titles[0]
    # A slide the visitor turns is announced.
    assert controls["slides"].get_attribute("aria-live") == "polite"
    page.context.close()


@pytest.mark.browser
def test_slides_turn_by_themselves_unannounced_until_paused(browser, demo):
    page = _slider_page(browser, demo)
    controls = _slider(page)
    titles = demo.top_news

    # Rotating: not announced, and the first button pauses it
    assert controls["slides"].get_attribute("aria-live") == "off"
    assert controls["rotation"].inner_text() == "Зупинити показ слайдів"
    page.clock.run_for(SLIDE_INTERVAL_MS + 100)
    assert _shown_slide(page) == titles[1]
    page.clock.run_for(SLIDE_INTERVAL_MS)
    assert _shown_slide(page) == titles[2]

    # The visitor pauses it (and moves the pointer away again)
    controls["rotation"].click()
    page.mouse.move(0, 0)
    page.locator("h1").click()  # focus leaves the slider
    page.clock.run_for(SLIDE_INTERVAL_MS * 5)

    assert _shown_slide(page) == titles[2]
    assert controls["rotation"].inner_text() == "Запустити показ слайдів"
    assert controls["slides"].get_attribute("aria-live") == "polite"

    # And starts it again
    controls["rotation"].click()
    page.mouse.move(0, 0)
    page.locator("h1").click()
    page.clock.run_for(SLIDE_INTERVAL_MS + 100)
    assert _shown_slide(page) == titles[3]
    page.context.close()


@pytest.mark.browser
def test_no_autoplay_for_visitors_who_asked_for_less_motion(browser, demo):
    page = _slider_page(browser, demo, reduced_motion="reduce")
    controls = _slider(page)

    page.clock.run_for(SLIDE_INTERVAL_MS * 5)

    assert _shown_slide(page) == demo.top_news[0]
    assert controls["rotation"].inner_text() == "Запустити показ слайдів"
    assert controls["slides"].get_attribute("aria-live") == "polite"
    page.context.close()


@pytest.mark.browser
def test_slider_holds_still_while_the_keyboard_focus_or_the_pointer_is_in_it(browser, demo):
    page = _slider_page(browser, demo)
    controls = _slider(page)
    titles = demo.top_news

    # A keyboard (or screen reader) user reaches the slider: it stops and is announced
    controls["rotation"].focus()
    page.clock.run_for(SLIDE_INTERVAL_MS * 3)
    assert _shown_slide(page) == titles[0]
    assert controls["slides"].get_attribute("aria-live") == "polite"

    # The pointer rests on it
    page.locator("h1").click()
    controls["region"].hover()
    page.clock.run_for(SLIDE_INTERVAL_MS * 3)
    assert _shown_slide(page) == titles[0]

    # Both leave: it goes on
    page.mouse.move(0, 0)
    page.clock.run_for(SLIDE_INTERVAL_MS + 100)
    assert _shown_slide(page) == titles[1]
    page.context.close()


# Without JavaScript ----------------------------------------------------------------------------


@pytest.mark.browser
def test_home_menu_top_news_and_a_news_page_work_without_javascript(browser, demo):
    context = browser.new_context(locale="uk-UA", java_script_enabled=False)
    page = context.new_page()
    page.goto(demo["home"])

    # Every top news item is shown, as a list with its link; the slider has no buttons
    slider = page.get_by_role("region", name="Головні новини")
    assert slider.get_by_role("button").count() == 0
    for title in demo.top_news:
        assert slider.get_by_role("link", name=title).is_visible()
    # The main menu is all there
    menu = page.get_by_role("navigation", name="Головне меню")
    assert menu.get_by_role("link").count() == 18
    assert menu.get_by_role("link", name="Громада").is_visible()

    # A news item opens and reads
    slider.get_by_role("link", name=demo.top_news[0]).click()
    assert page.get_by_role("heading", level=1).inner_text() == demo.top_news[0]
    assert page.locator("article .main-image img").get_attribute("alt")
    assert page.locator("article .rich-text p").first.is_visible()
    # And the menu takes the visitor to a section
    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Громада").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Громада"
    context.close()


# A crawl of the whole site ---------------------------------------------------------------------

# A list's pages are followed up to this number; links that differ only in other query
# parameters (filters, sorting) up to PER_QUERY_SHAPE of each shape per address.
MAX_LIST_PAGE = 10
PER_QUERY_SHAPE = 2
NOT_CRAWLED = ("/admin/", "/vision/", "/i18n/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _stored_file_exists(path: str) -> bool:
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.files.storage import default_storage

    if path.startswith(settings.MEDIA_URL):
        return default_storage.exists(unquote(path.removeprefix(settings.MEDIA_URL)))
    return finders.find(unquote(path.removeprefix(settings.STATIC_URL))) is not None


def test_a_crawl_of_the_demo_site_finds_no_broken_link(demo):
    """From the home page along every link to the same site (paged lists up to their 10th
    page, a few of each kind of filtered link): every address answers without an error, and
    every image or file it links to exists."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    hosts = {"", "testserver", urlsplit(demo.url).netloc}
    queue, seen, shapes = deque(["/"]), {"/"}, Counter()
    failures, statuses = [], Counter()
    while queue:
        address = queue.popleft()
        if address.startswith((settings.MEDIA_URL, settings.STATIC_URL)):
            statuses["file"] += 1
            if not _stored_file_exists(urlsplit(address).path):
                failures.append(f"missing file {address}")
            continue
        response = client.get(address)
        statuses[response.status_code] += 1
        if response.status_code >= 400:
            failures.append(f"{response.status_code} {address}")
            continue
        targets = []
        if response.status_code in (301, 302):
            targets = [response["Location"]]
        elif response.get("Content-Type", "").startswith("text/html"):
            parser = _Links()
            parser.feed(response.content.decode())
            targets = parser.links
        for href in targets:
            parts = urlsplit(urljoin(f"http://testserver{address}", href))
            if parts.scheme not in ("http", "https") or parts.netloc not in hosts:
                continue
            if parts.path.startswith(NOT_CRAWLED):
                continue
            query = dict(parse_qsl(parts.query))
            page = query.pop("page", "1")
            if not page.isdigit() or int(page) > MAX_LIST_PAGE:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            shape = (parts.path, tuple(sorted(query)))
            if query and shapes[shape] >= PER_QUERY_SHAPE:
                continue
            shapes[shape] += bool(query)
            seen.add(target)
            queue.append(target)

    assert failures == []
    # The crawl did reach the whole demo: its 60 news, 20 announcements, 8 unit pages…
    assert statuses[200] > 450, statuses
    news_index = demo.pages["news_index"]
    assert sum(1 for address in seen if address.startswith(news_index) and "?" not in address) > 60
