"""Reads of the acts registry: the public list with filters, an act's page, the deadline
dashboard and the statistics for the activity report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from ratusha.core import workdays
from ratusha.core.models import StructuralUnit

from . import extensions
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


@dataclass(frozen=True)
class ActFilters:
    kind: str = ""  # ActKind.code
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    number: str = ""
    issuing_body: str = ""
    unit: str = ""  # StructuralUnit.slug: the acts a unit is responsible for
    status: str = ""
    words: str = ""
    sort: str = "-date"


def kind_list() -> QuerySet[ActKind]:
    return ActKind.objects.all()


def unit_choices() -> list[tuple[str, str]]:
    """``(slug, name)`` of every structural unit, in the units' order, for the unit filter
    (dissolved units too: their acts stay in the registry)."""
    return list(StructuralUnit.objects.order_by("sort_order", "name").values_list("slug", "name"))


def public_acts() -> QuerySet[Act]:
    """Acts the public sees: published and not internal."""
    return Act.objects.filter(published_at__isnull=False, is_internal=False)


def _number_matches(number: str) -> Q:
    """The number in any spelling («№ 245-VIII», «245-viii», «№245-VIII»); the bare «245»
    also finds «245-VIII». The prefix is a range (``-`` is followed by ``.`` in code order),
    which the index on ``number_key`` serves, unlike ``LIKE``."""
    key = number_key(number)
    return Q(number_key=key) | Q(number_key__gte=f"{key}-", number_key__lt=f"{key}.")


def _date_range(filters: ActFilters) -> tuple[dt.date | None, dt.date | None]:
    """The year and the date bounds as one date range. A year is asked as its dates so that
    kind + year walks the (kind, date) index in the list's order instead of sorting."""
    start, end = filters.date_from, filters.date_to
    if filters.year:
        first, last = dt.date(filters.year, 1, 1), dt.date(filters.year, 12, 31)
        start = max(start, first) if start else first
        end = min(end, last) if end else last
    return start, end


def _filtered(acts: QuerySet[Act], filters: ActFilters) -> QuerySet[Act]:
    if filters.kind:
        acts = acts.filter(kind__code=filters.kind)
    start, end = _date_range(filters)
    if start:
        acts = acts.filter(date__gte=start)
    if end:
        acts = acts.filter(date__lte=end)
    if filters.number and number_key(filters.number):
        acts = acts.filter(_number_matches(filters.number))
    if filters.issuing_body:
        acts = acts.filter(issuing_body=filters.issuing_body)
    if filters.unit:
        acts = acts.filter(unit__slug=filters.unit)
    if filters.status:
        acts = acts.filter(status=filters.status)
    if filters.words.strip():
        # as written by default; search, when installed, asks its index (word forms)
        acts = acts.filter(extensions.words_condition(filters.words))
    return acts.order_by(*SORTS.get(filters.sort, SORTS["-date"]))


def act_list(filters: ActFilters, *, public: bool = True) -> QuerySet[Act]:
    """Acts matching ``filters``, sorted, with what a list row shows joined in."""
    acts = public_acts() if public else Act.objects.all()
    return _filtered(acts, filters).select_related("kind", "unit").defer("text")


def act_list_ids(filters: ActFilters) -> QuerySet:
    """Ids of the public acts matching ``filters``, in list order: what a paginator slices.

    Paging over ids alone lets an index answer the count and the page (``OFFSET`` skips index
    entries, not whole rows with their joins); ``act_rows`` then fetches the page's rows."""
    return _filtered(public_acts(), filters).values_list("id", flat=True)


def act_rows(ids: list[int]) -> list[dict]:
    """What the list shows of the acts ``ids`` (one query, kind joined), in the order of
    ``ids``: plain dicts with id, kind_name, number, date, title and status — a page of a
    hundred rows costs a fraction of what model instances would."""
    if not ids:
        return []
    found = {
        row["id"]: row
        for row in Act.objects.filter(pk__in=ids).values(
            "id", "number", "date", "title", "status", kind_name=F("kind__name")
        )
    }
    return [found[pk] for pk in ids if pk in found]


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


def sitemap_rows() -> QuerySet:
    """``(id, last change)`` of every public act in id order, for the sitemap: no joins, no
    text (the last change is the public text's update, else the publication)."""
    return (
        public_acts()
        .order_by("id")
        .annotate(changed=Coalesce("updated_at_public", "published_at"))
        .values_list("id", "changed")
    )


def latest_public_change() -> dt.datetime | None:
    """When the public registry last changed (a publication or an update)."""
    return public_acts().aggregate(latest=Max(Coalesce("updated_at_public", "published_at")))[
        "latest"
    ]


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
