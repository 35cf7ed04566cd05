"""The website's part of the activity report: ``portal.selectors.period_stats(start, end)`` —
news, announcements, events and videos published, photos added, pages updated, by top-level
section — over a fixed quarter (Q1 2025, Kyiv time)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from ratusha.portal.models import (
    AlbumPage,
    AlbumPhoto,
    AnnouncementIndexPage,
    AnnouncementPage,
    EventIndexPage,
    EventPage,
    GalleryIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SectionPage,
    VideoIndexPage,
    VideoPage,
)
from ratusha.portal.selectors import period_stats
from ratusha.portal.tests.test_pages import _image, _publish

pytestmark = pytest.mark.django_db

Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def _kyiv(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


# Moments just inside and just outside the quarter, in Kyiv time.
FIRST_MINUTE = _kyiv(2025, 1, 1, 0, 0)
LAST_MINUTE = _kyiv(2025, 3, 31, 23, 59)
BEFORE = _kyiv(2024, 12, 31, 23, 59)
AFTER = _kyiv(2025, 4, 1, 0, 0)
OUTSIDE = _kyiv(2024, 6, 1, 12, 0)


def _dated(page: Page, first: dt.datetime, last: dt.datetime | None = None) -> Page:
    Page.objects.filter(pk=page.pk).update(
        first_published_at=first, last_published_at=last or first
    )
    return page


def _uploaded(image, when: dt.datetime):
    get_image_model().objects.filter(pk=image.pk).update(created_at=when)
    return image


@pytest.fixture
def site(db):
    """A home page with a news list and a gallery at the top level, and a section «Громада»
    holding the announcements, events and videos; every page dated outside the quarter."""
    home = _publish(Page.get_first_root_node(), HomePage(title="Головна", slug="holovna"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    news = _publish(home, NewsIndexPage(title="Новини", slug="novyny"))
    hromada = _publish(home, SectionPage(title="Громада", slug="hromada"))
    gallery = _publish(home, GalleryIndexPage(title="Фотогалерея", slug="fotohalereia"))
    announcements = _publish(
        hromada, AnnouncementIndexPage(title="Оголошення", slug="oholoshennia")
    )
    events = _publish(hromada, EventIndexPage(title="Події", slug="podii"))
    videos = _publish(hromada, VideoIndexPage(title="Відео", slug="video"))
    for page in Page.objects.exclude(depth=1):
        _dated(page, OUTSIDE)
    return {
        "home": home,
        "news": news,
        "hromada": hromada,
        "gallery": gallery,
        "announcements": announcements,
        "events": events,
        "videos": videos,
    }


def _news(site, slug: str, first: dt.datetime, **fields) -> NewsPage:
    return _dated(_publish(site["news"], NewsPage(title=slug, slug=slug, **fields)), first)


def test_publications_are_counted_within_the_quarter_boundaries_in_kyiv_time(site):
    # Given news first published on the quarter's first and last minute, and just outside it
    _news(site, "first-minute", FIRST_MINUTE)
    _news(site, "last-minute", LAST_MINUTE)
    _news(site, "before", BEFORE)
    _news(site, "after", AFTER)

    # When the quarter's statistics are taken
    stats = period_stats(*Q1)

    # Then the two inside count
    assert stats["news"] == 2


def test_every_kind_is_counted_by_top_level_section(site):
    # Given, in the quarter: 3 news, 2 announcements, 1 event and 1 video under «Громада»,
    # a section page updated, and an event announced before the quarter
    for n in range(3):
        _news(site, f"news-{n}", _kyiv(2025, 2, n + 1, 10))
    for n in range(2):
        _dated(
            _publish(site["announcements"], AnnouncementPage(title=f"A{n}", slug=f"a{n}")),
            _kyiv(2025, 1, 10 + n, 9),
        )
    start = _kyiv(2025, 5, 1, 10)
    _dated(
        _publish(
            site["events"], EventPage(title="Толока", slug="toloka", start=start, place="Парк")
        ),
        _kyiv(2025, 3, 1, 9),
    )
    _dated(
        _publish(site["events"], EventPage(title="Стара", slug="stara", start=start, place="Клуб")),
        OUTSIDE,
    )
    _dated(
        _publish(
            site["videos"],
            VideoPage(
                title="Сесія", slug="sesiia", video_url="https://youtu.be/x", description="-"
            ),
        ),
        _kyiv(2025, 3, 15, 12),
    )
    _dated(site["hromada"], OUTSIDE, last=_kyiv(2025, 2, 20, 15))

    stats = period_stats(*Q1)

    assert (stats["news"], stats["announcements"], stats["events"], stats["videos"]) == (3, 2, 1, 1)
    assert stats["by_section"]["novyny"] == {
        "title": "Новини",
        "news": 3,
        "announcements": 0,
        "events": 0,
        "photos": 0,
        "videos": 0,
        "pages_updated": 3,
    }
    assert stats["by_section"]["hromada"] == {
        "title": "Громада",
        "news": 0,
        "announcements": 2,
        "events": 1,
        "photos": 0,
        "videos": 1,
        # two announcements, the event, the video and the section page itself
        "pages_updated": 5,
    }
    assert list(stats["by_section"]) == ["novyny", "hromada"]  # the tree's order
    assert stats["pages_updated"] == 8


def test_a_news_item_published_in_the_quarter_and_withdrawn_since_still_counts(site):
    page = _news(site, "withdrawn", _kyiv(2025, 2, 1, 9))
    page.unpublish()
    _dated(page, _kyiv(2025, 2, 1, 9), last=_kyiv(2025, 2, 1, 9))

    assert period_stats(*Q1)["news"] == 1


def test_photos_are_album_photos_and_news_images_uploaded_in_the_quarter_each_once(site):
    # Given an album with three photos (two uploaded in the quarter), news sharing one image
    # uploaded in the quarter, an image uploaded before it, and a never published album
    album = _dated(_publish(site["gallery"], AlbumPage(title="День громади", slug="den")), OUTSIDE)
    for n, when in enumerate([FIRST_MINUTE, LAST_MINUTE, BEFORE]):
        AlbumPhoto.objects.create(
            album=album, image=_uploaded(_image(f"Фото {n}"), when), alt=f"Фото {n}", sort_order=n
        )
    shared = _uploaded(_image("Спільне"), _kyiv(2025, 2, 2, 10))
    _news(site, "one", _kyiv(2025, 2, 2, 11), image=shared, image_alt="Фото")
    _news(site, "two", _kyiv(2025, 2, 3, 11), image=shared, image_alt="Фото")
    _news(
        site,
        "old-image",
        _kyiv(2025, 2, 4, 11),
        image=_uploaded(_image("Старе"), BEFORE),
        image_alt="Фото",
    )
    draft = AlbumPage(title="Чернетка", slug="chernetka", live=False)
    site["gallery"].add_child(instance=draft)
    AlbumPhoto.objects.create(album=draft, image=_uploaded(_image("Ч"), FIRST_MINUTE), alt="Ч")

    stats = period_stats(*Q1)

    assert stats["photos"] == 3
    assert stats["by_section"]["fotohalereia"]["photos"] == 2
    assert stats["by_section"]["novyny"]["photos"] == 1


def test_home_page_updates_count_under_the_home_page(site):
    _dated(site["home"], OUTSIDE, last=_kyiv(2025, 3, 3, 9))

    stats = period_stats(*Q1)

    assert stats["by_section"][""]["title"] == "Головна"
    assert stats["by_section"][""]["pages_updated"] == 1


def test_nothing_in_the_period_gives_zeros(site):
    stats = period_stats(dt.date(2026, 1, 1), dt.date(2026, 3, 31))

    assert stats == {
        "news": 0,
        "announcements": 0,
        "events": 0,
        "photos": 0,
        "videos": 0,
        "pages_updated": 0,
        "by_section": {},
    }


def test_a_site_without_a_home_page_gives_zeros(db):
    assert period_stats(*Q1)["news"] == 0


def test_statistics_take_a_fixed_number_of_queries(site, django_assert_num_queries):
    for n in range(5):
        _news(site, f"n{n}", _kyiv(2025, 2, n + 1, 10), image=_image(f"Н{n}"), image_alt="Фото")

    with django_assert_num_queries(9):
        stats = period_stats(dt.date(2000, 1, 1), dt.date(2100, 1, 1))

    assert stats["news"] == 5
