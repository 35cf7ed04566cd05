"""The public search page (``/search/``) and the JSON API (``/api/v1/search``,
``/api/v1/search/suggest``). Both read the same filters and call the same selector; results
are never cached (the index changes after the records, through the worker)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors, services, sources
from .forms import read_filters

PAGE_WINDOW = 2


def _page_range(current: int, pages: int) -> list[int | None]:
    """Page numbers to link (None for a gap): the first, the last and two around the current."""
    shown = {1, pages, *range(current - PAGE_WINDOW, current + PAGE_WINDOW + 1)}
    numbers, previous = [], 0
    for number in sorted(n for n in shown if 1 <= n <= pages):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


@require_GET
@never_cache
def search_page(request):
    filters, errors = read_filters(request.GET)
    results = selectors.search(filters)
    services.query_count(results)
    return render(
        request,
        "search/search.html",
        {
            "filters": filters,
            "errors": errors,
            "results": results,
            "kinds": sources.kinds(),
            "page_range": _page_range(results.page, results.pages),
            "date_from": request.GET.get("from", "")[:32],
            "date_to": request.GET.get("to", "")[:32],
        },
    )


def _facet(facet) -> dict:
    return {"value": facet.value, "label": str(facet.label), "count": facet.count}


@require_GET
@never_cache
def api_search(request):
    """``{"query", "total", "page", "pages", "facets": {"kind", "year"}, "results": [{kind,
    kind_label, title, label, date, url, snippet}], "corrections"}``; ``snippet`` is HTML with
    the matched words in ``<mark>``. A malformed date is a 400 naming the parameter."""
    filters, errors = read_filters(request.GET)
    if errors:
        return JsonResponse(
            {"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    results = selectors.search(filters)
    services.query_count(results)
    payload = {
        "query": filters.q,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "facets": {
            "kind": [_facet(f) for f in results.kind_facets],
            "year": [_facet(f) for f in results.year_facets],
        },
        "results": [
            {
                "kind": r.kind,
                "kind_label": str(r.kind_label),
                "title": r.plain_title,
                "label": r.label,
                "date": r.date.isoformat() if r.date else None,
                "url": request.build_absolute_uri(r.url),
                "snippet": str(r.snippet),
            }
            for r in results.results
        ],
        "corrections": [{"typed": a, "found": b} for a, b in results.corrections],
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@require_GET
@never_cache
def api_suggest(request):
    """``{"query", "suggestions": [...]}``: the query with its last word completed."""
    q = request.GET.get("q", "")
    return JsonResponse(
        {"query": q[:200], "suggestions": selectors.suggest(q)},
        json_dumps_params={"ensure_ascii": False},
    )
