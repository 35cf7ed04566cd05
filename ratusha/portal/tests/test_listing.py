"""The listing columns of news, announcements and events (``portal/listing.py``) follow the
tree and the pages' state, and the lists read through them (``selectors.listed_page``) show
exactly what Wagtail's own query shows, in the same order, at a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from unittest import mock

import pytest
from django.apps import apps as global_apps
from django.core.cache import caches
from django.core.files.images import ImageFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

from ratusha.portal import selectors
from ratusha.portal.models import (
    AnnouncementIndexPage,
    AnnouncementPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
)
from ratusha.portal.tasks import publish_scheduled_pages


def _kyiv(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _listed(page: Page) -> tuple[int | None, bool]:
    row = type(page).objects.values_list("list_parent", "list_live").get(pk=page.pk)
    return row[0], row[1]


@pytest.fixture(autouse=True)
def _dummy_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_renditions_cache():
    """Wagtail keeps renditions in a per-process cache (settings.CACHES["renditions"]); a
    test's database is rolled back, so one test's renditions must not be found by the next."""
    caches["renditions"].clear()
    yield
    caches["renditions"].clear()


def _image():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 48), "#0057b8").save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Фото", file=ImageFile(io.BytesIO(buffer.getvalue()), name="foto.png")
    )


@pytest.fixture
def home(db):
    home = _publish(Page.get_first_root_node(), HomePage(title="Головна", slug="holovna"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def news_index(home):
    return _publish(home, NewsIndexPage(title="Новини", slug="novyny"))


@pytest.fixture
def other_index(home):
    return _publish(home, NewsIndexPage(title="Новини старостатів", slug="starostaty"))


def _news(index: Page, n: int, **extra) -> NewsPage:
    return _publish(
        index,
        NewsPage(
            title=f"Новина {n}",
            slug=f"novyna-{n}",
            date=_kyiv(2025, 1, 1) + dt.timedelta(days=n),
            **extra,
        ),
    )


# The columns follow the page ----------------------------------------------------------------


def test_a_published_page_is_listed_under_its_parent(news_index):
    page = _news(news_index, 1)
    assert _listed(page) == (news_index.pk, True)


def test_a_draft_is_not_listed_until_published(news_index):
    draft = NewsPage(title="Чернетка", slug="chernetka", live=False)
    news_index.add_child(instance=draft)
    assert _listed(draft) == (news_index.pk, False)
    draft.save_revision().publish()
    assert _listed(draft) == (news_index.pk, True)


def test_unpublishing_even_through_the_generic_page_unlists(news_index):
    page = _news(news_index, 1)
    Page.objects.get(pk=page.pk).unpublish()  # Wagtail saves only the generic row
    assert _listed(page) == (news_index.pk, False)


def test_an_expired_page_is_unlisted_by_the_minute_task(news_index):
    page = _news(news_index, 1)
    expire = timezone.now() + dt.timedelta(hours=1)
    NewsPage.objects.filter(pk=page.pk).update(expire_at=expire)
    Page.objects.filter(pk=page.pk).update(expire_at=expire)
    with mock.patch("django.utils.timezone.now", return_value=expire + dt.timedelta(minutes=1)):
        publish_scheduled_pages.call()
    assert _listed(page) == (news_index.pk, False)


def test_moving_a_page_lists_it_under_its_new_parent(news_index, other_index):
    page = _news(news_index, 1)
    Page.objects.get(pk=page.pk).move(other_index, pos="last-child")
    assert _listed(page) == (other_index.pk, True)
    assert [item.pk for item in selectors.listed_page(other_index, NewsPage, 1)] == [page.pk]
    assert list(selectors.listed_page(news_index, NewsPage, 1)) == []


def test_moving_the_list_keeps_its_pages(home, news_index, other_index):
    page = _news(news_index, 1)
    news_index.move(other_index, pos="last-child")
    assert _listed(page) == (news_index.pk, True)


def test_a_copy_is_listed_under_its_own_parent(news_index, other_index):
    page = _news(news_index, 1)
    copy = page.copy(to=other_index, update_attrs={"slug": "kopiia"})
    assert _listed(copy) == (other_index.pk, True)


def test_the_migration_fills_the_columns_from_the_tree(news_index, home):
    page = _news(news_index, 1)
    draft = NewsPage(title="Чернетка", slug="chernetka", live=False)
    news_index.add_child(instance=draft)
    announcements = _publish(home, AnnouncementIndexPage(title="Оголошення", slug="oholoshennia"))
    notice = _publish(announcements, AnnouncementPage(title="Відключення", slug="vidkliuchennia"))
    for model in (NewsPage, AnnouncementPage):
        model.objects.update(list_parent=None, list_live=False)
    migration = importlib.import_module("ratusha.portal.migrations.0003_listing_columns")
    state = MigrationExecutor(connection).loader.project_state(("portal", "0003_listing_columns"))
    migration.fill_list_columns(state.apps, None)
    assert _listed(page) == (news_index.pk, True)
    assert _listed(draft) == (news_index.pk, False)
    assert _listed(notice) == (announcements.pk, True)
    assert global_apps.get_model("portal", "NewsPage") is NewsPage


# The lists read through them --------------------------------------------------------------


@pytest.fixture
def mixed(news_index, other_index):
    """25 live news with pictures, a draft, an unpublished one, and news of another list."""
    image = _image()
    pages = [_news(news_index, n, image=image, image_alt="Фото") for n in range(25)]
    draft = NewsPage(title="Чернетка", slug="chernetka", live=False, date=_kyiv(2026, 1, 1))
    news_index.add_child(instance=draft)
    gone = _news(news_index, 40)
    gone.unpublish()
    _news(other_index, 50)
    # two news of the same date: the later created first, as in Wagtail's query
    same = [
        _publish(
            news_index,
            NewsPage(title=f"Та сама дата {n}", slug=f"ta-sama-{n}", date=_kyiv(2025, 1, 5)),
        )
        for n in range(2)
    ]
    return pages + same


@pytest.mark.parametrize("number", [1, 2, 3, "9", "ні"])
def test_listed_page_shows_exactly_what_wagtails_query_shows(news_index, mixed, number):
    exact = selectors.paged(
        NewsPage.objects.child_of(news_index).live().public().order_by("-date", "-pk"), number
    )
    fast = selectors.listed_page(news_index, NewsPage, number)
    assert [page.pk for page in fast] == [page.pk for page in exact]
    assert fast.number == exact.number
    assert fast.paginator.count == exact.paginator.count == 27
    assert fast.paginator.num_pages == 3


def test_listed_page_costs_the_same_queries_on_any_page(
    news_index, mixed, django_assert_num_queries
):
    # restrictions, count, ids, rows, pictures (thumbnails made on the first visit)
    selectors.listed_page(news_index, NewsPage, 1)
    selectors.listed_page(news_index, NewsPage, 3)
    for number in (1, 3):
        with django_assert_num_queries(5):
            page = selectors.listed_page(news_index, NewsPage, number)
            assert [item.title for item in page]


def test_a_stale_column_never_shows_an_unpublished_page(news_index):
    page = _news(news_index, 1)
    NewsPage.objects.filter(pk=page.pk).update(live=False)  # behind Wagtail's back
    assert _listed(page) == (news_index.pk, True)
    assert list(selectors.listed_page(news_index, NewsPage, 1)) == []


def test_a_restricted_page_is_left_out_as_wagtails_public_does(news_index):
    shown = _news(news_index, 1)
    hidden = _news(news_index, 2)
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    page = selectors.listed_page(news_index, NewsPage, 1)
    assert [item.pk for item in page] == [shown.pk]
    assert page.paginator.count == 1


def test_announcements_and_events_are_listed_the_same_way(home):
    announcements = _publish(home, AnnouncementIndexPage(title="Оголошення", slug="oholoshennia"))
    events = _publish(home, EventIndexPage(title="Події", slug="podii"))
    notice = _publish(
        announcements,
        AnnouncementPage(title="Засідання", slug="zasidannia", date=_kyiv(2025, 2, 1)),
    )
    event = _publish(
        events,
        EventPage(
            title="Толока",
            slug="toloka",
            start=_kyiv(2025, 3, 1, 10),
            place="Парк",
            date=_kyiv(2025, 2, 2),
        ),
    )
    assert [p.pk for p in selectors.listed_page(announcements, AnnouncementPage, 1)] == [notice.pk]
    listed = list(selectors.listed_page(events, EventPage, 1))
    assert [p.pk for p in listed] == [event.pk] and listed[0].place == "Парк"
