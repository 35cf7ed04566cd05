"""The relevance set measured: recall@10 and MRR of Ratusha's search and, for comparison, of a
plain FTS5 index of the same texts without lemmas (SQLite's unicode61 tokenizer: case folded,
exact word forms only).

recall@10 of a query: the share of its expected acts among the first ten results, out of
min(10, expected) — a broad query with forty relevant acts scores 1 when the first ten are all
relevant. MRR: the mean of 1 / rank of the first expected act (0 when none is in the first
ten). ``first`` queries (act numbers) also count whether the act came first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = 10


@cache
def acts() -> list[dict]:
    return json.loads((HERE / "acts.json").read_text())


@cache
def queries() -> list[dict]:
    return json.loads((HERE / "queries.json").read_text())


def index_acts() -> None:
    """Put the set's acts into the search index (as the acts source would)."""
    from ratusha.acts.numbers import number_key
    from ratusha.search import indexing
    from ratusha.search.sources import Doc

    indexing.rebuild_from(
        Doc(
            kind="act",
            object_id=act["id"],
            title=act["title"],
            url=f"/acts/{act['id']}/",
            text=act["text"],
            date=dt.date.fromisoformat(act["date"]),
            label=f"Рішення ради № {act['number']} від {act['date']}",
            number_key=number_key(act["number"]),
        )
        for act in acts()
    )


def ratusha_top(q: str) -> list[str]:
    from ratusha.search.selectors import SearchFilters, search

    return [r.url.split("/")[2] for r in search(SearchFilters(q=q)).results[:TOP]]


class PlainFTS:
    """The same acts in an in-memory FTS5 table without lemmas: what SQLite gives alone."""

    def __init__(self):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE plain USING fts5(id UNINDEXED, title, body, "
            "tokenize='unicode61 remove_diacritics 0')"
        )
        self.db.executemany(
            "INSERT INTO plain VALUES (?, ?, ?)",
            [(a["id"], f"{a['title']} № {a['number']}", a["text"]) for a in acts()],
        )

    def top(self, q: str) -> list[str]:
        """All the words typed (phrases kept), ranked by bm25 with the title weighted."""
        import re

        parts = re.findall(r'"[^"]*"|[^\s"]+', q.replace("№", " "))
        terms = []
        for part in parts:
            words = re.findall(r"\w+", part)
            if words:
                terms.append('"' + " ".join(words) + '"')
        if not terms:
            return []
        rows = self.db.execute(
            "SELECT id FROM plain WHERE plain MATCH ? ORDER BY bm25(plain, 0, 10.0, 1.0) LIMIT ?",
            (" AND ".join(terms), TOP),
        )
        return [row[0] for row in rows]


@dataclasses.dataclass
class Score:
    recall: float
    mrr: float
    first: float  # share of number queries whose act came first
    misses: list[tuple[str, float]]


def score(top: Callable[[str], list[str]]) -> Score:
    recalls, ranks, firsts, misses = [], [], [], []
    for query in queries():
        found = top(query["q"])
        expected = set(query["expected"])
        recall = len(expected & set(found)) / min(TOP, len(expected))
        recalls.append(recall)
        rank = next((i for i, key in enumerate(found, 1) if key in expected), None)
        ranks.append(1 / rank if rank else 0.0)
        if query.get("first"):
            firsts.append(1.0 if found[:1] and found[0] in expected else 0.0)
        if recall < 1:
            misses.append((query["q"], recall))
    return Score(
        recall=sum(recalls) / len(recalls),
        mrr=sum(ranks) / len(ranks),
        first=sum(firsts) / len(firsts) if firsts else 1.0,
        misses=misses,
    )
