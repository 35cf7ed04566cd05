"""Where the index's documents come from: one module per app (``sources/<app>.py``), each
registering a ``Source`` with ``register``. Adding a kind of record (datasets, registers) is one
small module here and its name in ``MODULES``; nothing else in search changes.

A source reads through its app's selectors and yields ``Doc``\\ s — only what the public may
see; a record that is not (or no longer) public is simply not yielded, and the index drops it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise

# Source modules loaded at start-up (apps.ready), in the order kinds are listed in facets.
MODULES = ["acts", "council", "portal", "opendata"]


@dataclass
class Doc:
    kind: str
    object_id: str
    title: str
    url: str
    text: str = ""
    date: dt.date | None = None
    label: str = ""  # e.g. «Рішення ради № 245-VIII від 20.03.2024»
    number_key: str = ""  # acts: the normalised number, so «№ 245» finds the act first


class Source:
    """What a source provides. ``kinds`` maps each kind it yields to its label (plural)."""

    name: str = ""
    kinds: dict[str, Promise] = {}

    def documents(self, kind: str | None = None) -> Iterator[Doc]:
        """Every public record (of ``kind``), for a full rebuild; streamed."""
        raise NotImplementedError

    def fetch(self, kind: str, object_ids: Iterable[str]) -> dict[str, Doc | None]:
        """The documents of these records now; None for a record that is gone or not public."""
        raise NotImplementedError


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.name] = source
    return source


def load() -> None:
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")


def all_sources() -> list[Source]:
    return list(_SOURCES.values())


def kinds() -> dict[str, Promise]:
    """Every kind of document and its label, in facet order."""
    found: dict[str, Promise] = {}
    for source in _SOURCES.values():
        found.update(source.kinds)
    return found


def source_of(kind: str) -> Source:
    for source in _SOURCES.values():
        if kind in source.kinds:
            return source
    raise KeyError(kind)
