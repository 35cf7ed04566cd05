"""The full-text part of a search, per database: SQLite FTS5 (bm25) and PostgreSQL (tsvector,
ts_rank_cd). Both read the same lemmatised token sequences (migration 0002), get the same
resolved query (``query.Query``) and return the same columns, so the common SQL around them
(filters, order, facets) is one.

``hits(query)`` is SQL selecting ``id, score, title_hit, number_hit`` for the documents that
match: ``score`` higher is better (title matches weigh ten times text matches on both),
``title_hit`` how many of the required terms match in the title, ``number_hit`` 1 for the
act whose number was typed.
"""

from __future__ import annotations

from django.db import connection

from .query import Query, Term

FULL, TITLES, COUNT = "full", "titles", "count"
TITLE_WEIGHT = 10.0
TEXT_WEIGHT = 1.0


class Backend:
    def term(self, term: Term, *, title: bool = False) -> str:
        raise NotImplementedError

    def match_sql(
        self, expression: str, *, title_expressions: list[str], score: bool
    ) -> tuple[str, list]:
        raise NotImplementedError

    def filter_sql(self, expression: str) -> tuple[str, list]:
        """SQL selecting the ids of the documents matching ``expression``."""
        raise NotImplementedError

    def all_of(self, expressions: list[str]) -> str:
        raise NotImplementedError

    def any_of(self, expressions: list[str]) -> str:
        raise NotImplementedError

    def hits(self, query: Query, *, rank: str = FULL) -> tuple[str, list]:
        """``rank``: ``FULL`` (score and title matches), ``TITLES`` (title matches, score 0:
        for very many hits, where newer-first is the better order) or ``COUNT`` (ids only)."""
        text_terms = [t for t in query.positive if not t.number]
        number_terms = [t for t in query.positive if t.number]
        negative = [self.term(t) for t in query.negative]
        parts: list[tuple[str, list]] = []
        every = text_terms + [t for t in number_terms if all(w.tokens for w in t.words)]
        if len(every) == len(query.positive):
            expression = self.with_negative(self.all_of([self.term(t) for t in every]), negative)
            titles = [self.term(t, title=True) for t in every] if rank != COUNT else []
            parts.append(self.match_sql(expression, title_expressions=titles, score=rank == FULL))
        if number_terms:
            sql = (
                "SELECT d.id AS id, 0.0 AS score, 0 AS title_hit, 1 AS number_hit "
                "FROM search_searchdocument d WHERE ("
                + " OR ".join(
                    ["d.number_key = %s OR (d.number_key >= %s AND d.number_key < %s)"]
                    * len(number_terms)
                )
                + ")"
            )
            params: list = []
            for term in number_terms:
                params += [term.number, term.number + "-", term.number + "."]
            if text_terms:
                ids, ids_params = self.filter_sql(self.all_of([self.term(t) for t in text_terms]))
                sql += f" AND d.id IN ({ids})"
                params += ids_params
            if negative:
                ids, ids_params = self.filter_sql(self.any_of(negative))
                sql += f" AND d.id NOT IN ({ids})"
                params += ids_params
            parts.append((sql, params))
        if len(parts) == 1:
            return parts[0]
        union = " UNION ALL ".join(
            f"SELECT * FROM ({sql}) AS p{i}" for i, (sql, _) in enumerate(parts)
        )
        return (
            "SELECT id, MAX(score) AS score, MAX(title_hit) AS title_hit, "
            f"MAX(number_hit) AS number_hit FROM ({union}) AS u GROUP BY id",
            [p for _, params in parts for p in params],
        )

    def with_negative(self, expression: str, negative: list[str]) -> str:
        raise NotImplementedError


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(Backend):
    """FTS5 over ``search_fts`` (title_index, body_index); bm25 with the title weighted."""

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

    def all_of(self, expressions: list[str]) -> str:
        return "(" + " AND ".join(expressions) + ")"

    def any_of(self, expressions: list[str]) -> str:
        return "(" + " OR ".join(expressions) + ")"

    def with_negative(self, expression: str, negative: list[str]) -> str:
        for excluded in negative:
            expression = f"({expression} NOT {excluded})"
        return expression

    def match_sql(self, expression, *, title_expressions, score):
        in_title = " + ".join(
            ["(rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))"]
            * len(title_expressions)
        )
        score_sql = f"-bm25(search_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT})" if score else "0.0"
        return (
            f"SELECT rowid AS id, {score_sql} AS score, ({in_title or '0'}) AS title_hit, "
            "0 AS number_hit FROM search_fts WHERE search_fts MATCH %s",
            [*title_expressions, expression],
        )

    def filter_sql(self, expression):
        return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]


def _lexeme(token: str, *, title: bool) -> str:
    escaped = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":A" if title else "")


class PostgresBackend(Backend):
    """The generated tsvector ``search_vector`` (title A, text B) with its GIN index;
    ts_rank_cd with the title weighted."""

    WEIGHTS = f"{{0, 0, {TEXT_WEIGHT / TITLE_WEIGHT}, 1}}"

    def term(self, term: Term, *, title: bool = False) -> str:
        groups = [
            "(" + " | ".join(_lexeme(token, title=title) for token in word.tokens) + ")"
            for word in term.words
        ]
        return "(" + " <-> ".join(groups) + ")"

    def all_of(self, expressions: list[str]) -> str:
        return "(" + " & ".join(expressions) + ")"

    def any_of(self, expressions: list[str]) -> str:
        return "(" + " | ".join(expressions) + ")"

    def with_negative(self, expression: str, negative: list[str]) -> str:
        for excluded in negative:
            expression = f"({expression} & !{excluded})"
        return expression

    def match_sql(self, expression, *, title_expressions, score):
        in_title = " + ".join(["(d.search_vector @@ %s::tsquery)::int"] * len(title_expressions))
        rank = f"ts_rank_cd('{self.WEIGHTS}'::float4[], d.search_vector, %s::tsquery, 1)"
        return (
            f"SELECT d.id AS id, {rank if score else '0.0::float4'} AS score, "
            f"({in_title or '0'}) AS title_hit, 0 AS number_hit "
            "FROM search_searchdocument d WHERE d.search_vector @@ %s::tsquery",
            ([expression] if score else []) + [*title_expressions, expression],
        )

    def filter_sql(self, expression):
        return (
            "SELECT id FROM search_searchdocument WHERE search_vector @@ %s::tsquery",
            [expression],
        )


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"search supports SQLite and PostgreSQL, not {connection.vendor}")
