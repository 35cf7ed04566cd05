"""The acts registry's sitemap section: every public act at its permanent address with its
last public change, in pages."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from ratusha.acts.models import Act
from ratusha.acts.sitemaps import ActSitemap
from ratusha.acts.tests.test_public_registry import register

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ROOT = "http://localhost"


def _urls(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return [
        (url.findtext(f"{NS}loc"), url.findtext(f"{NS}lastmod"))
        for url in ET.fromstring(response.content)
    ]


def test_acts_section_lists_public_acts_with_their_last_change(client, kinds):
    # Given a published act, a published act whose public text was updated later, an
    # unpublished one and an internal one
    plain = register(kinds, title="Про бюджет")
    updated = register(kinds, title="Про програму")
    Act.objects.filter(pk=plain.pk).update(
        published_at=dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC), updated_at_public=None
    )
    Act.objects.filter(pk=updated.pk).update(
        published_at=dt.datetime(2025, 3, 2, 10, 0, tzinfo=dt.UTC),
        updated_at_public=dt.datetime(2025, 4, 5, 10, 0, tzinfo=dt.UTC),
    )
    register(kinds, title="Неоприлюднений проєкт", publish=False)
    register(kinds, kind="head-order", title="Внутрішній наказ", is_internal=True, publish=False)

    # When a search engine reads the section
    urls = _urls(client.get("/sitemap-acts.xml"))

    # Then it finds the two public acts, each with its last public change
    assert urls == [
        (f"{ROOT}/acts/{plain.pk}/", "2025-03-01"),
        (f"{ROOT}/acts/{updated.pk}/", "2025-04-05"),
    ]


def test_long_registry_comes_in_pages_listed_in_the_index(client, kinds, monkeypatch):
    monkeypatch.setattr(ActSitemap, "limit", 2)
    acts = [register(kinds, title=f"Рішення № {n}", number=str(n)) for n in range(5)]

    index = client.get("/sitemap.xml").content.decode()
    pages = [_urls(client.get("/sitemap-acts.xml", {"p": p})) for p in (1, 2, 3)]

    assert "/sitemap-acts.xml</loc>" in index
    assert "/sitemap-acts.xml?p=2</loc>" in index and "/sitemap-acts.xml?p=3</loc>" in index
    assert "/sitemap-acts.xml?p=4</loc>" not in index
    listed = [location for page in pages for location, _lastmod in page]
    assert listed == [f"{ROOT}/acts/{act.pk}/" for act in acts]
    assert client.get("/sitemap-acts.xml", {"p": 4}).status_code == 404


def test_index_gives_the_registrys_latest_change(client, kinds):
    act = register(kinds, title="Про бюджет")
    moment = timezone.make_aware(dt.datetime(2025, 6, 1, 12, 0))
    Act.objects.filter(pk=act.pk).update(updated_at_public=moment)

    index = ET.fromstring(client.get("/sitemap.xml").content)

    lastmods = {entry.findtext(f"{NS}loc"): entry.findtext(f"{NS}lastmod") for entry in index}
    assert lastmods["http://testserver/sitemap-acts.xml"] == moment.isoformat()


def test_sitemap_page_of_the_registry_takes_a_fixed_number_of_queries(
    client, kinds, django_assert_max_num_queries
):
    for n in range(30):
        register(kinds, title=f"Рішення № {n}", number=str(n))

    with django_assert_max_num_queries(4):
        response = client.get("/sitemap-acts.xml")

    assert len(_urls(response)) == 30
