"""The sitemap section of open data: the catalogue and every public dataset at its page
``/opendata/<identifier>/``, with the moment its passport or data last changed."""

from __future__ import annotations

from django.urls import reverse

from ratusha.core.sitemaps import SiteSitemap

from . import selectors


class OpenDataSitemap(SiteSitemap):
    def items(self):
        return [(reverse("opendata:catalogue"), selectors.latest_modified())] + list(
            selectors.sitemap_rows()
        )

    def location(self, row) -> str:
        return row[0]

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return selectors.latest_modified()
