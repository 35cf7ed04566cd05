"""RSS 2.0 and Atom feeds of a news or announcements list: ``<list>/feed/rss/`` and
``<list>/feed/atom/`` (routes of ``NewsIndexPage`` and ``AnnouncementIndexPage``).

A feed holds the list's latest ``FEED_SIZE`` live public items, newest first by their date,
with absolute addresses on the site's root (``core.site_urls``), like the canonical links."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Page

from ratusha.core.site_urls import absolute_url

FEED_SIZE = 30


class ListFeed(Feed):
    """The feed of one list page; made per request (``ListFeed(index, atom=...)(request)``)."""

    def __init__(self, index: Page, *, atom: bool = False):
        super().__init__()
        self.index = index
        self.atom = atom
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed
        self.request: HttpRequest | None = None

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def _council(self) -> str:
        from ratusha.core.models import HromadaSettings

        hromada = HromadaSettings.for_request(self.request)
        return hromada.council_name or hromada.community_name

    def _url(self, page: Page) -> str:
        return absolute_url(page.get_url(self.request) or "", self.request)

    def title(self, index: Page) -> str:
        council = self._council()
        return f"{index.title} — {council}" if council else index.title

    def link(self, index: Page) -> str:
        return self._url(index)

    def feed_url(self, index: Page) -> str:
        return absolute_url(self.request.path, self.request)

    def description(self, index: Page) -> str:
        return index.intro or _("The latest items of «%(title)s».") % {"title": index.title}

    subtitle = description

    def author_name(self, index: Page) -> str:
        return self._council()

    def feed_copyright(self, index: Page) -> str:
        return self._council()

    def items(self, index: Page):
        from .selectors import feed_items

        return feed_items(index, limit=FEED_SIZE)

    def item_title(self, page) -> str:
        return page.title

    def item_description(self, page) -> str:
        return page.search_description or page.intro or page.title

    def item_link(self, page) -> str:
        return self._url(page)

    def item_guid(self, page) -> str:
        return self._url(page)

    item_guid_is_permalink = True

    def item_pubdate(self, page):
        return timezone.localtime(page.date)

    def item_updateddate(self, page):
        return timezone.localtime(max(filter(None, [page.date, page.last_published_at])))

    def item_author_name(self, page) -> str:
        return page.unit.name if page.unit_id and page.unit else self._council()
