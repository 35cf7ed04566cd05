"""Reads of the search index: a search with filters, facets and highlighted snippets, the
suggestions while typing, and the statistics for the activity report.

A search costs a fixed number of queries whatever it finds: the vocabulary (one, more only
for unknown words and typos), the page of results, the facets, the documents of the page and
the forms to highlight.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, CharField, Count, Exists, OuterRef, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from . import backends, docids, morphology, snippets, sources
from .models import SearchDocument, SearchQueryDay, SearchTerm
from .query import Query, parse, resolve

PER_PAGE = 10
MAX_PAGE = 100
SUGGESTIONS = 8
SUGGEST_MIN_PREFIX = 2
# Above this many hits the text matches are not scored: a word found in thousands of documents
# tells them apart poorly, and newest first is then the better (and far cheaper) order.
RANK_LIMIT = 2000
MAX_NUMBER_HITS = 100


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


def _id_filter(filters: SearchFilters, *, with_kinds: bool) -> backends.IdFilter:
    codes = docids.kind_codes()
    return backends.IdFilter(
        start=docids.day_start(filters.date_from) if filters.date_from else None,
        end=docids.day_end(filters.date_to) if filters.date_to else None,
        kind_codes=tuple(codes[k] for k in filters.kinds if k in codes) if with_kinds else (),
    )


def _passes(doc_id: int, where: backends.IdFilter) -> bool:
    return (
        (where.start is None or doc_id >= where.start)
        and (where.end is None or doc_id < where.end)
        and (not where.kind_codes or doc_id & docids.KIND_MASK in where.kind_codes)
    )


def _number_ids(query: Query, backend: backends.Backend) -> list[int]:
    """The documents whose number was typed (newest first), if they match the other terms."""
    if not query.numbers or query.impossible:  # a required word matches nothing
        return []
    condition = Q()
    for key in query.numbers:
        condition |= Q(number_key=key) | Q(number_key__gte=f"{key}-", number_key__lt=f"{key}.")
    ids = list(
        SearchDocument.objects.filter(condition)
        .order_by("-pk")
        .values_list("pk", flat=True)[:MAX_NUMBER_HITS]
    )
    text_terms = [t for t in query.positive if not t.number]
    if ids and text_terms:
        keep = backend.fetch_ids(
            backend.expression(text_terms, []), backends.IdFilter(only=tuple(ids))
        )
        ids = [i for i in ids if i in set(keep)]
    if ids and query.negative:
        excluded = backend.any_of([backend.term(t) for t in query.negative])
        drop = set(backend.fetch_ids(excluded, backends.IdFilter(only=tuple(ids))))
        ids = [i for i in ids if i not in drop]
    return ids


def _page(backend, expression, matched, negative, numbers, where, total, offset) -> list[int]:
    """One page of ids in the order of the tiers: the typed act number, the documents with
    every term in the title (newest first), the others (by relevance, newest first when there
    are more than ``RANK_LIMIT``)."""
    numbers = [i for i in numbers if _passes(i, where)]
    ids = numbers[offset : offset + PER_PAGE]
    if expression is None or len(ids) == PER_PAGE:
        return ids
    tier_where = dataclasses.replace(where, exclude=tuple(numbers))
    in_title = backend.in_title(matched)
    title_offset = max(0, offset - len(numbers))
    # every term in the title implies the whole document's match: without exclusions the
    # title's own index answers alone
    found = backend.fetch_ids(
        expression if negative else None,
        tier_where,
        title=in_title,
        order=backends.NEWEST,
        limit=PER_PAGE - len(ids),
        offset=title_offset,
    )
    ids += found
    if len(ids) == PER_PAGE:
        return ids
    titled_count = (
        title_offset + len(found)
        if found or not title_offset
        else backend.count(expression if negative else None, tier_where, title=in_title)
    )
    order = backends.RELEVANCE if total <= RANK_LIMIT else backends.NEWEST
    ids += backend.fetch_ids(
        expression,
        tier_where,
        title=in_title,
        title_excluded=True,
        order=order,
        limit=PER_PAGE - len(ids),
        offset=max(0, offset - len(numbers) - titled_count),
    )
    return ids


def _forms(tokens: set[str]) -> set[str]:
    if not tokens:
        return set()
    return set(SearchTerm.objects.filter(token__in=sorted(tokens)).values_list("word", flat=True))


def search(filters: SearchFilters) -> SearchResults:
    """The page ``filters.page`` of the documents matching ``filters.q``, best first: the act
    with the typed number; then the documents with every term in their title, newest first;
    then those matching in the text, by relevance (bm25 / ts_rank_cd; newest first when there
    are more than ``RANK_LIMIT``). Title tiers and dates are exact, so both backends agree."""
    labels = sources.kinds()
    kinds_by_code = docids.kinds_by_code()
    result = SearchResults(filters=filters, page=max(1, min(filters.page, MAX_PAGE)))
    query = parse(filters.q)
    result.query = query
    if not query.is_empty:
        resolve(query)
        result.corrections = query.corrections()
    backend = backends.backend()
    numbers = _number_ids(query, backend) if not query.is_empty else []
    if query.is_empty or (query.impossible and not numbers):
        return result
    numbered = [t for t in query.positive if t.number and all(w.tokens for w in t.words)]
    matched = [t for t in query.positive if not t.number] + numbered
    expression = None
    if len(matched) == len(query.positive) and not query.impossible:
        expression = backend.expression(matched, query.negative)
    dates_only = _id_filter(filters, with_kinds=False)
    facet_rows = backend.facets(
        expression, dates_only, [i for i in numbers if _passes(i, dates_only)]
    )
    by_kind: dict[str, int] = {}
    by_year: dict[int, int] = {}
    for year, code, count in facet_rows:
        kind = kinds_by_code.get(code, "")
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
    if not result.total or result.page > result.pages:
        return result
    ids = _page(
        backend,
        expression,
        matched,
        query.negative,
        numbers,
        _id_filter(filters, with_kinds=True),
        result.total,
        (result.page - 1) * PER_PAGE,
    )
    documents = SearchDocument.objects.defer("title_index", "body_index").in_bulk(ids)
    pattern = snippets.forms_pattern(_forms(query.tokens()))
    for pk in ids:
        doc = documents.get(pk)
        if doc is None:
            continue
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


def act_words_condition(words: str) -> Q:
    """The acts registry's «words» filter answered by the index (``acts.extensions.
    WORDS_MATCHER``, set in ``SearchConfig.ready``): the acts whose title or text holds every
    word in any of its forms («земельних ділянок» finds «земельна ділянка»; quotes, minus and
    prefixes of unknown words as in a search, no typo corrections). An act the index does not
    hold (not public, withdrawn, or not yet indexed) is matched as written, so the filter
    finds in the staff's and the public's lists what it found before."""
    from ratusha.acts import extensions

    as_written = extensions.words_as_written(words)
    indexed = SearchDocument.objects.filter(
        kind="act", object_id=Cast(OuterRef("pk"), CharField(max_length=64))
    )
    not_indexed = ~Exists(indexed) & as_written
    query = parse(words)
    if query.is_empty:
        return as_written
    resolve(query, typos=False)
    terms = query.positive
    if query.impossible or not all(word.tokens for term in terms for word in term.words):
        return not_indexed
    backend = backends.backend()
    sql, params = backend.ids(
        backend.expression(terms, query.negative),
        backends.IdFilter(kind_codes=(docids.kind_codes()["act"],)),
    )
    matched = (
        SearchDocument.objects.filter(pk__in=RawSQL(sql, params))
        .annotate(act_id=Cast("object_id", BigIntegerField()))
        .values("act_id")
    )
    return Q(pk__in=matched) | not_indexed


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
