"""Extension points of the acts registry for the apps built on it (acts imports none of them).

``ACT_PAGE_SECTIONS``: functions of an act returning a section of its public page,
``{"template": "...", "context": {...}}``, or ``None`` when they have nothing to show. Apps
register theirs in ``AppConfig.ready()``; the page includes each template with ``data`` set to
the section's context.

``WORDS_MATCHER``: the function that turns the registry's «words» filter (what a visitor typed)
into a condition on acts (a ``Q``). The default, ``words_as_written``, wants every word as
written in the title or the text (a substring, whatever the case). Search replaces it in its
``AppConfig.ready()`` with a look-up in its index, which knows the words' forms; the replacement
must accept any text and may fall back to ``words_as_written``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import connection
from django.db.models import Q

from .models import Act

ACT_PAGE_SECTIONS: list[Callable[[Act], dict | None]] = []

MAX_WORDS = 10


def act_page_sections(act: Act) -> list[dict]:
    """The registered sections that have something to show for ``act``, in order."""
    return [section for build in ACT_PAGE_SECTIONS if (section := build(act)) is not None]


def word_as_written(word: str) -> Q:
    """Title or text contains ``word``, whatever the case of its Cyrillic letters.

    SQLite's LIKE folds only ASCII letters, so there the match is a regular expression (Django
    runs it with Python's Unicode-aware ``re``); PostgreSQL's ILIKE folds Cyrillic itself."""
    if connection.vendor == "sqlite":
        pattern = re.escape(word)
        return Q(title__iregex=pattern) | Q(text__iregex=pattern)
    return Q(title__icontains=word) | Q(text__icontains=word)


def words_as_written(words: str) -> Q:
    """Every word (the first ``MAX_WORDS``) in the title or the text, as written."""
    condition = Q()
    for word in words.split()[:MAX_WORDS]:
        condition &= word_as_written(word)
    return condition


WORDS_MATCHER: Callable[[str], Q] = words_as_written


def words_condition(words: str) -> Q:
    """The condition of the «words» filter, from the matcher in place now."""
    if not words.strip():
        return Q()
    return WORDS_MATCHER(words)
