"""Page addresses in the official transliteration (КМУ Resolution 55 of 2010): every page type
of the site is edited through ``TransliteratedSlugPageForm``, and a page created in the Wagtail
admin gets its slug from its Ukrainian title."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from ratusha.portal.forms import TransliteratedSlugPageForm, script_slug
from ratusha.portal.models import NewsIndexPage, NewsPage, SectionPage
from ratusha.portal.tests.test_pages import _publish

PORTAL_PAGE_TYPES = [
    model
    for model in apps.get_app_config("portal").get_models()
    if issubclass(model, Page) and model is not Page
]


def test_the_site_has_fourteen_page_types():
    assert len(PORTAL_PAGE_TYPES) == 14


@pytest.mark.parametrize("model", PORTAL_PAGE_TYPES, ids=lambda model: model.__name__)
def test_every_page_type_is_edited_with_the_transliterating_form(model):
    form_class = model.get_edit_handler().get_form_class()

    assert issubclass(form_class, TransliteratedSlugPageForm)


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pass")
    client.force_login(user)
    return client


def _section_data(title: str, slug: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "",
            "content": streamfield([]),
            "public_info_topic": "",
            "seo_title": "",
            "search_description": "",
        }
    )


def _create_section(client, parent: Page, title: str, slug: str):
    url = reverse("wagtailadmin_pages:add", args=("portal", "sectionpage", parent.pk))
    return client.post(url, _section_data(title, slug))


@pytest.mark.parametrize(
    "typed",
    ["юридичний-відділ", "", "  "],
    ids=["cyrillic-slug-from-the-script", "empty", "blank"],
)
def test_new_section_gets_the_official_transliteration(editor_client, home, typed):
    # When an editor creates «Юридичний відділ» with the slug the admin's script typed (in
    # Cyrillic: Wagtail allows Unicode slugs) or with none
    response = _create_section(editor_client, home, "Юридичний відділ", typed)

    # Then the page is saved with the slug of the Cabinet's table
    assert response.status_code == 302, response.context["form"].errors
    page = SectionPage.objects.get(title="Юридичний відділ")
    assert page.slug == "yurydychnyi-viddil"


def test_slug_the_admins_urlify_script_made_is_replaced(editor_client, home):
    # With Unicode slugs off, the admin's script (Django's URLify) spells «я» as «ya»
    typed = script_slug("Щастя і ґанок")
    assert typed != "shchastia-i-ganok"

    response = _create_section(editor_client, home, "Щастя і ґанок", typed)

    assert response.status_code == 302
    assert SectionPage.objects.get(title="Щастя і ґанок").slug == "shchastia-i-ganok"


def test_a_slug_typed_by_hand_is_kept(editor_client, home):
    response = _create_section(editor_client, home, "Юридичний відділ", "yurviddil")

    assert response.status_code == 302
    assert SectionPage.objects.get(title="Юридичний відділ").slug == "yurviddil"


def test_a_taken_slug_is_numbered(editor_client, home):
    _publish(home, SectionPage(title="Юридичний відділ", slug="yurydychnyi-viddil"))

    response = _create_section(editor_client, home, "Юридичний відділ", "юридичний-відділ")

    assert response.status_code == 302
    slugs = set(SectionPage.objects.filter(title="Юридичний відділ").values_list("slug", flat=True))
    assert slugs == {"yurydychnyi-viddil", "yurydychnyi-viddil-2"}


def test_editing_keeps_the_address_when_the_title_changes(editor_client, home):
    page = _publish(home, SectionPage(title="Юридичний відділ", slug="yurydychnyi-viddil"))

    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        _section_data("Юридичне управління", "yurydychnyi-viddil"),
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Юридичне управління"
    assert page.get_latest_revision_as_object().slug == "yurydychnyi-viddil"


def test_a_news_item_created_in_the_admin_gets_a_transliterated_slug(editor_client, home):
    index = _publish(home, NewsIndexPage(title="Новини", slug="novyny"))
    url = reverse("wagtailadmin_pages:add", args=("portal", "newspage", index.pk))

    response = editor_client.post(
        url,
        nested_form_data(
            {
                "title": "Громада отримала нові шкільні автобуси",
                "slug": "громада-отримала-нові-шкільні-автобуси",
                "date": dt.datetime(2025, 3, 10, 9, 0).strftime("%d.%m.%Y %H:%M"),
                "intro": "Два автобуси для ліцею.",
                "image_alt": "",
                "content": streamfield([("paragraph", rich_text("<p>Текст.</p>"))]),
                "seo_title": "",
                "search_description": "",
                "action-publish": "publish",
            }
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    news = NewsPage.objects.get()
    assert news.slug == "hromada-otrymala-novi-shkilni-avtobusy"
    assert news.live
