"""The sitemap sections of the council: its pages (the council today, the calendar of
meetings, open data of votes, convocations, deputies, people, bodies, meetings) and, apart,
the published roll-call votes (thousands a convocation, so paged)."""

from __future__ import annotations

from django.urls import reverse

from ratusha.core.site_urls import UrlPattern
from ratusha.core.sitemaps import SiteSitemap

from . import selectors


class CouncilSitemap(SiteSitemap):
    def items(self):
        overview = [
            (reverse("council:index"), None),
            (reverse("council:meetings"), None),
            (reverse("council:opendata"), None),
        ]
        return overview + selectors.sitemap_record_urls()

    def location(self, row) -> str:
        return row[0]

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return None


class VoteSitemap(SiteSitemap):
    def items(self):
        return selectors.sitemap_vote_rows()

    def location(self, row) -> str:
        if not hasattr(self, "_vote_url"):
            self._vote_url = UrlPattern("council:vote")
        return self._vote_url(row[0])

    def lastmod(self, row):
        return row[1]

    def get_latest_lastmod(self):
        return self.items().order_by("-published_at").values_list("published_at", flat=True).first()
