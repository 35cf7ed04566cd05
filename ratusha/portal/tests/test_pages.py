"""Every page type of the public site in a tree under the home page: what each shows, the
home page's slider and blocks (and the sections of acts and council), banners by their dates,
page dates, required text alternatives, the album's bulk upload and the event's iCalendar."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PillowImage
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from ratusha.core.models import Employee, HromadaSettings, StructuralUnit
from ratusha.core.testing import restore_migration_records
from ratusha.portal.models import (
    AlbumPage,
    AlbumPhoto,
    AnnouncementIndexPage,
    AnnouncementPage,
    Banner,
    ContactPage,
    EventIndexPage,
    EventPage,
    GalleryIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SectionPage,
    UnitPage,
    VideoIndexPage,
    VideoPage,
)

COUNCIL = "Тестова селищна рада"


def _kyiv(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def _png(name="photo.png", size=(64, 48), colour="#0057b8") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def _image(title="Фото", name="photo.png"):
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(_png()), name=name)
    )


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
            "address": "вул. Центральна, 1, смт Тестове, 00000",
            "phone": "(00000) 1-23-45",
            "email": "rada@example.org",
            "working_hours": "Пн–Пт 8:00–17:00",
            "edrpou": "12345678",
        },
    )
    return home


@pytest.fixture
def tree(home):
    """One page of every type; returns their URLs by name."""
    document = get_document_model().objects.create(
        title="Бюджет на 2025 рік", file=ContentFile(b"%PDF-1.4 test", name="biudzhet.pdf")
    )
    budget = _publish(
        home,
        SectionPage(
            title="Бюджет",
            slug="biudzhet",
            show_in_menus=True,
            content=[
                ("paragraph", RichText("<p>Відкритий бюджет громади.</p>")),
                (
                    "table",
                    {
                        "data": [["Стаття", "Сума"], ["Освіта", "1 200 000"]],
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                        "table_caption": "Видатки бюджету",
                    },
                ),
                ("document", {"document": document, "title": ""}),
            ],
        ),
    )
    news_index = _publish(home, NewsIndexPage(title="Новини", slug="novyny"))
    photo = _image("Сесія")
    top = _publish(
        news_index,
        NewsPage(
            title="Відкрито новий ЦНАП",
            slug="tsnap",
            date=_kyiv(2025, 3, 10, 9),
            intro="Центр надання адмінпослуг запрацював.",
            image=photo,
            image_alt="Будівля ЦНАП",
            is_top=True,
        ),
    )
    plain = _publish(
        news_index,
        NewsPage(title="Прибирання парку", slug="park", date=_kyiv(2025, 3, 12, 9)),
    )
    announcements = _publish(home, AnnouncementIndexPage(title="Оголошення", slug="oholoshennia"))
    _publish(
        announcements,
        AnnouncementPage(
            title="Відключення води", slug="voda", date=_kyiv(2025, 3, 11, 8), intro="У вівторок."
        ),
    )
    events = _publish(home, EventIndexPage(title="Події", slug="podii"))
    start = timezone.now() + dt.timedelta(days=3)
    _publish(
        events,
        EventPage(
            title="Толока в парку",
            slug="toloka",
            start=start,
            end=start + dt.timedelta(hours=3),
            place="Центральний парк",
            intro="Приходьте з рукавицями.",
        ),
    )
    _publish(
        events,
        EventPage(
            title="Минулий концерт",
            slug="kontsert",
            start=timezone.now() - dt.timedelta(days=30),
            place="Будинок культури",
        ),
    )
    gallery = _publish(home, GalleryIndexPage(title="Фотогалерея", slug="fotohalereia"))
    album = AlbumPage(title="День громади", slug="den-hromady", intro="Свято 2024 року.")
    # Numbered as the admin's photo panel numbers them (PostgreSQL sorts a NULL order last).
    album.photos.add(
        AlbumPhoto(image=_image("Сцена"), alt="Сцена зі святковими прикрасами", sort_order=1)
    )
    album.photos.add(AlbumPhoto(image=_image("Гості"), alt="Гості свята біля сцени", sort_order=2))
    _publish(gallery, album)
    videos = _publish(home, VideoIndexPage(title="Відео", slug="video"))
    _publish(
        videos,
        VideoPage(
            title="Сесія ради",
            slug="sesiia",
            video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            description="<p>Запис пленарного засідання сесії.</p>",
        ),
    )
    structure = _publish(home, SectionPage(title="Структура", slug="struktura"))
    unit = StructuralUnit.objects.create(
        name="Відділ освіти",
        slug="osvita",
        functions="Управління закладами освіти.",
        address="вул. Шкільна, 2",
        phone="(00000) 2-22-22",
        email="osvita@example.org",
    )
    Employee.objects.create(
        unit=unit, full_name="Петренко Ольга", position="начальник", is_head=True
    )
    Employee.objects.create(unit=unit, full_name="Сидоренко Іван", position="спеціаліст")
    _publish(
        structure,
        UnitPage(
            title="Відділ освіти",
            slug="osvita",
            unit=unit,
            content=[("paragraph", RichText("<p>Прийом щодня.</p>"))],
        ),
    )
    _publish(
        home,
        ContactPage(
            title="Контакти",
            slug="kontakty",
            map_url="https://www.openstreetmap.org/#map=17/50.0/30.0",
            content=[("paragraph", RichText("<p>Пишіть нам.</p>"))],
        ),
    )
    return {
        "home": "/",
        "section": "/biudzhet/",
        "news_index": "/novyny/",
        "news": "/novyny/tsnap/",
        "news_plain": "/novyny/park/",
        "announcement_index": "/oholoshennia/",
        "announcement": "/oholoshennia/voda/",
        "event_index": "/podii/",
        "event": "/podii/toloka/",
        "gallery": "/fotohalereia/",
        "album": "/fotohalereia/den-hromady/",
        "video_index": "/video/",
        "video": "/video/sesiia/",
        "structure": "/struktura/",
        "unit": "/struktura/osvita/",
        "contacts": "/kontakty/",
        "_pages": {"top": top, "plain": plain, "album": album, "budget": budget},
    }


KEY_CONTENT = {
    "home": ["Відкрито новий ЦНАП", "Прибирання парку", "Відключення води", "Толока в парку"],
    "section": ["Відкритий бюджет громади.", "<caption>Видатки бюджету</caption>", "biudzhet"],
    "news_index": ["Відкрито новий ЦНАП", "Прибирання парку", 'alt="Будівля ЦНАП"'],
    "news": ["<h1", "Центр надання адмінпослуг запрацював.", 'alt="Будівля ЦНАП"', "10.03.2025"],
    "announcement_index": ["Відключення води"],
    "announcement": ["Відключення води", "У вівторок."],
    "event_index": ["Толока в парку", "Минулий концерт"],
    "event": ["Толока в парку", "Центральний парк", 'href="?format=ics"'],
    "gallery": ["День громади", "Свято 2024 року."],
    "album": ['alt="Сцена зі святковими прикрасами"', 'loading="lazy"', "max-1600x1200"],
    "video_index": ["Сесія ради", "Запис пленарного засідання"],
    "video": ["youtube-nocookie.com/embed/dQw4w9WgXcQ", "Запис пленарного засідання сесії."],
    "unit": [
        "Петренко Ольга, начальник",
        "вул. Шкільна, 2",
        "mailto:osvita@example.org",
        "Управління закладами освіти.",
        "Прийом щодня.",
    ],
    "contacts": [
        "вул. Центральна, 1",
        "tel:0000012345",
        "mailto:rada@example.org",
        'href="https://www.openstreetmap.org/#map=17/50.0/30.0"',
        "Пишіть нам.",
    ],
}


@pytest.mark.parametrize("which", list(KEY_CONTENT))
def test_every_page_type_renders_its_content_and_dates(client, tree, which):
    response = client.get(tree[which])

    assert response.status_code == 200
    for text in KEY_CONTENT[which]:
        assertContains(response, text)
    assertContains(response, 'class="page-dates"')
    today = timezone.localdate().strftime("%d.%m.%Y")
    assertContains(response, "Оприлюднено: <time datetime=")
    assertContains(response, today)


def test_unit_page_does_not_list_staff_who_are_not_the_head(client, tree):
    response = client.get(tree["unit"])

    assertNotContains(response, "Сидоренко")


def test_page_dates_show_first_and_last_publication(client, tree):
    page = tree["_pages"]["plain"]
    NewsPage.objects.filter(pk=page.pk).update(
        first_published_at=dt.datetime(2024, 2, 29, 23, 30, tzinfo=dt.UTC),  # 1 March in Kyiv
        last_published_at=dt.datetime(2025, 1, 15, 9, 0, tzinfo=dt.UTC),
    )

    response = client.get(tree["news_plain"])

    assertContains(response, 'Оприлюднено: <time datetime="2024-03-01">01.03.2024</time>')
    assertContains(response, 'Оновлено: <time datetime="2025-01-15">15.01.2025</time>')


def test_slider_shows_only_top_news(client, tree):
    response = client.get("/")

    slides = [page.title for page in response.context["blocks"].top_news]
    assert slides == ["Відкрито новий ЦНАП"]
    html = response.content.decode()
    slider = html[
        html.index('class="slider"') : html.index("</section>", html.index('class="slider"'))
    ]
    assert "Відкрито новий ЦНАП" in slider
    assert "Прибирання парку" not in slider
    assert 'aria-roledescription="' in slider
    assert 'src="/static/portal/slider.js"' in html


def test_home_without_top_news_has_no_slider(client, tree):
    NewsPage.objects.update(is_top=False)

    response = client.get("/")

    assertNotContains(response, 'class="slider"')
    assertNotContains(response, "slider.js")


def test_home_lists_upcoming_events_only(client, tree):
    response = client.get("/")

    events = [page.title for page in response.context["blocks"].events]
    assert events == ["Толока в парку"]


def test_news_index_is_newest_first_and_paged(client, tree):
    index = NewsIndexPage.objects.get()
    for n in range(13):
        _publish(index, NewsPage(title=f"Новина {n}", slug=f"n{n}", date=_kyiv(2020, 1, n + 1)))

    first = client.get(tree["news_index"])
    second = client.get(tree["news_index"], {"page": 2})

    titles = [page.title for page in first.context["items"]]
    assert titles[:3] == ["Прибирання парку", "Відкрито новий ЦНАП", "Новина 12"]
    assert len(titles) == 12
    assert [page.title for page in second.context["items"]] == ["Новина 2", "Новина 1", "Новина 0"]
    assertContains(first, 'rel="next"')


def _queries(client, url) -> int:
    client.get(url)  # warm caches and make renditions
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.mark.parametrize("which", ["home", "news_index", "gallery", "album", "event_index"])
def test_query_counts_do_not_grow_with_the_number_of_items(client, tree, which):
    before = _queries(client, tree[which])
    news_index = NewsIndexPage.objects.get()
    album = AlbumPage.objects.get()
    for n in range(4):
        _publish(
            news_index,
            NewsPage(
                title=f"Головна новина {n}",
                slug=f"top-{n}",
                is_top=True,
                image=_image(f"Н{n}"),
                image_alt=f"Опис {n}",
            ),
        )
        AlbumPhoto.objects.create(album=album, image=_image(f"А{n}"), alt=f"Фото {n}")
        _publish(
            GalleryIndexPage.objects.get(),
            AlbumPage(title=f"Альбом {n}", slug=f"album-{n}"),
        )
        _publish(
            EventIndexPage.objects.get(),
            EventPage(
                title=f"Подія {n}",
                slug=f"podiia-{n}",
                start=timezone.now() + dt.timedelta(days=n + 1),
                place="Клуб",
            ),
        )
        Banner.objects.create(title=f"Банер {n}", url="https://example.org/", alt=f"Банер {n}")

    assert _queries(client, tree[which]) == before


# Banners -------------------------------------------------------------------------------------


@pytest.fixture
def banners(db):
    today = timezone.localdate()
    Banner.objects.create(
        title="Президент України",
        url="https://www.president.gov.ua/",
        alt="Офіційне інтернет-представництво Президента України",
        image=_image("Президент", "president.png"),
        sort_order=2,
    )
    Banner.objects.create(
        title="Верховна Рада України",
        url="https://www.rada.gov.ua/",
        alt="Верховна Рада України",
        sort_order=1,
    )
    Banner.objects.create(
        title="Минулий конкурс",
        url="https://example.org/old/",
        alt="Минулий конкурс",
        active_until=today - dt.timedelta(days=1),
    )
    Banner.objects.create(
        title="Майбутній конкурс",
        url="https://example.org/future/",
        alt="Майбутній конкурс",
        active_from=today + dt.timedelta(days=1),
    )
    Banner.objects.create(
        title="Поточний конкурс",
        url="https://example.org/now/",
        alt="Поточний конкурс",
        active_from=today,
        active_until=today,
        sort_order=3,
    )


@pytest.mark.parametrize("which", ["home", "section", "news", "album", "contacts", "unit"])
def test_banners_by_active_dates_on_every_page(client, tree, banners, which):
    response = client.get(tree[which])

    html = response.content.decode()
    assert 'class="banners"' in html
    order = [
        html.index('href="https://www.rada.gov.ua/"'),
        html.index('href="https://www.president.gov.ua/"'),
        html.index('href="https://example.org/now/"'),
    ]
    assert order == sorted(order)
    assertContains(response, 'alt="Офіційне інтернет-представництво Президента України"')
    assertContains(
        response,
        '<a class="banner" href="https://www.rada.gov.ua/">Верховна Рада України</a>',
        html=True,
    )
    assertNotContains(response, "example.org/old/")
    assertNotContains(response, "example.org/future/")
    assert html.index('class="banners"') < html.index('class="site-footer"')


def test_banners_also_on_the_404_page(client, tree, banners):
    response = client.get("/nemaie/")

    assertContains(response, 'href="https://www.rada.gov.ua/"', status_code=404)


# Text alternatives -----------------------------------------------------------------------------


def test_album_photo_needs_a_text_alternative(db):
    photo = AlbumPhoto(image=_image(), alt="")

    with pytest.raises(ValidationError) as error:
        photo.full_clean(exclude=["album"])

    assert "alt" in error.value.message_dict


def test_news_image_needs_a_text_alternative(db):
    news = NewsPage(title="Новина", slug="novyna", image=_image(), image_alt="  ")

    with pytest.raises(ValidationError) as error:
        news.clean()

    assert "image_alt" in error.value.message_dict


def test_news_without_image_needs_no_text_alternative(db):
    NewsPage(title="Новина", slug="novyna").clean()


# Event's iCalendar ------------------------------------------------------------------------------


def test_event_icalendar_parses(client, tree):
    response = client.get(tree["event"], {"format": "ics"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    page = EventPage.objects.get(slug="toloka")
    assert str(event["summary"]) == "Толока в парку"
    assert str(event["location"]) == "Центральний парк"
    assert event.decoded("dtstart") == page.start.replace(microsecond=0)
    assert event.decoded("dtend") == page.end.replace(microsecond=0)
    assert str(event["url"]).endswith("/podii/toloka/")


# The home page's sections from acts and council -------------------------------------------------


def test_home_shows_latest_acts_and_upcoming_council_meetings(client, home):
    from ratusha.acts import services as act_services
    from ratusha.acts.models import ActKind
    from ratusha.core.permissions import SYSTEM
    from ratusha.council import services as council_services
    from ratusha.council.choices import MeetingKind

    if not ActKind.objects.exists():
        restore_migration_records()
    act = act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": ActKind.objects.get(code="council-decision"),
            "number": "12-VIII",
            "date": dt.date(2025, 3, 1),
            "title": "Про затвердження програми благоустрою",
        },
    )
    act_services.act_publish(actor=SYSTEM, act=act)
    convocation = council_services.convocation_create(
        actor=SYSTEM, data={"number": 8, "start_date": dt.date(2020, 11, 20), "composition": 5}
    )
    council_services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": convocation,
            "number": 9,
            "date": timezone.localdate() + dt.timedelta(days=5),
            "start_time": dt.time(10, 0),
            "place": "Сесійна зала",
        },
    )

    response = client.get("/")

    assertContains(response, "Про затвердження програми благоустрою")
    assertContains(response, f'href="/acts/{act.pk}/"')
    assertContains(response, 'id="home-meetings-title"')
    assertContains(response, "Сесійна зала")


def test_home_without_acts_or_meetings_has_no_such_sections(client, home):
    response = client.get("/")

    assertNotContains(response, 'id="home-acts-title"')
    assertNotContains(response, 'id="home-meetings-title"')


# Bulk upload of photos ------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pass")
    client.force_login(user)
    return client


def _upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_album_header_has_the_add_photos_button(admin_client, tree):
    album = tree["_pages"]["album"]

    response = admin_client.get(f"/admin/pages/{album.pk}/edit/")

    assertContains(response, f"/admin/portal/albums/photos/{album.pk}/")


def test_bulk_upload_creates_images_and_photos(admin_client, tree, client):
    album = tree["_pages"]["album"]
    url = f"/admin/portal/albums/photos/{album.pk}/"
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "description": "Концерт на площі",
            "photos": [_upload("a.png", _png()), _upload("b.jpg", _png(), "image/jpeg")],
        },
    )

    assert response.status_code == 302
    album.refresh_from_db()
    photos = list(album.photos.order_by("sort_order"))
    assert [photo.alt for photo in photos][-2:] == ["Концерт на площі (3)", "Концерт на площі (4)"]
    collections = {photo.image.collection_id for photo in photos}
    assert len(collections) == 1
    assert not album.has_unpublished_changes
    public = client.get(tree["album"])
    assertContains(public, 'alt="Концерт на площі (4)"')


def test_bulk_upload_refuses_a_non_image_naming_it(admin_client, tree):
    album = tree["_pages"]["album"]
    images_before = get_image_model().objects.count()

    response = admin_client.post(
        f"/admin/portal/albums/photos/{album.pk}/",
        {
            "description": "Концерт",
            "photos": [
                _upload("good.png", _png()),
                _upload("zvit.png", b"%PDF-1.4 not a picture"),
            ],
        },
    )

    assert response.status_code == 200
    assertContains(response, "zvit.png")
    assertNotContains(response, "good.png")
    assert get_image_model().objects.count() == images_before
    assert AlbumPhoto.objects.filter(album=album).count() == 2


def test_bulk_upload_refuses_files_over_20_mb(admin_client, tree, monkeypatch):
    from ratusha.portal import admin_photos

    monkeypatch.setattr(admin_photos, "MAX_PHOTO_SIZE", 100)
    album = tree["_pages"]["album"]

    response = admin_client.post(
        f"/admin/portal/albums/photos/{album.pk}/",
        {"description": "Концерт", "photos": [_upload("velyke.png", _png(size=(400, 400)))]},
    )

    assert response.status_code == 200
    assertContains(response, "velyke.png")


def test_bulk_upload_needs_the_add_image_permission(client, tree, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "e@example.org", "pass")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(f"/admin/portal/albums/photos/{tree['_pages']['album'].pk}/")

    assert response.status_code in (302, 403)
