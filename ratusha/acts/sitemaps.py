"""The sitemap section of the acts registry: every public act at its permanent address
``/acts/<pk>/``, with its last public change; in pages of ``SiteSitemap.limit`` (100,000 acts
make twenty)."""

from __future__ import annotations

from ratusha.core.sitemaps import SiteSitemap

from . import selectors


class ActSitemap(SiteSitemap):
    def items(self):
        return selectors.sitemap_rows()

    def location(self, row) -> str:
        from .views import DetailUrls

        if not hasattr(self, "_detail_url"):
            self._detail_url = DetailUrls()
        return self._detail_url(row[0])

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return selectors.latest_public_change()
