"""Document ids that carry the document's date and kind, so that a search needs the full-text
index alone for its order, its filters and its facets (never the documents' rows):

    id = ((year · 512 + day of the year) · 2³¹ + sequence) · 64 + kind code

- ordering by id is ordering by date (newest first = ``id DESC``, which FTS5 answers from its
  index and stops after a page; the sequence tells apart documents of one day);
- a date range is an id range; the kind is ``id & 63``; the year is ``id >> 46``.

Kind codes follow the order of ``sources.kinds()``: a new kind goes at the end (a change of the
order needs ``search_reindex``). Undated documents sort as the oldest.
"""

from __future__ import annotations

import datetime as dt

from . import sources

KIND_BITS = 6
SEQ_BITS = 31
DAY_BITS = 9
DAY_SHIFT = SEQ_BITS + KIND_BITS
YEAR_SHIFT = DAY_SHIFT + DAY_BITS
KIND_MASK = (1 << KIND_BITS) - 1


def kind_codes() -> dict[str, int]:
    return {kind: code for code, kind in enumerate(sources.kinds(), start=1)}


def kinds_by_code() -> dict[int, str]:
    return {code: kind for kind, code in kind_codes().items()}


def _day(date: dt.date | None) -> int:
    if date is None:
        return 0
    return (date.year << DAY_BITS) | date.timetuple().tm_yday


def day_start(date: dt.date | None) -> int:
    """The smallest id of a document dated ``date``."""
    return _day(date) << DAY_SHIFT


def day_end(date: dt.date | None) -> int:
    """The first id after every document dated ``date``."""
    return (_day(date) + 1) << DAY_SHIFT


def make(date: dt.date | None, sequence: int, kind: str) -> int:
    return ((_day(date) << SEQ_BITS | sequence) << KIND_BITS) | kind_codes()[kind]


def sequence(doc_id: int) -> int:
    return (doc_id >> KIND_BITS) & ((1 << SEQ_BITS) - 1)


def year(doc_id: int) -> int:
    return doc_id >> YEAR_SHIFT
