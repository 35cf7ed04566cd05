"""Content blocks of the site's pages: text, tables, images, documents, embedded video."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("text alternative"),
        max_length=255,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("image")
        template = "portal/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"), required=False, help_text=_("Empty: the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("attachment")
        template = "portal/blocks/document.html"


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("video address (YouTube, Vimeo, Facebook)"))
    title = blocks.CharBlock(label=_("title"), max_length=255)

    class Meta:
        icon = "media"
        label = _("video")
        template = "portal/blocks/video.html"


class ContentBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)
    table = TableBlock(label=_("table"), template="portal/blocks/table.html")
    image = ImageBlock()
    document = DocumentBlock()
    video = VideoBlock()

    class Meta:
        label = _("content")
