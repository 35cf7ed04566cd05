"""Open data in the index: every published dataset (not withdrawn) with its name, its passport's
description, purpose and basis of collection, its keywords and the names of its files, linked to
its public page in the catalogue. Kept current through ``opendata.signals_out.dataset_changed``
(sent after the commit of every change of a dataset, its passport or its files)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusha.opendata.models import Dataset, Resource
from ratusha.opendata.selectors import public_datasets

from . import Doc, Source, register

CHUNK = 500
FIELDS = (
    "id", "identifier", "title", "description", "purpose", "basis", "published_at",
    "holder__name",
)  # fmt: skip


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _extras(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Keywords and file names of these datasets (two queries)."""
    tags: dict[int, list[str]] = defaultdict(list)
    through = Dataset.tags.through.objects.filter(dataset_id__in=ids)
    for dataset_id, name in through.order_by("tag__name").values_list("dataset_id", "tag__name"):
        tags[dataset_id].append(name)
    files: dict[int, list[str]] = defaultdict(list)
    resources = Resource.objects.filter(dataset_id__in=ids).order_by("position", "id")
    for dataset_id, title in resources.values_list("dataset_id", "title"):
        files[dataset_id].append(title)
    return tags, files


def _doc(row: dict, tags: list[str], files: list[str]) -> Doc:
    published = row["published_at"]
    holder = row["holder__name"] or _("the council itself")
    return Doc(
        kind="dataset",
        object_id=str(row["id"]),
        title=row["title"],
        url=Dataset(identifier=row["identifier"]).get_absolute_url(),
        text=_join(
            row["description"],
            ", ".join(tags),
            row["purpose"],
            row["basis"],
            "\n".join(files),
            row["identifier"],
        ),
        date=timezone.localdate(published) if published else None,
        label=str(_("open data; holder: %(holder)s") % {"holder": holder}),
    )


def _docs(rows: list[dict]) -> list[Doc]:
    tags, files = _extras([row["id"] for row in rows])
    return [_doc(row, tags.get(row["id"], []), files.get(row["id"], [])) for row in rows]


class OpenDataSource(Source):
    name = "opendata"
    kinds = {"dataset": _("Open data")}

    def documents(self, kind=None) -> Iterator[Doc]:
        ids = list(public_datasets().order_by("id").values_list("id", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            yield from _docs(
                list(Dataset.objects.filter(pk__in=chunk).order_by("id").values(*FIELDS))
            )

    def fetch(self, kind: str, object_ids: Iterable[str]) -> dict[str, Doc | None]:
        keys = [str(key) for key in object_ids]
        ids = [int(key) for key in keys if key.isdigit()]
        rows = list(public_datasets().filter(pk__in=ids).values(*FIELDS))
        found = {doc.object_id: doc for doc in _docs(rows)}
        return {key: found.get(key) for key in keys}


register(OpenDataSource())
