"""The full-text part of a search, per database: SQLite FTS5 (bm25) and PostgreSQL (tsvector,
ts_rank_cd). Both read the same lemmatised token sequences (migration 0002) and get the same
resolved query (``query.Query``); each builds its match expression and answers the same few
questions in SQL: which ids match (with id conditions: dates, kinds, exclusions — see
``docids``), in which order, how many of them by year and kind.

Orders: ``NEWEST`` (id descending: FTS5 walks its index backwards and stops after a page) and
``RELEVANCE`` (the backend's score, the title weighted ten times the text, then newest).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from . import docids
from .query import Term

NEWEST, RELEVANCE = "newest", "relevance"
TITLE_WEIGHT = 10.0
TEXT_WEIGHT = 1.0


@dataclass
class IdFilter:
    """Conditions on document ids: a date range, kinds, ids to leave out or to keep to."""

    start: int | None = None
    end: int | None = None
    kind_codes: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    only: tuple[int, ...] | None = None

    def sql(self, column: str) -> tuple[str, list]:
        clauses, params = [], []
        if self.start is not None:
            clauses.append(f"{column} >= %s")
            params.append(self.start)
        if self.end is not None:
            clauses.append(f"{column} < %s")
            params.append(self.end)
        if self.kind_codes:
            marks = ", ".join(["%s"] * len(self.kind_codes))
            clauses.append(f"({column} & {docids.KIND_MASK}) IN ({marks})")
            params += list(self.kind_codes)
        if self.exclude:
            clauses.append(f"{column} NOT IN ({', '.join(['%s'] * len(self.exclude))})")
            params += list(self.exclude)
        if self.only is not None:
            clauses.append(f"{column} IN ({', '.join(['%s'] * len(self.only)) or 'NULL'})")
            params += list(self.only)
        return "".join(f" AND {clause}" for clause in clauses), params


class Backend:
    column = "id"

    # Expressions ------------------------------------------------------------------------
    def term(self, term: Term, *, title: bool = False) -> str:
        raise NotImplementedError

    def all_of(self, expressions: list[str]) -> str:
        raise NotImplementedError

    def any_of(self, expressions: list[str]) -> str:
        raise NotImplementedError

    def but_not(self, expression: str, excluded: str) -> str:
        raise NotImplementedError

    def in_title(self, terms: list[Term]) -> str:
        """Every term in the title (used as ``ids(..., title=...)``)."""
        return self.all_of([self.term(t, title=True) for t in terms])

    def expression(self, terms: list[Term], negative: list[Term]) -> str:
        expression = self.all_of([self.term(t) for t in terms])
        for term in negative:
            expression = self.but_not(expression, self.term(term))
        return expression

    # SQL ------------------------------------------------------------------------------------
    def ids(self, expression: str, where: IdFilter, *, title: str | None = None,
            title_excluded: bool = False, order: str | None = None, limit: int | None = None,
            offset: int = 0) -> tuple[str, list]:  # fmt: skip
        """SQL of the ids matching ``expression`` (and ``title`` in the title, or not in it
        with ``title_excluded``), with ``where``, in ``order``, one page if ``limit``."""
        raise NotImplementedError

    def count(self, expression: str, where: IdFilter, **title) -> int:
        sql, params = self.ids(expression, where, **title)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS m", params)
            return cursor.fetchone()[0]

    def fetch_ids(self, expression: str, where: IdFilter, **kwargs) -> list[int]:
        sql, params = self.ids(expression, where, **kwargs)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def facets(self, expression: str | None, where: IdFilter, extra_ids: list[int]):
        """(year, kind code, count) of the matching ids and of ``extra_ids`` (act numbers)."""
        parts, params = [], []
        if expression is not None:
            sql, part_params = self.ids(expression, where)
            parts.append(sql)
            params += part_params
        if extra_ids:
            marks = ", ".join(["%s"] * len(extra_ids))
            parts.append(f"SELECT id FROM search_searchdocument WHERE id IN ({marks})")
            params += extra_ids
        if not parts:
            return []
        union = " UNION ".join(parts)
        sql = (
            f"SELECT id >> {docids.YEAR_SHIFT}, id & {docids.KIND_MASK}, COUNT(*) "
            f"FROM ({union}) AS m GROUP BY 1, 2"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(Backend):
    """FTS5 over ``search_fts`` (title_index, body_index); its rowid is the document id."""

    def term(self, term: Term, *, title: bool = False) -> str:
        if term.is_phrase:
            alternatives = [
                '"' + " ".join(token.replace('"', '""') for token in variant) + '"'
                for variant in term.phrase_variants()
            ]
        else:
            alternatives = [_fts_string(token) for token in term.words[0].tokens]
        expression = "(" + " OR ".join(alternatives) + ")"
        return f"{{title_index}} : {expression}" if title else expression

    def all_of(self, expressions):
        return "(" + " AND ".join(expressions) + ")"

    def any_of(self, expressions):
        return "(" + " OR ".join(expressions) + ")"

    def but_not(self, expression, excluded):
        return f"({expression} NOT {excluded})"

    def ids(self, expression, where, *, title=None, title_excluded=False, order=None, limit=None,
            offset=0):  # fmt: skip
        if expression is None:  # the title alone (it implies the whole vector's match)
            expression, title = title, None
        elif title is not None:
            expression = (
                self.but_not(expression, title)
                if title_excluded
                else self.all_of([expression, title])
            )
        conditions, params = where.sql("rowid")
        sql = f"SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s{conditions}"
        params = [expression, *params]
        if order == NEWEST:
            sql += " ORDER BY rowid DESC"
        elif order == RELEVANCE:
            sql += f" ORDER BY bm25(search_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}), rowid DESC"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return sql, params


def _lexeme(token: str) -> str:
    escaped = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


class PostgresBackend(Backend):
    """The generated tsvectors ``search_vector`` (title A, text B) and ``search_title_vector``
    with their GIN indexes (migrations 0002, 0003)."""

    WEIGHTS = f"{{0, 0, {TEXT_WEIGHT / TITLE_WEIGHT}, 1}}"

    def term(self, term: Term, *, title: bool = False) -> str:
        # a title term is asked of ``search_title_vector``: no weight needed
        groups = [
            "(" + " | ".join(_lexeme(token) for token in word.tokens) + ")" for word in term.words
        ]
        return "(" + " <-> ".join(groups) + ")"

    def all_of(self, expressions):
        return "(" + " & ".join(expressions) + ")"

    def any_of(self, expressions):
        return "(" + " | ".join(expressions) + ")"

    def but_not(self, expression, excluded):
        return f"({expression} & !{excluded})"

    def ids(self, expression, where, *, title=None, title_excluded=False, order=None, limit=None,
            offset=0):  # fmt: skip
        conditions, params = where.sql("id")
        if expression is None:  # the title alone (it implies the whole vector's match)
            sql = "SELECT id FROM search_searchdocument WHERE search_title_vector @@ %s::tsquery"
            return self._ordered(sql + conditions, [title, *params], None, order, limit, offset)
        if title is not None:
            negation = "NOT " if title_excluded else ""
            conditions = f" AND {negation}search_title_vector @@ %s::tsquery{conditions}"
            params = [title, *params]
        sql = f"SELECT id FROM search_searchdocument WHERE search_vector @@ %s::tsquery{conditions}"
        return self._ordered(sql, [expression, *params], expression, order, limit, offset)

    def _ordered(self, sql, params, expression, order, limit, offset):
        if order == NEWEST:
            sql += " ORDER BY id DESC"
        elif order == RELEVANCE and expression is not None:
            sql += (
                f" ORDER BY ts_rank_cd('{self.WEIGHTS}'::float4[], search_vector, %s::tsquery, 1)"
                " DESC, id DESC"
            )
            params.append(expression)
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return sql, params


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"search supports SQLite and PostgreSQL, not {connection.vendor}")
