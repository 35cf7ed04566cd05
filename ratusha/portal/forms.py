"""The page editor's form: addresses (slugs) of pages spelled by the official transliteration.

The admin's script makes a slug from the title as the editor types, but not by the Cabinet's
table (КМУ Resolution 55 of 2010): «Юридичний відділ» becomes ``yuridichnii-viddil`` there
and ``yurydychnyi-viddil`` here. The form replaces an empty slug, a slug in Cyrillic, and on a
new page the slug the script made from the title, with ``ukrainian_slug(title)``, numbered if a
sibling already has it. A slug the editor typed by hand is kept."""

from __future__ import annotations

import re

from django.core.validators import validate_slug, validate_unicode_slug
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from ratusha.core.text import ukrainian_slug

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# The admin script's table (Django's URLify: the Russian table, then the Ukrainian additions),
# to recognise the slug it made from the title.
_SCRIPT_TABLE = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "j",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "c",
            "ch",
            "sh",
            "shh",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
            "ye",
            "i",
            "yi",
            "g",
        ],
        strict=True,
    )
)
_SCRIPT_TABLE.update({"ъ": "", "ь": "", "г": "h", "и": "y", "й": "i", "х": "kh", "ц": "ts"})
_SCRIPT_TABLE["щ"] = "shch"


def script_slug(title: str) -> str:
    """The slug the admin's script would make from ``title`` (lower case, hyphens)."""
    text = "".join(_SCRIPT_TABLE.get(char, char) for char in (title or "").lower())
    return slugify(text)


def _is_ascii_slug(value: str) -> bool:
    try:
        validate_slug(value)
    except Exception:
        return False
    return True


class TransliteratedSlugPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is not None:
            # Cyrillic is accepted here and transliterated in clean(); an empty slug too.
            field.required = False
            field.validators = [
                v for v in field.validators if v not in (validate_slug, validate_unicode_slug)
            ]

    def _wants_transliteration(self, slug: str, title: str) -> bool:
        if not slug or not _is_ascii_slug(slug):
            return True
        is_new = self.instance is None or self.instance.pk is None
        return is_new and bool(_CYRILLIC.search(title)) and slug == script_slug(title)

    def clean(self):
        slug = (self.cleaned_data.get("slug") or "").strip()
        title = self.cleaned_data.get("title") or ""
        if "slug" in self.fields and self._wants_transliteration(slug, title):
            base = ukrainian_slug(title) or ukrainian_slug(slug) or "storinka"
            self.cleaned_data["slug"] = self._available(base)
        return super().clean()

    def _available(self, base: str) -> str:
        parent = self.parent_page
        if parent is None and self.instance is not None and self.instance.pk:
            parent = self.instance.get_parent()
        candidate, number = base, 1
        while parent is not None and not Page._slug_is_available(candidate, parent, self.instance):
            number += 1
            candidate = f"{base}-{number}"
        return candidate
