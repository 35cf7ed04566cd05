"""Acts in the index: every public act (published, not internal, not withdrawn) with its title,
full text and number, linked to its page in the registry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ratusha.acts.choices import ActStatus
from ratusha.acts.selectors import public_acts

from . import Doc, Source, register

FIELDS = ("id", "number", "number_key", "date", "title", "text", "kind__name")


def _label(row: dict) -> str:
    number = f" № {row['number']}" if row["number"] else ""
    return f"{row['kind__name']}{number} від {row['date']:%d.%m.%Y}"


def _doc(row: dict) -> Doc:
    return Doc(
        kind="act",
        object_id=str(row["id"]),
        title=row["title"],
        url=reverse("acts:detail", kwargs={"pk": row["id"]}),
        text=row["text"],
        date=row["date"],
        label=_label(row),
        number_key=row["number_key"],
    )


def _indexable():
    return public_acts().exclude(status=ActStatus.WITHDRAWN)


class ActsSource(Source):
    name = "acts"
    kinds = {"act": _("Legal acts")}

    def documents(self, kind=None) -> Iterator[Doc]:
        for row in _indexable().order_by("id").values(*FIELDS).iterator(chunk_size=2000):
            yield _doc(row)

    def fetch(self, kind: str, object_ids: Iterable[str]) -> dict[str, Doc | None]:
        ids = [int(pk) for pk in object_ids if str(pk).isdigit()]
        found = {
            str(row["id"]): _doc(row) for row in _indexable().filter(pk__in=ids).values(*FIELDS)
        }
        return {str(pk): found.get(str(pk)) for pk in ids}


register(ActsSource())
