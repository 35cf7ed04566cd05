"""What every public page's frame (header, menu, footer) needs from the request."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site

LOW_VISION_COOKIE = "low_vision"


def menu_pages_for(site: Site | None) -> list[Page]:
    """The live children of the site's root page that are marked "show in menus"."""
    if site is None:
        return []
    # Wagtail's serve view has already loaded site.root_page, so this is one query.
    return list(site.root_page.get_children().live().in_menu())


def site_chrome(request) -> dict:
    """The site's menu and the visitor's display choices.

    The menu is lazy, so pages that do not show the public frame (the admin) pay nothing for
    it; a request that no Wagtail site answers (a 404 for an unknown host) gets an empty menu.
    """
    return {
        "menu_pages": SimpleLazyObject(lambda: menu_pages_for(Site.find_for_request(request))),
        "low_vision": request.COOKIES.get(LOW_VISION_COOKIE) == "1",
        # Pages are written in Ukrainian whatever language the interface is shown in.
        "content_lang": settings.LANGUAGE_CODE,
    }
