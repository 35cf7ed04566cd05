"""``/sitemap.xml``: a sitemap index whose sections each app gives in its own ``sitemaps.py``
(the Wagtail pages, the acts registry, the council's pages); the project's ``urls.py`` puts them
together. A section longer than ``SiteSitemap.limit`` addresses is split into pages
(``sitemap-<section>.xml?p=2``), each listed in the index.

Every address starts from the site's root (``core.site_urls``), like the canonical links and
the Wagtail pages' own addresses."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest

from .site_urls import site_root_url

SECTION_URL_NAME = "sitemap_section"


class SiteSitemap(Sitemap):
    """A section of records made for one request, addressed on the site's root."""

    # Addresses in one file: big registries (100,000 acts) come in pages of this many.
    limit = 5000

    def __init__(self, request: HttpRequest | None = None):
        self.request = request

    def _root(self):
        return urlsplit(site_root_url(self.request))

    def get_protocol(self, protocol=None):
        return self._root().scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return self._root().netloc or super().get_domain(site)


def _made(sitemaps: dict, request: HttpRequest) -> dict:
    return {name: section(request) for name, section in sitemaps.items()}


def index(request: HttpRequest, *, sitemaps: dict):
    """The sitemap index: every section and every page of a long section."""
    return sitemap_views.index(request, _made(sitemaps, request), sitemap_url_name=SECTION_URL_NAME)


def section(request: HttpRequest, section: str, *, sitemaps: dict):
    """One section (``?p=N`` for its N-th page)."""
    return sitemap_views.sitemap(request, _made(sitemaps, request), section=section)
