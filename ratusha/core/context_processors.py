"""What every public page's frame (header, menu, footer) needs from the request."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site

from .frame import memo
from .page_urls import page_url

LOW_VISION_COOKIE = "low_vision"


def menu_pages_for(site: Site | None) -> list[Page]:
    """The live children of the site's root page that are marked "show in menus"."""
    if site is None:
        return []
    # Wagtail's serve view has already loaded site.root_page, so this is one query.
    return list(site.root_page.get_children().live().in_menu())


@dataclass(frozen=True)
class MenuItem:
    """A page of the main menu as the frame shows it (kept between requests: plain data)."""

    pk: int
    title: str
    path: str
    url: str | None


def menu_items(request) -> list[MenuItem]:
    """The main menu of the request's site, kept per process until the next change of the
    public pages (``frame.memo``)."""
    site = Site.find_for_request(request)
    if site is None:
        return []

    def build() -> list[MenuItem]:
        return [
            MenuItem(page.pk, page.title, page.path, page_url(page, request))
            for page in menu_pages_for(site)
        ]

    # The addresses depend on the site and on what Django's reverse() reads from the thread.
    return memo.get(("menu", site.pk, get_urlconf(), get_script_prefix()), build, request)


def site_chrome(request) -> dict:
    """The site's menu and the visitor's display choices.

    The menu is lazy (and kept between requests, ``menu_items``), so pages that do not show
    the public frame (the admin) pay nothing for it; a request that no Wagtail site answers
    (a 404 for an unknown host) gets an empty menu.
    """
    return {
        "menu_pages": SimpleLazyObject(lambda: menu_items(request)),
        "low_vision": request.COOKIES.get(LOW_VISION_COOKIE) == "1",
        # Pages are written in Ukrainian whatever language the interface is shown in.
        "content_lang": settings.LANGUAGE_CODE,
    }
