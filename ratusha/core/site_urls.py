"""Absolute addresses of the public site, as machines see them (canonical links, Open Graph,
sitemaps, feeds, robots.txt).

They start from the Wagtail site that answers the request (its hostname, port and scheme as
set in the admin under *Settings → Sites*), so every absolute address the site gives out
names the same host whichever way the visitor reached it; without such a site, the request's
own host (already checked against ``ALLOWED_HOSTS``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import reverse
from wagtail.models import Site


def site_root_url(request: HttpRequest | None) -> str:
    """``scheme://host[:port]`` of the site answering ``request``, without a trailing slash."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_url.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return ""


def absolute_url(url: str, request: HttpRequest | None) -> str:
    """``url`` made absolute on the site's root; an absolute ``url`` is returned as it is."""
    if not url:
        return ""
    if urlsplit(url).scheme:
        return url
    return site_root_url(request) + ("" if url.startswith("/") else "/") + url


def canonical_query(request: HttpRequest) -> str:
    """The query string a page's canonical address keeps: ``?page=N`` of a paged list, when
    that is the only parameter (filtered or sorted views point to the plain list)."""
    if set(request.GET) != {"page"}:
        return ""
    number = request.GET.get("page", "")
    if number.isdigit() and int(number) > 1:
        return f"?page={int(number)}"
    return ""


class UrlPattern:
    """``value → address`` of one URL pattern without a ``reverse`` per row (reversed once,
    with a placeholder for the argument ``key``; a list of thousands of rows would otherwise
    spend most of its time in ``reverse``). ``prefix`` goes in front (a site's root for
    absolute addresses); ``kwargs`` are the pattern's other, fixed arguments."""

    PLACEHOLDER = 987654321

    def __init__(self, name: str, key: str = "pk", *, prefix: str = "", **kwargs):
        url = prefix.rstrip("/") + reverse(name, kwargs={key: self.PLACEHOLDER, **kwargs})
        self.start, self.end = url.split(str(self.PLACEHOLDER))

    def __call__(self, value) -> str:
        return f"{self.start}{value}{self.end}"
