"""Template tags of the public frame's ``<head>``: what machines read about a page (the
canonical address, absolute addresses for Open Graph) and ``capture``, which renders a part of
the template once to use it in several places (the title and the description go to ``<title>``,
``<meta name="description">`` and the Open Graph tags)."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from wagtail.models import Page

from ratusha.core.site_urls import absolute_url, canonical_query, site_root_url

register = template.Library()


class CaptureNode(template.Node):
    # Blocks inside stay overridable by child templates (``{% extends %}`` finds them here).
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The output is template output, already escaped: it is stored as safe text.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: render the content (whitespace collapsed)
    into the variable ``name`` instead of the output."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The canonical absolute address of the page being shown: a Wagtail page's own full URL,
    any other view's path on the site's root; ``?page=N`` kept for a paged list."""
    request = context.get("request")
    if request is None:
        return ""
    page = context.get("page")
    if isinstance(page, Page):
        url = page.get_full_url(request) or ""
        if url and not url.startswith(("http://", "https://")):
            url = absolute_url(url, request)
    else:
        url = site_root_url(request) + request.path
    return url + canonical_query(request) if url else ""


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    """``url`` (e.g. an image rendition's) as an absolute address on the site's root."""
    return absolute_url(url, context.get("request"))
