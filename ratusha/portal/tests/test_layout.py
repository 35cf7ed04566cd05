"""The public frame of every page: header, menu, breadcrumbs, footer, low-vision mode,
language switch and the error pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from django.db import connection
from django.template import loader
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image as PillowImage
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from ratusha.core.context_processors import menu_pages_for
from ratusha.core.models import HromadaSettings
from ratusha.core.views import server_error
from ratusha.portal.models import HomePage, SectionPage

COUNCIL = "Тестова селищна рада"


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def home(db):
    home = _publish(
        Page.get_first_root_node(),
        HomePage(title="Головна", slug="holovna", intro="<p>Офіційний вебсайт громади.</p>"),
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    HromadaSettings.objects.update_or_create(
        site=site,
        defaults={
            "council_name": COUNCIL,
            "community_name": "Тестова селищна територіальна громада",
            "address": "вул. Центральна, 1, смт Тестове, 00000",
            "phone": "(00000) 1-23-45",
            "email": "rada@example.org",
            "working_hours": "Пн–Пт 8:00–17:00",
            "head_name": "Іваненко Іван Іванович",
            "head_title": "селищний голова",
            "facebook_url": "https://www.facebook.com/example",
        },
    )
    return home


@pytest.fixture
def sections(home):
    hromada = _publish(
        home, SectionPage(title="Громада", slug="hromada", show_in_menus=True, intro="Про нас")
    )
    documents = _publish(home, SectionPage(title="Документи", slug="dokumenty", show_in_menus=True))
    _publish(home, SectionPage(title="Поза меню", slug="poza-meniu", show_in_menus=False))
    draft = SectionPage(title="Чернетка", slug="chernetka", show_in_menus=True, live=False)
    home.add_child(instance=draft)
    history = _publish(
        hromada,
        SectionPage(
            title="Історія громади",
            slug="istoriia",
            content=[("paragraph", RichText("<p>Заснована 1650 року.</p>"))],
        ),
    )
    return {"hromada": hromada, "documents": documents, "history": history}


def test_home_page_shows_council_name_from_hromada_settings(client, home):
    response = client.get("/")

    assert response.status_code == 200
    assertContains(response, f"<title>{COUNCIL}</title>", html=True)
    assertContains(response, f'<h1 lang="uk">{COUNCIL}</h1>', html=True)
    assertContains(response, "Тестова селищна територіальна громада")
    assertContains(response, "Офіційний вебсайт громади.")
    assertContains(response, '<a href="tel:0000012345">(00000) 1-23-45</a>', html=True)
    assertContains(response, '<a href="mailto:rada@example.org">rada@example.org</a>', html=True)
    assertContains(response, "Селищний голова: Іваненко Іван Іванович")
    assertContains(response, '<a href="https://www.facebook.com/example">Facebook</a>', html=True)


def test_logo_from_hromada_settings_is_shown_next_to_the_name(client, home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PillowImage.new("RGB", (100, 120), "#0057b8").save(buffer, "PNG")
    logo = get_image_model().objects.create(title="Герб", file=ImageFile(buffer, name="herb.png"))
    HromadaSettings.objects.filter(site__is_default_site=True).update(logo=logo)

    response = client.get("/")

    assertContains(response, 'alt="" class="brand__logo"')


def test_static_files_of_the_layout_are_found():
    assert finders.find("ratusha/css/site.css"), (
        "ratusha/static is not a static files directory: "
        'settings.STATICFILES_DIRS needs BASE_DIR / "ratusha" / "static"'
    )
    assert finders.find("ratusha/js/menu.js")


def test_menu_is_built_from_live_in_menu_children_of_the_site_root(client, sections):
    response = client.get("/")

    menu = [page.title for page in response.context["menu_pages"]]
    assert menu == ["Громада", "Документи"]
    assertContains(response, '<nav class="main-nav" aria-label="Головне меню"', count=1)


def test_menu_takes_one_query(sections, django_assert_num_queries):
    site = Site.objects.select_related("root_page").get(is_default_site=True)

    with django_assert_num_queries(1):
        menu = menu_pages_for(site)

    assert len(menu) == 2


def test_page_queries_do_not_grow_with_the_number_of_sections(client, sections, home):
    def queries_for(url):
        client.get(url)  # warm Wagtail's caches (site root paths)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    before = {url: queries_for(url) for url in ("/", "/hromada/")}
    for n in range(5):
        _publish(home, SectionPage(title=f"Розділ {n}", slug=f"rozdil-{n}", show_in_menus=True))
        _publish(sections["hromada"], SectionPage(title=f"Підрозділ {n}", slug=f"pidrozdil-{n}"))

    after = {url: queries_for(url) for url in ("/", "/hromada/")}
    assert after == before


def test_home_page_lists_its_sections(client, sections):
    response = client.get("/")

    html = response.content.decode()
    cards = [f'<a class="card__link" href="/{slug}/">' for slug in ("hromada", "dokumenty")]
    cards.append('<a class="card__link" href="/poza-meniu/">')
    positions = [html.index(card) for card in cards]
    assert positions == sorted(positions)
    assertNotContains(response, "Чернетка")


def test_section_page_has_breadcrumbs_title_and_dates(client, sections):
    SectionPage.objects.filter(pk=sections["history"].pk).update(
        first_published_at=dt.datetime(2024, 2, 29, 23, 30, tzinfo=dt.UTC),  # 1 March in Kyiv
        last_published_at=dt.datetime(2025, 1, 15, 9, 0, tzinfo=dt.UTC),
    )

    response = client.get("/hromada/istoriia/")

    assert response.status_code == 200
    assertContains(response, f"<title>Історія громади — {COUNCIL}</title>", html=True)
    assertContains(response, '<nav class="breadcrumbs" aria-label="Навігаційний ланцюжок">')
    assertContains(response, '<a href="/">Головна</a>', html=True)
    assertContains(response, '<a href="/hromada/">Громада</a>', html=True)
    assertContains(response, 'href="/hromada/" aria-current="true"')
    assertContains(
        response, '<a href="/hromada/istoriia/" aria-current="page">Історія громади</a>', html=True
    )
    assertContains(response, "Заснована 1650 року.")
    assertContains(response, 'Оприлюднено: <time datetime="2024-03-01">01.03.2024</time>')
    assertContains(response, 'Оновлено: <time datetime="2025-01-15">15.01.2025</time>')


def test_section_page_lists_subsections(client, sections):
    response = client.get("/hromada/")

    assertContains(response, "У цьому розділі")
    assertContains(response, '<a class="card__link" href="/hromada/istoriia/">', count=1)


def test_home_page_has_no_breadcrumbs(client, sections):
    response = client.get("/")

    assertNotContains(response, 'class="breadcrumbs"')


def test_skip_link_is_the_first_link_and_targets_main(client, home):
    html = client.get("/").content.decode()

    body = html[html.index("<body>") :]
    first_link = body[body.index("<a ") : body.index("</a>")]
    assert 'href="#main"' in first_link
    assert "Перейти до основного вмісту" in first_link
    assert '<main id="main"' in html


def test_low_vision_toggle_sets_cookie_and_marks_the_next_page(client, sections):
    response = client.get("/vision/", {"next": "/hromada/"})

    assert response.status_code == 302
    assert response["Location"] == "/hromada/"
    cookie = response.cookies["low_vision"]
    assert cookie.value == "1"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"

    page = client.get("/hromada/")
    assert page.context["low_vision"] is True
    assertContains(page, '<html lang="uk" class="low-vision">')
    assertContains(page, "Звичайна версія")


def test_low_vision_toggle_switches_back(client, home):
    client.cookies["low_vision"] = "1"

    response = client.get("/vision/", {"next": "/"})

    assert response.cookies["low_vision"].value == ""
    page = client.get("/")
    assert page.context["low_vision"] is False
    assertContains(page, '<html lang="uk">')
    assertContains(page, "Версія для людей з порушеннями зору")


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", ""]
)
def test_low_vision_toggle_does_not_redirect_off_site(client, db, next_url):
    response = client.get("/vision/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_low_vision_link_returns_to_the_current_page(client, sections):
    response = client.get("/hromada/istoriia/")

    assertContains(response, 'href="/vision/?next=/hromada/istoriia/"')


def test_404_page_is_ukrainian(client, sections):
    response = client.get("/nemaie-takoi-storinky/")

    assert response.status_code == 404
    assertContains(response, "<h1>Сторінку не знайдено</h1>", status_code=404, html=True)
    assertContains(response, f"<title>Сторінку не знайдено — {COUNCIL}</title>", status_code=404)
    assertContains(response, 'aria-label="Головне меню"', status_code=404)


def test_404_for_a_host_no_site_answers_does_not_crash(client, home):
    Site.objects.update(hostname="site.example", is_default_site=False)

    response = client.get("/", HTTP_HOST="localhost")

    assert response.status_code == 404
    assertContains(response, "Сторінку не знайдено", status_code=404)
    assertNotContains(response, 'aria-label="Головне меню"', status_code=404)


def test_500_page_renders_without_database_or_context_processors():
    # No ``db`` fixture: pytest-django fails the test on any database access.
    # The locale middleware has activated the visitor's language before any view fails.
    with translation.override("uk"):
        html = loader.render_to_string("500.html")
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert '<html lang="uk">' in html
    assert "Помилка сервера" in response.content.decode()


def test_ukrainian_is_the_default_whatever_the_browser_asks(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assertContains(response, '<html lang="uk">')
    assertContains(response, "Перейти до основного вмісту")


def test_language_switch_to_english(client, sections):
    page = client.get("/hromada/")
    assertContains(page, 'action="/i18n/setlang/"')
    assertContains(page, 'name="csrfmiddlewaretoken"')

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/hromada/"})

    assert response.status_code == 302
    assert response["Location"] == "/hromada/"
    english = client.get("/hromada/")
    assertContains(english, '<html lang="en">')
    assertContains(english, "Skip to main content")
    assertContains(english, '<h1 lang="uk">Громада</h1>', html=True)
    assertContains(english, 'aria-current="true">English</button>')
