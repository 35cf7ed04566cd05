"""Search's writes besides the index (``indexing.py``): the anonymous count of queries per day
that the activity report reads (``selectors.period_stats``)."""

from __future__ import annotations

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from .models import SearchQueryDay
from .selectors import SearchResults


def query_count(results: SearchResults) -> None:
    """Count the query behind ``results`` once: on its first page (or when it could match
    nothing at all), not when empty. No text and no address is kept; a failure to count never
    fails the search."""
    query = results.query
    if query is None or query.is_empty:
        return
    if results.page != 1 and not (query.impossible and results.pages == 0):
        return
    _count_today(zero=results.total == 0)


def _count_today(*, zero: bool) -> None:
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
