"""Site-wide public views: the low-vision switch, robots.txt and the error pages."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.http import (
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .context_processors import LOW_VISION_COOKIE
from .site_urls import absolute_url

LOW_VISION_COOKIE_AGE = 365 * 24 * 60 * 60


@require_GET
def low_vision_toggle(request):
    """Switch the low-vision version on or off and go back to the page the visitor was on.

    A plain link, so it works without JavaScript; ``next`` is followed only when it stays on
    this site.
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if request.COOKIES.get(LOW_VISION_COOKIE) == "1":
        response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            LOW_VISION_COOKIE,
            "1",
            max_age=LOW_VISION_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response


def page_not_found(request, exception=None):
    html = loader.render_to_string("404.html", {"request_path": request.path}, request=request)
    return HttpResponseNotFound(html)


def server_error(request):
    """Rendered without context processors: the database may be what failed."""
    return HttpResponseServerError(loader.render_to_string("500.html"))


@require_GET
def robots_txt(request, *, disallow: Iterable[str] = ()):
    """``/robots.txt``: the public site is open to search engines except ``disallow`` (the
    admin, the deputy's cabinet, the display switches), and the sitemap is named."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), "Allow: /", ""]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'), request)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


OPENAPI_FILE = Path(__file__).resolve().parent.parent / "openapi.json"


@require_GET
def openapi(request):
    """``/api/openapi.json``: the OpenAPI 3.1 description of the public JSON APIs
    (``ratusha/openapi.json``, fuzzed by ``tests/test_api_fuzz.py``)."""
    response = HttpResponse(
        OPENAPI_FILE.read_bytes(), content_type="application/json; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
