"""Reads of the search index: a search with filters, facets and highlighted snippets, the
suggestions while typing, and the statistics for the activity report.

A search costs a fixed number of queries whatever it finds: the vocabulary (one, more only
for unknown words and typos), the page of results, the facets, the documents of the page and
the forms to highlight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from . import backends, morphology, snippets, sources
from .models import SearchDocument, SearchQueryDay, SearchTerm
from .query import Query, parse, resolve

PER_PAGE = 10
MAX_PAGE = 100
SUGGESTIONS = 8
SUGGEST_MIN_PREFIX = 2
# Above this many hits the text matches are not scored: a word found in thousands of documents
# tells them apart poorly, and newest first is then the better (and far cheaper) order.
RANK_LIMIT = 2000
# The act with the typed number; then more of the query's terms in the title; among documents
# with the same terms in their titles the newer first; documents that match in the text only
# by the backend's relevance (bm25 / ts_rank_cd), then the newer. Tiers and dates are exact,
# so both backends agree on every title match.
ORDER = (
    "h.number_hit DESC, h.title_hit DESC, CASE WHEN h.title_hit = 0 THEN h.score ELSE 0 END DESC, "
    "d.date DESC NULLS LAST, d.id DESC"
)


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    kinds: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1


@dataclass
class Result:
    kind: str
    kind_label: Promise | str
    title: SafeString
    plain_title: str
    label: str
    date: dt.date | None
    url: str
    snippet: SafeString


@dataclass
class Facet:
    value: str
    label: Promise | str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    filters: SearchFilters
    query: Query | None = None
    total: int = 0
    results: list[Result] = field(default_factory=list)
    kind_facets: list[Facet] = field(default_factory=list)
    year_facets: list[Facet] = field(default_factory=list)
    page: int = 1
    pages: int = 0
    corrections: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _date_param(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def _where(filters: SearchFilters, *, with_kinds: bool) -> tuple[str, list]:
    clauses, params = [], []
    if with_kinds and filters.kinds:
        clauses.append("d.kind IN (" + ", ".join(["%s"] * len(filters.kinds)) + ")")
        params += list(filters.kinds)
    if filters.date_from:
        clauses.append("d.date >= %s")
        params.append(_date_param(filters.date_from))
    if filters.date_to:
        clauses.append("d.date <= %s")
        params.append(_date_param(filters.date_to))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _facets(hits: tuple[str, list], filters: SearchFilters) -> list[tuple[str, int | None, int]]:
    where, params = _where(filters, with_kinds=False)
    sql = (
        f"WITH hits AS ({hits[0]}) SELECT d.kind, d.year, COUNT(*) FROM hits h "
        f"JOIN search_searchdocument d ON d.id = h.id{where} GROUP BY d.kind, d.year"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, hits[1] + params)
        return list(cursor.fetchall())


def _page_ids(hits: tuple[str, list], filters: SearchFilters, offset: int) -> list[int]:
    where, params = _where(filters, with_kinds=True)
    sql = (
        f"WITH hits AS ({hits[0]}) SELECT d.id FROM hits h "
        f"JOIN search_searchdocument d ON d.id = h.id{where} "
        f"ORDER BY {ORDER} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, hits[1] + params + [PER_PAGE, offset])
        return [row[0] for row in cursor.fetchall()]


def _forms(tokens: set[str]) -> set[str]:
    if not tokens:
        return set()
    return set(SearchTerm.objects.filter(token__in=sorted(tokens)).values_list("word", flat=True))


def search(filters: SearchFilters, *, log: bool = False) -> SearchResults:
    """The page ``filters.page`` of the documents matching ``filters.q``, best first
    (``ORDER``)."""
    labels = sources.kinds()
    result = SearchResults(filters=filters, page=max(1, min(filters.page, MAX_PAGE)))
    query = parse(filters.q)
    result.query = query
    if not query.is_empty:
        resolve(query)
        result.corrections = query.corrections()
    if query.is_empty or query.impossible:
        if log and not query.is_empty:
            log_query(zero=True)
        return result
    backend = backends.backend()
    facet_rows = _facets(backend.hits(query, rank=backends.COUNT), filters)
    by_kind: dict[str, int] = {}
    by_year: dict[int, int] = {}
    for kind, year, count in facet_rows:
        by_kind[kind] = by_kind.get(kind, 0) + count
        if (not filters.kinds or kind in filters.kinds) and year:
            by_year[year] = by_year.get(year, 0) + count
    result.kind_facets = [
        Facet(kind, label, by_kind[kind], kind in filters.kinds)
        for kind, label in labels.items()
        if kind in by_kind
    ]
    result.year_facets = [
        Facet(str(year), str(year), n) for year, n in sorted(by_year.items(), reverse=True)
    ]
    result.total = sum(n for k, n in by_kind.items() if not filters.kinds or k in filters.kinds)
    result.pages = min(MAX_PAGE, -(-result.total // PER_PAGE))
    if log and result.page == 1:
        log_query(zero=result.total == 0)
    if not result.total or result.page > result.pages:
        return result
    rank = backends.FULL if result.total <= RANK_LIMIT else backends.TITLES
    ids = _page_ids(backend.hits(query, rank=rank), filters, (result.page - 1) * PER_PAGE)
    documents = SearchDocument.objects.defer("title_index", "body_index").in_bulk(ids)
    pattern = snippets.forms_pattern(_forms(query.tokens()))
    for pk in ids:
        doc = documents[pk]
        result.results.append(
            Result(
                kind=doc.kind,
                kind_label=labels.get(doc.kind, doc.kind),
                title=snippets.highlight(doc.title, pattern),
                plain_title=doc.title,
                label=doc.label,
                date=doc.date,
                url=doc.url,
                snippet=snippets.snippet(doc.text or doc.label, pattern),
            )
        )
    return result


def suggest(q: str, *, limit: int = SUGGESTIONS) -> list[str]:
    """Completions of the query being typed: its last word completed with the indexed words
    that begin with it, the most frequent first."""
    text = (q or "")[:200]
    found = list(morphology.words(text))
    if not found or found[-1].end() < len(text.rstrip()):
        return []
    prefix = morphology.normalise(found[-1].group())
    if len(prefix) < SUGGEST_MIN_PREFIX:
        return []
    head = text[: found[-1].start()]
    words = (
        SearchTerm.objects.filter(word__gte=prefix, word__lt=prefix + "\U0010ffff")
        .order_by("-documents", "word")
        .values_list("word", flat=True)[:limit]
    )
    return [f"{head}{word}" for word in words]


def log_query(*, zero: bool) -> None:
    """Count one query of today (and whether it found nothing): two statements at most, no
    text and no address kept. A failure to count never fails the search."""
    today = timezone.localdate()
    try:
        with transaction.atomic():
            updated = SearchQueryDay.objects.filter(day=today).update(
                queries=F("queries") + 1, zero_results=F("zero_results") + int(zero)
            )
            if not updated:
                SearchQueryDay.objects.create(day=today, queries=1, zero_results=int(zero))
    except DatabaseError:
        pass


def period_stats(start: dt.date, end: dt.date) -> dict:
    """Search's part of the activity report for [start, end]: queries made on the public page
    and the API, of them without results, and the documents in the index now by kind."""
    totals = SearchQueryDay.objects.filter(day__gte=start, day__lte=end).aggregate(
        queries=Sum("queries"), zero_results=Sum("zero_results")
    )
    counts = dict(SearchDocument.objects.values_list("kind").annotate(n=Count("id")).order_by())
    return {
        "queries": totals["queries"] or 0,
        "zero_result_queries": totals["zero_results"] or 0,
        "documents": counts,
    }
