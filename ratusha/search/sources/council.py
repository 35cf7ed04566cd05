"""The council in the index: deputies (a mandate in a convocation), meetings (sessions,
commission and executive committee meetings) and their agenda items, linked to the council's
public pages. Everything here is public in the council's pages; votes are found through their
meeting."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ratusha.council.models import AgendaItem, Deputy, Meeting, Membership

from . import Doc, Source, register

AGENDA_ANCHOR = "#agenda-title"


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _bodies(deputy: Deputy) -> list[str]:
    """The names of the bodies (faction, commissions) the deputy belongs to in the mandate's
    convocation, from the prefetched memberships."""
    names = []
    for membership in deputy.person.memberships.all():
        body = membership.organization
        if body.convocation_id == deputy.convocation_id and body.name not in names:
            names.append(body.name)
    return names


def _deputy_doc(deputy: Deputy) -> Doc:
    person = deputy.person
    return Doc(
        kind="deputy",
        object_id=str(deputy.pk),
        title=person.full_name,
        url=reverse("council:deputy", kwargs={"pk": deputy.pk}),
        text=_join(
            str(deputy.convocation),
            deputy.district,
            deputy.nominated_by,
            "\n".join(_bodies(deputy)),
            person.reception_hours,
            person.biography,
        ),
        date=deputy.start_date,
        label=_("deputy, %(convocation)s") % {"convocation": deputy.convocation},
    )


def _meeting_doc(meeting: Meeting) -> Doc:
    return Doc(
        kind="meeting",
        object_id=str(meeting.pk),
        title=str(meeting),
        url=reverse("council:meeting", kwargs={"pk": meeting.pk}),
        text=_join(
            meeting.organization.name if meeting.organization_id else "",
            meeting.place,
            meeting.notes,
        ),
        date=meeting.date,
        label=str(meeting.convocation),
    )


def _item_doc(item: AgendaItem) -> Doc:
    meeting = item.meeting
    return Doc(
        kind="agenda_item",
        object_id=f"{meeting.pk}.{item.pk}",
        title=item.title,
        url=reverse("council:meeting", kwargs={"pk": meeting.pk}) + AGENDA_ANCHOR,
        text=_join(item.rapporteur, item.commission_conclusion),
        date=meeting.date,
        label=f"{meeting}, {meeting.date:%d.%m.%Y}",
    )


def _deputies():
    memberships = Membership.objects.select_related("organization").order_by(
        "organization__sort_order", "organization__name", "id"
    )
    return (
        Deputy.objects.select_related("person", "convocation")
        .prefetch_related(Prefetch("person__memberships", queryset=memberships))
        .order_by("id")
    )


def _meetings():
    return Meeting.objects.select_related("convocation", "organization").order_by("id")


def _items():
    return AgendaItem.objects.select_related("meeting__convocation").order_by("id")


class CouncilSource(Source):
    name = "council"
    kinds = {
        "meeting": _("Sessions and meetings"),
        "agenda_item": _("Agenda items"),
        "deputy": _("Deputies"),
    }

    def documents(self, kind=None) -> Iterator[Doc]:
        if kind in (None, "deputy"):
            yield from map(_deputy_doc, _deputies().iterator(chunk_size=1000))
        if kind in (None, "meeting"):
            yield from map(_meeting_doc, _meetings().iterator(chunk_size=1000))
        if kind in (None, "agenda_item"):
            yield from map(_item_doc, _items().iterator(chunk_size=1000))

    def fetch(self, kind: str, object_ids: Iterable[str]) -> dict[str, Doc | None]:
        keys = [str(key) for key in object_ids]
        if kind == "deputy":
            ids = [int(key) for key in keys if key.isdigit()]
            found = {str(d.pk): _deputy_doc(d) for d in _deputies().filter(pk__in=ids)}
        elif kind == "meeting":
            ids = [int(key) for key in keys if key.isdigit()]
            found = {str(m.pk): _meeting_doc(m) for m in _meetings().filter(pk__in=ids)}
        elif kind == "agenda_item":
            ids = [int(key.split(".")[-1]) for key in keys if key.split(".")[-1].isdigit()]
            found = {}
            for item in _items().filter(pk__in=ids):
                doc = _item_doc(item)
                found[doc.object_id] = doc
        else:
            raise KeyError(kind)
        return {key: found.get(key) for key in keys}

    def meeting_items(self, meeting_id: int) -> list[Doc]:
        """The agenda items a meeting has now (their documents)."""
        return [_item_doc(item) for item in _items().filter(meeting_id=meeting_id)]


register(CouncilSource())


# Which documents show a record of another kind (for the receivers of person_changed,
# body_changed and convocation_changed) --------------------------------------------------------


def deputies_of_person(person_id: int) -> list[str]:
    """The mandates of a person: their documents carry the person's name and card."""
    return [
        str(pk) for pk in Deputy.objects.filter(person_id=person_id).values_list("pk", flat=True)
    ]


def deputies_of_convocation(convocation_id: int) -> list[str]:
    return [
        str(pk)
        for pk in Deputy.objects.filter(convocation_id=convocation_id).values_list("pk", flat=True)
    ]


def meetings_of(*, convocation_id: int | None = None, organization_id: int | None = None):
    meetings = Meeting.objects.all()
    if convocation_id is not None:
        meetings = meetings.filter(convocation_id=convocation_id)
    if organization_id is not None:
        meetings = meetings.filter(organization_id=organization_id)
    return [str(pk) for pk in meetings.order_by("pk").values_list("pk", flat=True)]


def body_convocation(organization_id: int) -> int | None:
    from ratusha.council.models import Organization

    return (
        Organization.objects.filter(pk=organization_id)
        .values_list("convocation_id", flat=True)
        .first()
    )
