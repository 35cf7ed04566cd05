"""What the whole site tells machines: robots.txt and the sitemap index gathering every app's
sections (the project's ``urls.py`` assembles them)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_robots_txt_opens_the_site_closes_the_admin_and_the_cabinet_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/django-admin/", "/council/cabinet/", "/vision/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_sitemap_index_lists_the_section_of_every_app(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{NS}sitemapindex"
    sections = [entry.findtext(f"{NS}loc") for entry in index]
    assert sections == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "acts", "council", "votes", "opendata")
    ]
    for location in sections:
        assert client.get(location.removeprefix("http://testserver")).status_code == 200


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
