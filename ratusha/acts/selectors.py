"""Reads of the acts registry: the public list with filters, an act's page, the deadline
dashboard and the statistics for the activity report."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ratusha.core import workdays

from .choices import ActStatus
from .models import Act, ActFile, ActKind, ActVersion
from .numbers import number_key

SORTS = {
    "-date": ("-date", "-id"),
    "date": ("date", "id"),
    "number": ("number_key", "id"),
    "-number": ("-number_key", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}
MAX_WORDS = 10


@dataclass(frozen=True)
class ActFilters:
    kind: str = ""  # ActKind.code
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    number: str = ""
    issuing_body: str = ""
    status: str = ""
    words: str = ""
    sort: str = "-date"


def kind_list() -> QuerySet[ActKind]:
    return ActKind.objects.all()


def public_acts() -> QuerySet[Act]:
    """Acts the public sees: published and not internal."""
    return Act.objects.filter(published_at__isnull=False, is_internal=False)


def _word_matches(word: str) -> Q:
    """Title or text contains ``word``, whatever the case of its Cyrillic letters.

    SQLite's LIKE folds only ASCII letters, so there the match is a regular expression (Django
    runs it with Python's Unicode-aware ``re``); PostgreSQL's ILIKE folds Cyrillic itself."""
    if connection.vendor == "sqlite":
        pattern = re.escape(word)
        return Q(title__iregex=pattern) | Q(text__iregex=pattern)
    return Q(title__icontains=word) | Q(text__icontains=word)


def _number_matches(number: str) -> Q:
    """The number in any spelling («№ 245-VIII», «245-viii», «№245-VIII»); the bare «245»
    also finds «245-VIII»."""
    key = number_key(number)
    return Q(number_key=key) | Q(number_key__startswith=f"{key}-")


def _filtered(acts: QuerySet[Act], filters: ActFilters) -> QuerySet[Act]:
    if filters.kind:
        acts = acts.filter(kind__code=filters.kind)
    if filters.year:
        acts = acts.filter(year=filters.year)
    if filters.date_from:
        acts = acts.filter(date__gte=filters.date_from)
    if filters.date_to:
        acts = acts.filter(date__lte=filters.date_to)
    if filters.number and number_key(filters.number):
        acts = acts.filter(_number_matches(filters.number))
    if filters.issuing_body:
        acts = acts.filter(issuing_body=filters.issuing_body)
    if filters.status:
        acts = acts.filter(status=filters.status)
    for word in filters.words.split()[:MAX_WORDS]:
        acts = acts.filter(_word_matches(word))
    return acts.order_by(*SORTS.get(filters.sort, SORTS["-date"]))


def act_list(filters: ActFilters, *, public: bool = True) -> QuerySet[Act]:
    """Acts matching ``filters``, sorted, with what a list row shows joined in."""
    acts = public_acts() if public else Act.objects.all()
    return _filtered(acts, filters).select_related("kind", "unit").defer("text")


EXPORT_COLUMNS = (
    "id",
    "kind_id",
    "number",
    "date",
    "title",
    "issuing_body",
    "status",
    "published_at",
    "updated_at_public",
)


def act_export_rows(filters: ActFilters) -> QuerySet:
    """The public acts matching ``filters`` as tuples of ``EXPORT_COLUMNS``, for CSV/JSON
    export: no joins (kinds are looked up once by the caller), no text."""
    return _filtered(public_acts(), filters).values_list(*EXPORT_COLUMNS)


def act_get(pk: int, *, public: bool = True) -> Act:
    """An act with everything its page shows: versions with files, links both ways."""
    acts = public_acts() if public else Act.objects.all()
    visible = public_acts() if public else Act.objects.all()
    related = visible.select_related("kind").only(
        "id", "kind__name", "number", "date", "title", "kind_id"
    )
    versions = ActVersion.objects.order_by("-number")
    if public:
        versions = versions.filter(published_at__isnull=False)
    return (
        acts.select_related("kind", "unit", "adopted_as__kind")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=versions.prefetch_related(
                    Prefetch("files", queryset=ActFile.objects.order_by("id"))
                ),
            ),
            Prefetch("amends", queryset=related),
            Prefetch("amended_by", queryset=related),
            Prefetch("cancels", queryset=related),
            Prefetch("cancelled_by", queryset=related),
            Prefetch("drafts", queryset=related),
        )
        .get(pk=pk)
    )


def act_file_get(*, act_id: int, file_id: int) -> ActFile:
    """A file of a published version of a public act (``ActFile.DoesNotExist`` otherwise)."""
    return ActFile.objects.select_related("version").get(
        pk=file_id,
        version__act_id=act_id,
        version__published_at__isnull=False,
        version__act__published_at__isnull=False,
        version__act__is_internal=False,
    )


FEED_SIZE = 50


def kind_feed_acts(kind: ActKind) -> list[Act]:
    """The latest published acts of ``kind``, newest publication first, for its Atom feed."""
    return list(
        public_acts()
        .filter(kind=kind)
        .select_related("kind")
        .defer("text")
        .order_by("-published_at", "-id")[:FEED_SIZE]
    )


# Deadline control ------------------------------------------------------------------------------


@dataclass
class DeadlineBoard:
    overdue: list[Act]
    due_today: list[Act]
    due_soon: list[Act]
    horizon: dt.date


def unpublished_with_deadline() -> QuerySet[Act]:
    return (
        Act.objects.filter(
            published_at__isnull=True,
            is_internal=False,
            publication_due__isnull=False,
        )
        .exclude(status__in=[ActStatus.WITHDRAWN, ActStatus.CANCELLED, ActStatus.REJECTED])
        .select_related("kind", "unit")
        .defer("text")
    )


def deadline_board(*, today: dt.date | None = None, unit_id: int | None = None) -> DeadlineBoard:
    """What is overdue, due today and due within 3 working days, not yet published."""
    today = today or timezone.localdate()
    horizon = workdays.add_working_days(today, 3)
    acts = unpublished_with_deadline().filter(publication_due__lte=horizon)
    if unit_id is not None:
        acts = acts.filter(unit_id=unit_id)
    acts = list(acts.order_by("publication_due", "unit__name", "id"))
    return DeadlineBoard(
        overdue=[a for a in acts if a.publication_due < today],
        due_today=[a for a in acts if a.publication_due == today],
        due_soon=[a for a in acts if a.publication_due > today],
        horizon=horizon,
    )


def period_stats(start: dt.date, end: dt.date) -> dict:
    """Counts for the activity report over [start, end], by kind: registered, published,
    published late."""
    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    registered = Q(acts__created_at__gte=start_at, acts__created_at__lt=end_at)
    published = Q(acts__published_at__gte=start_at, acts__published_at__lt=end_at)
    rows = ActKind.objects.annotate(
        registered=Count("acts", filter=registered),
        published=Count("acts", filter=published),
        published_late=Count("acts", filter=published & Q(acts__published_late=True)),
    ).order_by("sort_order", "name")
    by_kind = {
        row.code: {
            "name": row.name,
            "registered": row.registered,
            "published": row.published,
            "published_late": row.published_late,
        }
        for row in rows
    }
    return {
        "by_kind": by_kind,
        "registered": sum(v["registered"] for v in by_kind.values()),
        "published": sum(v["published"] for v in by_kind.values()),
        "published_late": sum(v["published_late"] for v in by_kind.values()),
    }
