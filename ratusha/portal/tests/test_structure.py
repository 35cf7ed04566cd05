"""The shape of the site: which page type may sit under which (``parent_page_types`` /
``subpage_types``, ``max_count``), enforced in the admin too; the home page's latest acts; a
unit page's link to the unit's own documents in the acts registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from pytest_django.asserts import assertContains
from wagtail.models import Page

from ratusha.core.models import StructuralUnit
from ratusha.core.testing import restore_migration_records
from ratusha.portal.models import (
    AlbumPage,
    AnnouncementIndexPage,
    AnnouncementPage,
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
from ratusha.portal.tests.test_pages import _publish

LISTS = {NewsIndexPage, AnnouncementIndexPage, EventIndexPage, GalleryIndexPage, VideoIndexPage}
TOP_LEVEL = {SectionPage, ContactPage} | LISTS

# page type: (the types it may be placed under, the types it may hold)
RULES = {
    HomePage: ({Page}, TOP_LEVEL),
    SectionPage: ({HomePage, SectionPage, UnitPage, ContactPage}, TOP_LEVEL | {UnitPage}),
    NewsIndexPage: ({HomePage, SectionPage}, {NewsPage}),
    NewsPage: ({NewsIndexPage}, set()),
    AnnouncementIndexPage: ({HomePage, SectionPage}, {AnnouncementPage}),
    AnnouncementPage: ({AnnouncementIndexPage}, set()),
    EventIndexPage: ({HomePage, SectionPage}, {EventPage}),
    EventPage: ({EventIndexPage}, set()),
    GalleryIndexPage: ({HomePage, SectionPage}, {AlbumPage}),
    AlbumPage: ({GalleryIndexPage}, set()),
    VideoIndexPage: ({HomePage, SectionPage}, {VideoPage}),
    VideoPage: ({VideoIndexPage}, set()),
    UnitPage: ({SectionPage}, {SectionPage}),
    ContactPage: ({HomePage, SectionPage}, {SectionPage}),
}


def test_the_rules_name_every_page_type_of_the_site():
    portal_pages = {
        model
        for model in apps.get_app_config("portal").get_models()
        if issubclass(model, Page) and model is not Page
    }
    assert set(RULES) == portal_pages


@pytest.mark.parametrize("model", list(RULES), ids=lambda model: model.__name__)
def test_each_page_type_has_its_parents_and_children(model):
    parents, children = RULES[model]

    assert set(model.allowed_parent_page_models()) == parents
    assert set(model.allowed_subpage_models()) == children


@pytest.mark.parametrize("model", [HomePage, ContactPage], ids=lambda model: model.__name__)
def test_the_home_page_and_the_contacts_page_are_one_of_a_kind(model):
    assert model.max_count == 1


@pytest.fixture
def places(home):
    """One page of each kind that holds others, under the home page."""
    section = _publish(home, SectionPage(title="Громада", slug="hromada"))
    return {
        "home": home,
        "section": section,
        "news": _publish(home, NewsIndexPage(title="Новини", slug="novyny")),
        "gallery": _publish(home, GalleryIndexPage(title="Фото", slug="foto")),
        "contacts": _publish(section, ContactPage(title="Контакти", slug="kontakty")),
    }


@pytest.mark.parametrize(
    ("model", "where", "allowed"),
    [
        (NewsPage, "news", True),
        (NewsPage, "section", False),
        (NewsPage, "home", False),
        (AlbumPage, "gallery", True),
        (AlbumPage, "news", False),
        (UnitPage, "section", True),
        (UnitPage, "home", False),
        (SectionPage, "contacts", True),
        (SectionPage, "news", False),
        (HomePage, "section", False),
        (ContactPage, "section", False),  # there is one already
        (NewsIndexPage, "section", True),
    ],
)
def test_a_page_can_be_created_only_where_the_rules_allow(places, model, where, allowed):
    assert model.can_create_at(places[where]) is allowed


def test_the_admin_refuses_a_news_item_outside_a_news_list(client, places, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pass")
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=("portal", "newspage", places["section"].pk))

    response = client.post(url, {"title": "Новина не на місці", "slug": "ne-na-mistsi"})

    assert (response.status_code, response["Location"]) == (302, "/admin/")  # refused
    assert not NewsPage.objects.exists()
    offered = client.get(reverse("wagtailadmin_pages:add_subpage", args=[places["news"].pk]))
    assert offered.status_code == 302  # a list holds one type only: straight to its form
    assert offered["Location"] == reverse(
        "wagtailadmin_pages:add", args=("portal", "newspage", places["news"].pk)
    )


# The home page's latest acts ---------------------------------------------------------------------


def _kinds():
    from ratusha.acts.models import ActKind

    if not ActKind.objects.exists():
        restore_migration_records()
    return {kind.code: kind for kind in ActKind.objects.all()}


def _act(kinds, *, day: int, title: str, publish: bool = True, internal: bool = False, **data):
    from ratusha.acts import services
    from ratusha.core.permissions import SYSTEM

    act = services.act_register(
        actor=SYSTEM,
        data={
            "kind": kinds[data.pop("kind", "council-decision")],
            "number": f"{day}-VIII",
            "date": dt.date(2025, 3, day),
            "title": title,
            "is_internal": internal,
            **data,
        },
    )
    if publish:
        act = services.act_publish(actor=SYSTEM, act=act)
    return act


def test_home_lists_the_five_newest_public_acts_newest_first(client, home):
    kinds = _kinds()
    public = [_act(kinds, day=day, title=f"Рішення від {day} березня") for day in range(1, 8)]
    _act(kinds, day=20, title="Неоприлюднене рішення", publish=False)
    _act(
        kinds,
        day=21,
        title="Внутрішнє розпорядження",
        kind="head-order",
        internal=True,
        publish=False,
    )

    response = client.get("/")

    (section,) = [s for s in response.context["home_sections"] if "rows" in s["context"]]
    titles = [row["title"] for row in section["context"]["rows"]]
    assert titles == [f"Рішення від {day} березня" for day in (7, 6, 5, 4, 3)]
    html = response.content.decode()
    block = html[html.index('id="home-acts-title"') :]
    block = block[: block.index("</section>")]
    for act in public[2:]:
        assert f'href="/acts/{act.pk}/"' in block
    assert f'href="/acts/{public[0].pk}/"' not in block
    assert "Неоприлюднене" not in block and "Внутрішнє" not in block
    assert 'href="/acts/"' in block
    assert "07.03.2025" in block and "№ 7-VIII" in block


def test_home_latest_acts_take_a_fixed_number_of_queries(client, home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kinds = _kinds()
    _act(kinds, day=1, title="Перше рішення")
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for day in range(2, 8):
        _act(kinds, day=day, title=f"Рішення {day}")
    with CaptureQueriesContext(connection) as many:
        client.get("/")

    assert len(many) == len(one)


# A unit's documents ----------------------------------------------------------------------------


def test_unit_page_links_to_the_units_own_documents(client, tree):
    unit = StructuralUnit.objects.get(slug="osvita")
    kinds = _kinds()
    own = _act(kinds, day=3, title="Про мережу закладів освіти", unit=unit)
    _act(kinds, day=4, title="Про бюджет громади")

    response = client.get(tree["unit"])

    assertContains(response, 'href="/acts/?unit=osvita"')
    registry = client.get("/acts/", {"unit": "osvita"})
    assert [row["title"] for row in registry.context["rows"]] == [own.title]
