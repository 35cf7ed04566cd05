"""Convocations, people (a deputy's page: memberships, attendance, votes) and bodies."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from ..choices import MembershipRole, OrganizationKind, VoteChoice
from ..models import (
    Convocation,
    Deputy,
    Meeting,
    Membership,
    Organization,
    Person,
    Vote,
    VoteEvent,
)
from .common import (
    BODY_MEETINGS_LIMIT,
    ROLE_ORDER,
    _in_force,
    _today,
    is_current,
)

# Convocations ----------------------------------------------------------------------------


def current_convocation(today: dt.date | None = None) -> Convocation | None:
    """The convocation in office: the greatest number that has started by ``today``."""
    return Convocation.objects.filter(start_date__lte=_today(today)).order_by("-number").first()


def convocation_get(number: int) -> Convocation:
    """``Convocation.DoesNotExist`` for an unknown number."""
    return Convocation.objects.get(number=number)


def convocation_list() -> list[Convocation]:
    return list(Convocation.objects.order_by("-number"))


@dataclass
class ConvocationOverview:
    convocation: Convocation
    today: dt.date
    deputies: list[dict] = field(default_factory=list)  # in office: deputy, faction
    former_deputies: list[Deputy] = field(default_factory=list)
    factions: list[dict] = field(default_factory=list)  # organization, size
    commissions: list[dict] = field(default_factory=list)  # organization, chair, size
    groups: list[dict] = field(default_factory=list)
    executive: list[dict] = field(default_factory=list)  # organization, members


def convocation_overview(convocation: Convocation, today: dt.date | None = None):
    """The council of ``convocation`` as it stands ``today``: deputies with their faction,
    factions, commissions with their chairs, deputy groups, the executive committee with its
    members. Three queries."""
    today = _today(today)
    overview = ConvocationOverview(convocation=convocation, today=today)
    organizations = list(
        Organization.objects.filter(convocation=convocation).order_by("kind", "sort_order", "name")
    )
    memberships = list(
        Membership.objects.filter(organization__convocation=convocation)
        .filter(_in_force(today))
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    by_organization: dict[int, list[Membership]] = defaultdict(list)
    faction_of: dict[int, Organization] = {}
    organizations_by_id = {o.pk: o for o in organizations}
    for membership in memberships:
        by_organization[membership.organization_id].append(membership)
        organization = organizations_by_id.get(membership.organization_id)
        if organization is not None and organization.kind == OrganizationKind.FACTION:
            faction_of.setdefault(membership.person_id, organization)

    for deputy in (
        Deputy.objects.filter(convocation=convocation)
        .select_related("person")
        .order_by("person__full_name", "id")
    ):
        if deputy.end_date is not None and deputy.end_date < today:
            overview.former_deputies.append(deputy)
        elif deputy.start_date <= today:
            overview.deputies.append(
                {"deputy": deputy, "faction": faction_of.get(deputy.person_id)}
            )

    for organization in organizations:
        members = sorted(
            by_organization.get(organization.pk, []),
            key=lambda m: (ROLE_ORDER.get(m.role, 9), m.person.full_name),
        )
        chair = next((m.person for m in members if m.role == MembershipRole.CHAIR), None)
        row = {"organization": organization, "size": len(members), "chair": chair}
        if organization.kind == OrganizationKind.FACTION:
            overview.factions.append(row)
        elif organization.kind == OrganizationKind.COMMISSION:
            overview.commissions.append(row)
        elif organization.kind == OrganizationKind.GROUP:
            overview.groups.append(row)
        else:
            overview.executive.append({**row, "members": members})
    return overview


# People -------------------------------------------------------------------------------------


def deputy_get(pk: int) -> Deputy:
    """A mandate with its person (and photo) and convocation; ``Deputy.DoesNotExist``."""
    return Deputy.objects.select_related("person__photo", "convocation").get(pk=pk)


def person_latest_mandate(pk: int) -> tuple[Person, Deputy | None]:
    """The person (``Person.DoesNotExist``) and their mandate in the latest convocation."""
    person = Person.objects.select_related("photo").get(pk=pk)
    mandate = (
        Deputy.objects.filter(person=person)
        .order_by("-convocation__number", "-start_date")
        .only("id")
        .first()
    )
    return person, mandate


def person_memberships(person: Person) -> list[Membership]:
    """Every place of a person (without a mandate) in the council's bodies, newest first."""
    return list(
        Membership.objects.filter(person=person)
        .select_related("organization__convocation")
        .order_by("-organization__convocation__number", F("start_date").desc(nulls_last=True))
    )


def deputy_memberships(deputy: Deputy) -> list[Membership]:
    """The deputy's places in the bodies of their convocation: current ones first."""
    memberships = list(
        Membership.objects.filter(
            person_id=deputy.person_id, organization__convocation_id=deputy.convocation_id
        )
        .select_related("organization")
        .order_by("organization__kind", F("start_date").desc(nulls_last=True), "id")
    )
    today = timezone.localdate()
    return sorted(memberships, key=lambda m: not is_current(m, today))


def deputy_other_mandates(deputy: Deputy) -> list[Deputy]:
    return list(
        Deputy.objects.filter(person_id=deputy.person_id)
        .exclude(pk=deputy.pk)
        .select_related("convocation")
        .order_by("-convocation__number")
    )


@dataclass
class Attendance:
    """A deputy's choices over the published votes of their convocation."""

    counts: dict[str, int]
    total: int
    present: int

    @property
    def share_present(self) -> float | None:
        """Per cent of the votes the deputy was present at (any choice but «absent»)."""
        if not self.total:
            return None
        return round(100 * self.present / self.total, 1)

    @property
    def rows(self) -> list[dict]:
        return [
            {"choice": value, "label": label, "count": self.counts.get(value, 0)}
            for value, label in VoteChoice.choices
        ]


def _counts_by_choice(votes: QuerySet[Vote]) -> dict[str, int]:
    return dict(votes.values("choice").annotate(n=Count("*")).order_by().values_list("choice", "n"))


def deputy_attendance(deputy: Deputy) -> Attendance:
    """Counts per choice over the published votes, in two queries that read no vote's row:
    all the deputy's votes counted along the ``(deputy, choice)`` index, less those of the
    few unpublished events (found by their partial index, each looked up in the ``(deputy,
    event)`` index). Joining every vote to its event to test ``published_at`` costs twice
    as much over 25,000 votes. A deputy votes only in their own convocation, so the
    convocation needs no filter."""
    counts = _counts_by_choice(Vote.objects.filter(deputy_id=deputy.pk))
    unpublished = VoteEvent.objects.filter(published_at__isnull=True).values("pk")
    for choice, n in _counts_by_choice(
        Vote.objects.filter(deputy_id=deputy.pk, event_id__in=unpublished)
    ).items():
        counts[choice] -= n
    counts = {choice: n for choice, n in counts.items() if n}
    total = sum(counts.values())
    return Attendance(counts=counts, total=total, present=total - counts.get(VoteChoice.ABSENT, 0))


class KnownCountRows:
    """What a ``Paginator`` pages when the count is already known (from the attendance
    counts): no ``COUNT`` over the join, and each page fetched as one sliced query."""

    def __init__(self, queryset: QuerySet, count: int):
        self._queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return list(self._queryset[key])


def deputy_votes(deputy: Deputy, attendance: Attendance, choice: str = "") -> KnownCountRows:
    """The deputy's published votes, newest first (by event id, walking the ``(deputy,
    event)`` index backwards), optionally of one choice; rows are dicts with the event's
    number, motion, time, result and meeting. Paged without a ``COUNT``."""
    votes = Vote.objects.filter(deputy_id=deputy.pk, event__published_at__isnull=False)
    if choice:
        votes = votes.filter(choice=choice)
        count = attendance.counts.get(choice, 0)
    else:
        count = attendance.total
    rows = votes.order_by("-event_id").values(
        "event_id",
        "choice",
        number=F("event__number"),
        title=F("event__title"),
        voted_at=F("event__voted_at"),
        result=F("event__result"),
        meeting_id=F("event__meeting_id"),
        meeting_title=F("event__meeting__title"),
    )
    return KnownCountRows(rows, count)


# Bodies -----------------------------------------------------------------------------------


@dataclass
class BodyPage:
    organization: Organization
    current: list[dict]  # membership, url
    former: list[dict]
    meetings: list[Meeting]


def organization_page(pk: int, today: dt.date | None = None) -> BodyPage:
    """A body with its members over time (current and former, chairs first; each linked to
    the deputy's page when the person holds a mandate of the convocation) and its meetings.
    ``Organization.DoesNotExist`` for an unknown id. Four queries."""
    today = _today(today)
    organization = Organization.objects.select_related("convocation").get(pk=pk)
    memberships = list(
        Membership.objects.filter(organization=organization)
        .select_related("person")
        .order_by("person__full_name", F("start_date").desc(nulls_last=True), "id")
    )
    mandates = dict(
        Deputy.objects.filter(
            convocation_id=organization.convocation_id,
            person_id__in={m.person_id for m in memberships},
        ).values_list("person_id", "id")
    )
    current, former = [], []
    for membership in sorted(
        memberships, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.person.full_name)
    ):
        deputy_id = mandates.get(membership.person_id)
        row = {
            "membership": membership,
            "url": Deputy(pk=deputy_id).get_absolute_url()
            if deputy_id
            else membership.person.get_absolute_url(),
        }
        (current if is_current(membership, today) else former).append(row)
    meetings = list(
        Meeting.objects.filter(organization=organization).order_by("-date", "-id")[
            :BODY_MEETINGS_LIMIT
        ]
    )
    return BodyPage(organization=organization, current=current, former=former, meetings=meetings)
