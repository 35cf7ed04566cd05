"""Text helpers shared by every app."""

from __future__ import annotations

from django.utils.text import slugify
from translitua import UkrainianKMU, translit


def transliterate(text: str) -> str:
    """Latin spelling of Ukrainian text by the official table (КМУ Resolution 55 of 2010)."""
    return translit(text or "", UkrainianKMU)


def ukrainian_slug(text: str, max_length: int = 80) -> str:
    """A URL slug from Ukrainian text, transliterated the official way: «Бюджет громади» →
    ``biudzhet-hromady``."""
    return slugify(transliterate(text))[:max_length].strip("-")
