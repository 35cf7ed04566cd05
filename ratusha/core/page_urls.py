"""Page addresses for the public templates, as Wagtail's ``{% pageurl %}`` gives them, without
its cost per link.

``Page.get_url(request)`` ends in Django's ``reverse("wagtail_serve", …)`` for every link — most
of its cost (a page with fifty links spends a few milliseconds on it). ``page_url`` does what
``get_url`` does (the site root paths are the ones Wagtail caches on the request) and keeps the
result of ``reverse`` per process, keyed by everything ``reverse`` depends on: the URLconf, the
script prefix and the page's path below its site's root. Pages whose class routes its own
addresses (an overridden ``get_url_parts``) and sites with Wagtail's translations turned on go
through Wagtail itself.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from wagtail.models import Page, Site

_NOT_ROUTABLE = object()


@lru_cache(maxsize=16384)
def _serve_path(urlconf, script_prefix: str, relative: str):
    """``reverse("wagtail_serve", args=(relative,))`` as it would be now (the arguments are what
    it reads from the thread: the URLconf and the script prefix)."""
    try:
        return reverse("wagtail_serve", args=(relative,))
    except NoReverseMatch:
        return _NOT_ROUTABLE


def _uses_wagtail_routing(page: Page) -> bool:
    return type(page).get_url_parts is Page.get_url_parts


def page_url(page: Page, request=None) -> str | None:
    """``page.get_url(request)``: the page's address, relative on its own site, or ``None``
    when it cannot be routed."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) or not _uses_wagtail_routing(page):
        return page.get_url(request=request)
    root_paths = page._get_site_root_paths(request)
    possible = [srp for srp in root_paths if page.url_path.startswith(srp.root_path)]
    if not possible:
        return None
    site_id, root_path, root_url, _language = possible[0]
    current = Site.find_for_request(request) if request is not None else None
    if len({values[0] for values in possible}) > 1 and current is not None:
        for values in possible:
            if values[0] == current.pk:
                site_id, root_path, root_url, _language = values
                break
    page_path = _serve_path(get_urlconf(), get_script_prefix(), page.url_path[len(root_path) :])
    if page_path is _NOT_ROUTABLE:
        return None
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and page_path != "/":
        page_path = page_path.rstrip("/")
    sites = len({values[0] for values in root_paths})
    if (current is not None and site_id == current.id) or sites == 1:
        return page_path
    return root_url + page_path
