"""Rich text kept to what the editor can make (nh3, an allow-list).

Wagtail's editor (Draftail) only produces the features a block allows, but rich text can also
arrive without the editor: imports, the demo generator, the API, a page saved in code. Wagtail
renders the stored HTML as it is, so a ``<script>``, an ``onerror`` attribute or a
``javascript:`` link stored that way would reach the public page. ``clean_rich_text`` keeps the
tags and attributes of Wagtail's stored format for the portal's features (``portal.blocks.
RICH_TEXT_FEATURES``: headings, bold, italic, lists, links to pages, documents and addresses)
and drops everything else; ``SanitisedRichTextMixin`` applies it to every rich text field and
rich text block of a page in ``clean()``, which Wagtail runs on every save and revision."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "a"}
# Wagtail's stored format: ``<a linktype="page" id="3">``, ``<a linktype="document" id="7">``,
# ``<a href="https://…">``.
ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_rich_text(html: str) -> str:
    if not html:
        return html
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _clean_stream_value(value) -> None:
    """Clean, in place, the rich text inside a StreamField's value at any depth."""
    from wagtail import blocks
    from wagtail.blocks.list_block import ListValue
    from wagtail.rich_text import RichText

    if isinstance(value, RichText):
        value.source = clean_rich_text(value.source)
    elif isinstance(value, blocks.StreamValue):
        for child in value:  # binds every child, so the cleaned values are the ones saved
            _clean_stream_value(child.value)
    elif isinstance(value, blocks.StructValue):
        for item in value.values():
            _clean_stream_value(item)
    elif isinstance(value, ListValue):
        for item in value:
            _clean_stream_value(item)


class SanitisedRichTextMixin:
    """For page models: rich text fields and blocks cleaned before every save."""

    def clean(self):
        from wagtail.fields import RichTextField, StreamField

        super().clean()
        for field in self._meta.concrete_fields:
            if isinstance(field, RichTextField):
                setattr(self, field.attname, clean_rich_text(getattr(self, field.attname)))
            elif isinstance(field, StreamField):
                _clean_stream_value(getattr(self, field.attname))
