"""Reads of open data: the public catalogue (ids first, then the page's rows, a fixed number of
queries), a dataset's page, the data for the CKAN API and DCAT, the staff's board of overdue
and due-soon datasets, the register of datasets and the statistics for the activity report."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from .choices import FREQUENCY_PERIOD
from .models import Dataset, Resource, ResourceVersion, Tag

MAX_WORDS = 10
DUE_SOON_DAYS = 14
COUNCIL_HOLDER = "council"  # the holder filter's value for the council itself
SORTS = {
    "title": ("title", "id"),
    "-modified": ("-metadata_modified_at", "-id"),
    "-published": ("-published_at", "-id"),
}


def public_datasets() -> QuerySet[Dataset]:
    """Datasets the public sees: published and not withdrawn."""
    return Dataset.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True)


def word_matches(word: str, fields: tuple[str, ...]) -> Q:
    """Any of ``fields`` contains ``word`` whatever the case of its Cyrillic letters (SQLite's
    LIKE folds only ASCII, so there it is a regular expression)."""
    query = Q()
    for name in fields:
        if connection.vendor == "sqlite":
            query |= Q(**{f"{name}__iregex": re.escape(word)})
        else:
            query |= Q(**{f"{name}__icontains": word})
    return query


def search_words(datasets: QuerySet[Dataset], text: str) -> QuerySet[Dataset]:
    """Datasets whose name, description, identifier or a keyword holds every word."""
    for word in text.split()[:MAX_WORDS]:
        tagged = Tag.objects.filter(word_matches(word, ("name",))).values("pk")
        by_tag = Dataset.tags.through.objects.filter(tag_id__in=tagged).values("dataset_id")
        datasets = datasets.filter(
            word_matches(word, ("title", "description", "identifier")) | Q(pk__in=by_tag)
        )
    return datasets


@dataclass(frozen=True)
class CatalogueFilters:
    words: str = ""
    holder: str = ""  # a unit's slug, or COUNCIL_HOLDER
    format: str = ""
    tag: str = ""
    frequency: str = ""
    sort: str = "title"


def catalogue_ids(filters: CatalogueFilters) -> QuerySet:
    """Ids of the public datasets matching ``filters``, in list order (what the paginator
    slices)."""
    datasets = public_datasets()
    if filters.words:
        datasets = search_words(datasets, filters.words)
    if filters.holder == COUNCIL_HOLDER:
        datasets = datasets.filter(holder__isnull=True)
    elif filters.holder:
        datasets = datasets.filter(holder__slug=filters.holder)
    if filters.format:
        datasets = datasets.filter(
            pk__in=Resource.objects.filter(format=filters.format).values("dataset_id")
        )
    if filters.tag:
        datasets = datasets.filter(
            pk__in=Dataset.tags.through.objects.filter(tag__name=filters.tag).values("dataset_id")
        )
    if filters.frequency:
        datasets = datasets.filter(update_frequency=filters.frequency)
    return datasets.order_by(*SORTS.get(filters.sort, SORTS["title"])).values_list("id", flat=True)


def _formats_by_dataset(ids: list[int]) -> dict[int, list[str]]:
    formats: dict[int, list[str]] = defaultdict(list)
    rows = (
        Resource.objects.filter(dataset_id__in=ids)
        .values_list("dataset_id", "format")
        .distinct()
        .order_by("dataset_id", "format")
    )
    for dataset_id, fmt in rows:
        formats[dataset_id].append(fmt)
    return formats


def _tags_by_dataset(ids: list[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = defaultdict(list)
    rows = (
        Dataset.tags.through.objects.filter(dataset_id__in=ids)
        .values_list("dataset_id", "tag__name")
        .order_by("dataset_id", "tag__name")
    )
    for dataset_id, name in rows:
        tags[dataset_id].append(name)
    return tags


def catalogue_rows(ids: list[int]) -> list[dict]:
    """What the catalogue shows of datasets ``ids`` (three queries), in the order of ``ids``."""
    if not ids:
        return []
    found = {
        row["id"]: row
        for row in Dataset.objects.filter(pk__in=ids).values(
            "id",
            "identifier",
            "title",
            "description",
            "update_frequency",
            "metadata_modified_at",
            "data_modified_at",
            "generator",
            holder_name=F("holder__name"),
        )
    }
    formats = _formats_by_dataset(ids)
    tags = _tags_by_dataset(ids)
    rows = []
    for pk in ids:
        row = found.get(pk)
        if row is None:
            continue
        row["formats"] = formats.get(pk, [])
        row["tags"] = tags.get(pk, [])
        rows.append(row)
    return rows


def filter_options() -> dict:
    """The choices of the catalogue's filters: holders, formats and keywords in use."""
    public = public_datasets()
    holders = list(
        public.filter(holder__isnull=False)
        .values_list("holder__slug", "holder__name")
        .distinct()
        .order_by("holder__name")
    )
    formats = list(
        Resource.objects.filter(dataset__in=public)
        .values_list("format", flat=True)
        .distinct()
        .order_by("format")
    )
    tags = list(
        Dataset.tags.through.objects.filter(dataset__in=public)
        .values("tag__name")
        .annotate(uses=Count("dataset_id"))
        .order_by("-uses", "tag__name")
        .values_list("tag__name", flat=True)[:50]
    )
    return {"holders": holders, "formats": formats, "tags": sorted(tags)}


def dataset_get(identifier: str, *, public: bool = True) -> Dataset:
    """A dataset with what its page shows: holder, keywords, resources with their current
    file and every version (newest first)."""
    datasets = public_datasets() if public else Dataset.objects.all()
    versions = ResourceVersion.objects.order_by("-number").defer("schema")
    resources = Resource.objects.select_related("current").prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="all_versions")
    )
    return (
        datasets.select_related("holder")
        .prefetch_related("tags", Prefetch("resources", queryset=resources))
        .get(identifier=identifier)
    )


def resource_version_get(*, identifier: str, resource_uuid, number: int | None = None):
    """A public dataset's resource version (the current one when ``number`` is None)."""
    resource = (
        Resource.objects.select_related("dataset", "current")
        .filter(dataset__in=public_datasets())
        .get(uuid=resource_uuid, dataset__identifier=identifier)
    )
    if number is None:
        if resource.current is None:
            raise ResourceVersion.DoesNotExist
        return resource.current
    return resource.versions.select_related("resource__dataset").get(number=number)


def home_summary(*, limit: int = 3) -> dict:
    public = public_datasets()
    latest = list(
        public.order_by("-metadata_modified_at", "-id").values(
            "identifier", "title", "metadata_modified_at"
        )[:limit]
    )
    return {"count": public.count() if latest else 0, "latest": latest}


# --- the CKAN API and DCAT -----------------------------------------------------------------

PACKAGE_FIELDS = (
    "id",
    "uuid",
    "identifier",
    "title",
    "description",
    "holder_id",
    "theme",
    "language",
    "compression",
    "update_frequency",
    "actuality_date",
    "data_url",
    "basis",
    "purpose",
    "maintainer_name",
    "maintainer_email",
    "license",
    "published_at",
    "data_modified_at",
    "metadata_created_at",
    "metadata_modified_at",
    "next_due",
    "generator",
)
RESOURCE_FIELDS = (
    "id",
    "uuid_text",
    "dataset_id",
    "title",
    "description",
    "format",
    "position",
    "created_text",
    "modified_text",
    "current__number",
    "current__media_type",
    "current__size",
    "current__sha256",
    "current__row_count",
)


def _as_text(field: str):
    """A column read as the database's text: a page of resources then costs no conversion
    of datetimes and UUIDs into objects that are turned back into text anyway."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    return Cast(field, output_field=CharField())


def db_time_text(value: str | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS.ffffff`` (UTC) from a timestamp cast to text by SQLite
    (``2026-01-15 10:00:00[.ffffff]``) or PostgreSQL (``… [.ffffff]+00``)."""
    if not value:
        return None
    text = value.replace(" ", "T", 1)
    for end in ("+00:00", "+00", "Z"):
        if text.endswith(end):
            text = text[: -len(end)]
            break
    if "." not in text:
        text += ".000000"
    else:
        head, fraction = text.split(".", 1)
        text = f"{head}.{fraction[:6].ljust(6, '0')}"
    return text


def uuid_text(value: str) -> str:
    """The dashed form of a UUID read as text (SQLite keeps 32 hex digits)."""
    digits = value.replace("-", "")
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def package_data(ids: list[int]) -> list[dict]:
    """Everything a CKAN package dict (or a DCAT dataset) needs for datasets ``ids``, in the
    order of ``ids``: four queries, whatever the number of datasets and resources."""
    if not ids:
        return []
    found = {
        values[0]: dict(zip(PACKAGE_FIELDS, values, strict=True))
        for values in Dataset.objects.filter(pk__in=ids).values_list(*PACKAGE_FIELDS)
    }
    resources: dict[int, list[dict]] = defaultdict(list)
    rows = (
        Resource.objects.filter(dataset_id__in=ids)
        .annotate(
            uuid_text=_as_text("uuid"),
            created_text=_as_text("created_at"),
            modified_text=_as_text("modified_at"),
        )
        .order_by("dataset_id", "position", "id")
        .values_list(*RESOURCE_FIELDS)
    )
    for values in rows:
        row = dict(zip(RESOURCE_FIELDS, values, strict=True))
        row["uuid"] = uuid_text(row["uuid_text"])
        row["created"] = db_time_text(row["created_text"])
        row["modified"] = db_time_text(row["modified_text"])
        resources[values[2]].append(row)
    tags = _tags_by_dataset(ids)
    holders = holder_data({row["holder_id"] for row in found.values() if row["holder_id"]})
    result = []
    for pk in ids:
        row = found.get(pk)
        if row is None:
            continue
        row["resources"] = resources.get(pk, [])
        row["tags"] = tags.get(pk, [])
        row["holder"] = holders.get(row["holder_id"])
        result.append(row)
    return result


def holder_data(unit_ids) -> dict[int, dict]:
    from ratusha.core.models import StructuralUnit

    if not unit_ids:
        return {}
    return {
        row["id"]: row
        for row in StructuralUnit.objects.filter(pk__in=list(unit_ids)).values(
            "id", "name", "slug", "functions", "email", "created_at"
        )
    }


def holders_with_datasets() -> list[dict]:
    """The holders of public datasets with their counts; the council itself is ``id None``."""
    rows = (
        public_datasets()
        .values("holder_id")
        .annotate(count=Count("id"))
        .order_by("holder_id")
        .values_list("holder_id", "count")
    )
    counts = dict(rows)
    holders = holder_data({pk for pk in counts if pk})
    result = []
    if None in counts:
        result.append({"id": None, "count": counts[None]})
    for pk, row in sorted(holders.items(), key=lambda item: item[1]["name"]):
        result.append({**row, "count": counts[pk]})
    return result


def latest_modified():
    return public_datasets().aggregate(latest=Max("metadata_modified_at"))["latest"]


def sitemap_rows() -> list[tuple[str, object]]:
    """(address, last change) of each public dataset, in the order of their identifiers."""
    rows = (
        public_datasets().order_by("identifier").values_list("identifier", "metadata_modified_at")
    )
    return [
        (reverse("opendata:dataset", kwargs={"identifier": identifier}), modified)
        for identifier, modified in rows
    ]


# --- the register of datasets (a generated dataset) ----------------------------------------


def register_rows(*, exclude_generator: str = ""):
    """The passports of every public dataset, a row at a time, for the register of datasets."""
    datasets = public_datasets().order_by("identifier")
    if exclude_generator:
        datasets = datasets.exclude(generator=exclude_generator)
    ids = list(datasets.values_list("id", flat=True))
    for start in range(0, len(ids), 500):
        block = ids[start : start + 500]
        rows = {
            row["id"]: row
            for row in Dataset.objects.filter(pk__in=block).values(
                "id",
                "identifier",
                "title",
                "description",
                "update_frequency",
                "published_at",
                "metadata_modified_at",
                "actuality_date",
                "next_due",
                "data_url",
                "basis",
                "purpose",
                "maintainer_name",
                "maintainer_email",
                "license",
                holder_name=F("holder__name"),
            )
        }
        formats = _formats_by_dataset(block)
        tags = _tags_by_dataset(block)
        counts = dict(
            Resource.objects.filter(dataset_id__in=block)
            .values("dataset_id")
            .annotate(n=Count("id"))
            .values_list("dataset_id", "n")
        )
        for pk in block:
            row = rows[pk]
            url = reverse("opendata:dataset", kwargs={"identifier": row["identifier"]})
            yield {
                **row,
                "holder": row["holder_name"] or "",
                "formats": formats.get(pk, []),
                "tags": tags.get(pk, []),
                "resources": counts.get(pk, 0),
                "url": url,
                "structure_url": reverse(
                    "opendata:datapackage", kwargs={"identifier": row["identifier"]}
                ),
            }


# --- staying current -----------------------------------------------------------------------


@dataclass
class DueBoard:
    overdue: list[Dataset]
    due_soon: list[Dataset]
    today: dt.date
    horizon: dt.date


def due_board(
    *, today: dt.date | None = None, unit_id: int | None = None, days: int = DUE_SOON_DAYS
) -> DueBoard:
    """Published datasets whose update is overdue or due within ``days`` days; for one
    unit's datasets when ``unit_id`` is given."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days)
    datasets = public_datasets().filter(next_due__isnull=False, next_due__lte=horizon)
    if unit_id is not None:
        datasets = datasets.filter(holder_id=unit_id)
    datasets = list(datasets.select_related("holder").order_by("next_due", "title", "id"))
    return DueBoard(
        overdue=[d for d in datasets if d.next_due < today],
        due_soon=[d for d in datasets if d.next_due >= today],
        today=today,
        horizon=horizon,
    )


# --- statistics ----------------------------------------------------------------------------


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _missed_deadlines(start: dt.date, end: dt.date) -> int:
    """Updates that came late (or not at all) whose deadline fell within [start, end]: for
    each periodically updated dataset, every update is due one period after the previous one
    (the first after publication)."""
    today = timezone.localdate()
    datasets = public_datasets().filter(generator="", update_frequency__in=list(FREQUENCY_PERIOD))
    info = {
        pk: (frequency, published)
        for pk, frequency, published in datasets.values_list(
            "id", "update_frequency", "published_at"
        )
    }
    updates: dict[int, list[dt.date]] = defaultdict(list)
    for dataset_id, created in (
        ResourceVersion.objects.filter(resource__dataset_id__in=list(info))
        .values_list("resource__dataset_id", "created_at")
        .order_by("resource__dataset_id", "created_at")
    ):
        updates[dataset_id].append(timezone.localdate(created))
    missed = 0
    for pk, (frequency, published) in info.items():
        period = FREQUENCY_PERIOD[frequency]
        moments = sorted(set(updates.get(pk, [])))
        last = moments[0] if moments else timezone.localdate(published)
        while True:
            due = last + period
            if due > end or due >= today:
                break
            following = next((day for day in moments if day > last), None)
            if following is None or following > due:
                if start <= due <= end:
                    missed += 1
                if following is None:
                    break
            last = following
    return missed


def period_stats(start: dt.date, end: dt.date) -> dict:
    """Counts for the activity report over [start, end]: datasets published and updated,
    resources published, new versions of files (uploaded and generated) and updates that
    missed their deadline."""
    start_at, end_at = _bounds(start, end)
    public = public_datasets()
    published = public.filter(published_at__gte=start_at, published_at__lt=end_at)
    versions = ResourceVersion.objects.filter(
        created_at__gte=start_at, created_at__lt=end_at, resource__dataset__in=public
    )
    updated = (
        versions.exclude(resource__dataset__published_at__gte=start_at)
        .values("resource__dataset_id")
        .distinct()
        .count()
    )
    resources = Resource.objects.filter(
        dataset__in=public, created_at__gte=start_at, created_at__lt=end_at
    )
    return {
        "datasets_published": published.count(),
        "datasets_updated": updated,
        "resources_published": resources.count(),
        "file_versions": versions.filter(number__gt=1).count(),
        "generated_versions": versions.exclude(resource__dataset__generator="").count(),
        "overdue_updates": _missed_deadlines(start, end),
        "datasets_total": public.filter(published_at__lt=end_at).count(),
    }
