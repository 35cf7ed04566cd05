"""Open data's sitemap section: the catalogue and every public dataset with its last change;
drafts and withdrawn datasets are not listed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from ratusha.core.permissions import SYSTEM
from ratusha.opendata import services
from ratusha.opendata.models import Dataset
from ratusha.opendata.tests.conftest import passport

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _urls(response) -> dict[str, str]:
    assert response.status_code == 200
    return {
        url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod")
        for url in ET.fromstring(response.content)
    }


def test_public_datasets_are_in_the_sitemap_with_their_last_change(client, dataset, unit):
    # Given a published dataset changed on 5 April, a draft and a withdrawn one
    Dataset.objects.filter(pk=dataset.pk).update(
        metadata_modified_at=dt.datetime(2026, 4, 5, 10, 0, tzinfo=dt.UTC)
    )
    services.dataset_create(
        actor=SYSTEM, data=passport(holder=unit, identifier="chernetka"), publish=False
    )
    gone = services.dataset_create(
        actor=SYSTEM, data=passport(holder=unit, identifier="vidklykano"), publish=True
    )
    Dataset.objects.filter(pk=gone.pk).update(withdrawn_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))

    # When a search engine reads the index and the open data section
    index = client.get("/sitemap.xml").content.decode()
    urls = _urls(client.get("/sitemap-opendata.xml"))

    # Then the section is in the index and lists the catalogue and the public dataset only
    assert "/sitemap-opendata.xml</loc>" in index
    assert urls["http://localhost/opendata/zaklady-osvity/"] == "2026-04-05"
    assert urls["http://localhost/opendata/"] == "2026-04-05"
    assert not any("chernetka" in url or "vidklykano" in url for url in urls)
