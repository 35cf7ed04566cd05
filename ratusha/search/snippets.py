"""Snippets with the matched words highlighted, cut from a document's text.

The forms to highlight are the indexed words whose tokens the query accepted
(``SearchTerm.token``), found in the text by one compiled regular expression: no word of the
text is lemmatised at query time."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import morphology

SNIPPET_CHARS = 240
_TABLE = str.maketrans({ch: morphology.APOSTROPHE for ch in "'\u2019\u2018`\u2032"})


def forms_pattern(forms: set[str]) -> re.Pattern | None:
    """A pattern finding any of the normalised ``forms`` as a whole word of a text that was
    lower-cased and had its apostrophes unified (``_comparable``)."""
    variants = set(forms)
    for form in forms:
        if "проєкт" in form:
            variants.add(form.replace("проєкт", "проект"))
    if not variants:
        return None
    alternatives = "|".join(re.escape(form) for form in sorted(variants, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w{morphology.APOSTROPHE}])(?:{alternatives})(?![\w{morphology.APOSTROPHE}])"
    )


def _comparable(text: str) -> str | None:
    """``text`` lower-cased with one apostrophe, position for position (None if lower-casing
    changed its length, which a few non-Cyrillic letters do)."""
    copy = text.lower().translate(_TABLE)
    return copy if len(copy) == len(text) else None


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """All of ``text``, escaped, with the matches marked."""
    return _marked(text, 0, len(text), pattern)


def _marked(text: str, start: int, end: int, pattern) -> SafeString:
    comparable = _comparable(text) if pattern is not None else None
    if comparable is None:
        return mark_safe(escape(text[start:end]))
    out, position = [], start
    for match in pattern.finditer(comparable, start, end):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        position = match.end()
    out.append(escape(text[position:end]))
    return mark_safe("".join(out))


def snippet(text: str, pattern: re.Pattern | None, size: int = SNIPPET_CHARS) -> SafeString:
    """About ``size`` characters of ``text`` around its first match (its start if none), cut
    at word boundaries, the matches marked."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    comparable = _comparable(text) if pattern is not None else None
    first = pattern.search(comparable) if comparable is not None else None
    center = first.start() if first else 0
    start = max(0, center - size // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < center else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _marked(text, start, end, pattern)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")
