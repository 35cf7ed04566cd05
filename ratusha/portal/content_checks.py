"""The accessibility checker in the editor: Wagtail's content checker (axe-core), shown in the
page editor's «Checks» panel (run on the live preview) and in the userbar on the public pages
for people who may use the admin.

Wagtail's default rules cover headings, empty links and buttons and the quality of text
alternatives; here they are joined by the WCAG 2.1 A/AA rules that what an editor writes can
break (images without a text alternative, broken lists and tables, links told apart by colour
alone, a wrong language code). The checker looks at the page's main content only: the frame
(header, menu, footer, banners) is not the editor's to change and is checked by the browser
tests (``tests/browser/``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.userbar import ContentCheckerItem

# WCAG 2.1 A/AA rules of axe-core that an editor's content (rich text, tables, embedded images
# and video, documents) can break.
CONTENT_WCAG_RULES = [
    "image-alt",
    "role-img-alt",
    "svg-img-alt",
    "object-alt",
    "list",
    "listitem",
    "definition-list",
    "dlitem",
    "td-headers-attr",
    "th-has-data-cells",
    "table-duplicate-name",
    "scope-attr-valid",
    "link-in-text-block",
    "valid-lang",
    "duplicate-id-aria",
    "nested-interactive",
]


class ContentChecker(ContentCheckerItem):
    axe_include = ["main"]
    axe_run_only = [*ContentCheckerItem.axe_run_only, *CONTENT_WCAG_RULES]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": _("Image without a text alternative"),
            "help_text": _("Describe what the image shows for people who cannot see it"),
        },
        "role-img-alt": {
            "error_name": _("Image without a text alternative"),
            "help_text": _("Describe what the image shows for people who cannot see it"),
        },
        "svg-img-alt": {
            "error_name": _("Image without a text alternative"),
            "help_text": _("Describe what the image shows for people who cannot see it"),
        },
        "object-alt": {
            "error_name": _("Embedded object without a text alternative"),
            "help_text": _("Add a text that says what the object shows"),
        },
        "list": {
            "error_name": _("Broken list"),
            "help_text": _("A list may hold only list items"),
        },
        "listitem": {
            "error_name": _("List item outside a list"),
            "help_text": _("Put list items inside a bulleted or numbered list"),
        },
        "definition-list": {
            "error_name": _("Broken list"),
            "help_text": _("A list may hold only list items"),
        },
        "dlitem": {
            "error_name": _("List item outside a list"),
            "help_text": _("Put list items inside a bulleted or numbered list"),
        },
        "td-headers-attr": {
            "error_name": _("Table cells refer to missing headers"),
            "help_text": _("Give the table a header row or column"),
        },
        "th-has-data-cells": {
            "error_name": _("Table header without data"),
            "help_text": _("Give the table a header row or column"),
        },
        "table-duplicate-name": {
            "error_name": _("Table caption repeats its summary"),
            "help_text": _("Use meaningful text for screen reader users"),
        },
        "scope-attr-valid": {
            "error_name": _("Table header without data"),
            "help_text": _("Give the table a header row or column"),
        },
        "link-in-text-block": {
            "error_name": _("Link told apart by colour alone"),
            "help_text": _("Links in text must be underlined or otherwise marked"),
        },
        "valid-lang": {
            "error_name": _("Unknown language code"),
            "help_text": _("Use a language code such as uk or en"),
        },
        "duplicate-id-aria": {
            "error_name": _("Repeated identifier"),
            "help_text": _("Every identifier on a page must be unique"),
        },
        "nested-interactive": {
            "error_name": _("A control inside another control"),
            "help_text": _("Do not put links or buttons inside other links or buttons"),
        },
    }


def use_content_checker(request, items, page=None) -> None:
    """``construct_wagtail_userbar`` hook: put ``ContentChecker`` in place of Wagtail's own
    (in the userbar and in the editor's «Checks» panel, which reads its settings from here)."""
    for index, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, ContentChecker):
            items[index] = ContentChecker(in_editor=item.in_editor)
