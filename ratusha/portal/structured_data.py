"""schema.org descriptions of the public pages, for search engines (JSON-LD in the page's
``<head>``): the council as a ``GovernmentOrganization`` on the home page, a news item as a
``NewsArticle``, an event as an ``Event``.

``json_ld`` writes a description into a ``<script type="application/ld+json">``: ``<``, ``>``
and ``&`` are written as JSON escapes, so no title or text an editor types can close the script
element (``</script>``) or open a comment in it."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ratusha.core.site_urls import absolute_url, site_root_url

SCHEMA = "https://schema.org"
IMAGE_SPEC = "width-960"
HEADLINE_LENGTH = 110
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_POSTAL_CODE = re.compile(r"(?:,\s*)?\b(\d{5})\b\s*$")


def json_ld(data: dict | None) -> SafeString:
    """``data`` as a JSON-LD script element, safe to put into HTML."""
    if not data:
        return SafeString("")
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        SafeString(text.translate(_SCRIPT_ESCAPES)),
    )


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def _clean(data: dict) -> dict:
    """``data`` without empty values (schema.org readers prefer a missing property to an
    empty one)."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _image_url(image, request: HttpRequest, spec: str = IMAGE_SPEC) -> str | None:
    if image is None:
        return None
    return absolute_url(image.get_rendition(spec).url, request)


def postal_address(address: str) -> dict | None:
    """A ``PostalAddress`` from an address written in one line; a five-digit postal code at
    its end becomes ``postalCode``."""
    address = (address or "").strip()
    if not address:
        return None
    match = _POSTAL_CODE.search(address)
    street = address[: match.start()].strip().rstrip(",") if match else address
    return _clean(
        {
            "@type": "PostalAddress",
            "streetAddress": street,
            "postalCode": match.group(1) if match else None,
            "addressCountry": "UA",
        }
    )


def organization(hromada, request: HttpRequest, *, full: bool = True) -> dict | None:
    """The council as a ``GovernmentOrganization`` from the hromada's settings: its name,
    address, phone, e-mail, logo and ЄДРПОУ code; ``full=False`` gives the short form used as
    the publisher of a news item or the organiser of an event."""
    if hromada is None or not (hromada.council_name or hromada.community_name):
        return None
    data = {
        "@type": "GovernmentOrganization",
        "name": hromada.council_name or hromada.community_name,
        "url": site_root_url(request) + "/",
        "logo": _image_url(hromada.logo, request, "height-96") if hromada.logo_id else None,
    }
    if full:
        data.update(
            {
                "@context": SCHEMA,
                "alternateName": hromada.community_name
                if hromada.council_name and hromada.community_name
                else None,
                "address": postal_address(hromada.address),
                "telephone": hromada.phone,
                "email": hromada.email,
                "identifier": {
                    "@type": "PropertyValue",
                    "propertyID": "ЄДРПОУ",
                    "value": hromada.edrpou,
                }
                if hromada.edrpou
                else None,
                "sameAs": [url for _name, url in hromada.social_links],
            }
        )
        data = {"@context": data.pop("@context"), **data}
    return _clean(data)


def news_article(page, hromada, request: HttpRequest) -> dict:
    """A news item (or an announcement) as a ``NewsArticle``."""
    url = page.get_full_url(request)
    published = page.date or page.first_published_at
    modified = max(filter(None, [published, page.last_published_at]), default=None)
    publisher = organization(hromada, request, full=False)
    return _clean(
        {
            "@context": SCHEMA,
            "@type": "NewsArticle",
            "headline": page.title[:HEADLINE_LENGTH],
            "description": page.search_description or page.intro,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": "uk",
            "datePublished": _iso(published),
            "dateModified": _iso(modified),
            "image": [_image_url(page.image, request)] if page.image_id else None,
            "author": publisher,
            "publisher": publisher,
        }
    )


def event(page, hromada, request: HttpRequest) -> dict:
    """An event announcement as an ``Event``: when, where, its status and organiser."""
    return _clean(
        {
            "@context": SCHEMA,
            "@type": "Event",
            "name": page.title,
            "description": page.search_description or page.intro,
            "url": page.get_full_url(request),
            "inLanguage": "uk",
            "startDate": _iso(page.start),
            "endDate": _iso(page.end),
            "eventStatus": f"{SCHEMA}/EventScheduled",
            "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
            "location": {"@type": "Place", "name": page.place, "address": page.place},
            "image": [_image_url(page.image, request)] if page.image_id else None,
            "organizer": organization(hromada, request, full=False),
        }
    )
