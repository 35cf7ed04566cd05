"""The sitemap section of the Wagtail pages: every live public page of the site, at its own
full address, with the date it was last published."""

from __future__ import annotations

from django.db.models import Max
from wagtail.contrib.sitemaps import Sitemap

from ratusha.core.sitemaps import SiteSitemap


class PageSitemap(Sitemap):
    limit = SiteSitemap.limit

    def _pages(self):
        return self.get_wagtail_site().root_page.get_descendants(inclusive=True).live().public()

    def get_latest_lastmod(self):
        """The latest publication of any page: one query (the default would load them all)."""
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]
