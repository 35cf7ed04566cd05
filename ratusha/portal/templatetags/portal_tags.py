"""Template tags of the public site: breadcrumbs, menu state, page addresses (``page_href``),
phone links, embedded video, and the frame's banners and footer (kept per process,
``core.frame``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page: Page):
    """The path from the home page to ``page``; nothing on the home page itself."""
    request = context.get("request")
    site = Site.find_for_request(request)
    root_depth = site.root_page.depth if site else 2
    is_home = page.depth <= root_depth
    return {
        "request": request,
        "page": page,
        "is_home": is_home,
        "ancestors": [] if is_home else list(page.get_ancestors().filter(depth__gt=root_depth)),
        "content_lang": context.get("content_lang"),
    }


@register.filter
def is_within(page: Page | None, section: Page) -> bool:
    """Whether ``page`` is ``section`` or lies below it (for marking the current menu item)."""
    return page is not None and isinstance(page, Page) and page.path.startswith(section.path)


@register.filter
def tel_href(phone: str) -> str:
    """A ``tel:`` link target for a phone number written for people, e.g. ``(05355) 3-11-22``."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if digits else ""


@register.inclusion_tag("portal/includes/video.html")
def video_embed(url: str, title: str):
    """A video from YouTube, Vimeo or Facebook in a titled frame, or a link when the address
    is not one of theirs."""
    from ratusha.portal.video import embed_url

    return {"embed": embed_url(url), "url": url, "title": title}


def _frame_part(context, name: str, template_name: str, values: Callable[[], dict], *key):
    """``template_name`` rendered with ``values()`` and kept per process (``core.frame``) under
    ``key`` and what else the text depends on: the language, the URLconf and script prefix
    (for ``{% url %}``) and the pages' content language."""
    from ratusha.core.frame import memo

    request = context.get("request")
    content_lang = context.get("content_lang")

    def build() -> str:
        return render_to_string(
            template_name, {**values(), "content_lang": content_lang}, request=None
        )

    parts = (name, *key, get_language(), get_urlconf(), get_script_prefix(), content_lang)
    return mark_safe(memo.get(parts, build, request))  # noqa: S308 - our own template's output


@register.simple_tag(takes_context=True)
def banners(context):
    """The banners shown today, in their order: an image with its text alternative, or a
    text link when the banner has no image. Kept per process for the day until the next change
    of what the public sees (``core.frame``)."""
    from ratusha.portal.selectors import active_banners

    today = timezone.localdate()
    return _frame_part(
        context,
        "banners",
        "portal/includes/banners.html",
        lambda: {"banners": active_banners(today=today)},
        today,
    )


@register.simple_tag(takes_context=True)
def site_footer(context, hromada):
    """The footer: the council's name and contacts (``hromada``, the site's settings),
    feedback and social links; kept per process like the banners."""
    return _frame_part(
        context,
        "footer",
        "includes/footer.html",
        lambda: {"hromada": hromada},
        getattr(hromada, "pk", None),  # none when no site answers the request
    )


@register.simple_tag(takes_context=True)
def page_href(context, page: Page) -> str | None:
    """``{% pageurl page %}`` without its ``reverse()`` per link (``core.page_urls``)."""
    from ratusha.core.page_urls import page_url

    if not isinstance(page, Page):
        raise ValueError(f"page_href expected a Page object, got {page!r}")
    return page_url(page, context.get("request"))


# What machines read: schema.org descriptions (JSON-LD) ----------------------------------------


def _hromada(request):
    from ratusha.core.models import HromadaSettings

    return HromadaSettings.for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def organization_json_ld(context):
    """The council as a schema.org ``GovernmentOrganization`` (for the home page)."""
    from ratusha.portal import structured_data

    request = context.get("request")
    return structured_data.json_ld(structured_data.organization(_hromada(request), request))


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, page: Page):
    """``page`` (a news item or an announcement) as a schema.org ``NewsArticle``."""
    from ratusha.portal import structured_data

    request = context.get("request")
    return structured_data.json_ld(structured_data.news_article(page, _hromada(request), request))


@register.simple_tag(takes_context=True)
def event_json_ld(context, page: Page):
    """``page`` (an event) as a schema.org ``Event``."""
    from ratusha.portal import structured_data

    request = context.get("request")
    return structured_data.json_ld(structured_data.event(page, _hromada(request), request))


@register.filter(is_safe=True)
def file_digests(html):
    """Rendered page content with the SHA-256 written after each document link
    (``portal.documents.with_digests``)."""
    from ratusha.portal.documents import with_digests

    return with_digests(html)


@register.filter
def document_digest(document) -> str:
    """The SHA-256 of a document's file ("" if not computed)."""
    # The reverse one-to-one raises an AttributeError subclass when there is none.
    digest = getattr(document, "digest", None)
    return digest.sha256 if digest is not None else ""
