"""Who takes part in a meeting: who votes at it and who is sent its agenda and drafts.

- At a council session: the deputies of the convocation whose mandate is in force on the day.
- At a standing commission's meeting: the commission's members on the day who are deputies in
  office (a commission is made of deputies).
- At the executive committee's meeting: the committee's members on the day; most of them are
  not deputies (deputy heads, the secretary, starostas, heads of institutions).

Other deputies may come to a commission's meeting with a consultative voice (the council's
rules of procedure), but they neither vote there nor are mailed its drafts: the deputy's
cabinet shows them every upcoming meeting of their convocation.

A voter is a person (the key of ``services.MotionInput.choices``), with their mandate in the
convocation when they hold one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..choices import MeetingKind, OrganizationKind
from ..models import Deputy, Meeting, Membership, Person

Period = tuple[dt.date | None, dt.date | None]


def _covers(period: Period, day: dt.date) -> bool:
    start, end = period
    return (start is None or start <= day) and (end is None or end >= day)


@dataclass(frozen=True)
class Voter:
    person: Person
    deputy: Deputy | None  # the person's mandate in the meeting's convocation, if any
    periods: tuple[Period, ...]  # when they are called to vote (mandate or memberships)
    needs_mandate: bool = False  # a commission member votes only while a deputy

    @property
    def pk(self) -> int:
        return self.person.pk

    @property
    def name(self) -> str:
        return self.person.full_name

    @property
    def voting_identifier(self) -> str:
        return self.deputy.voting_identifier if self.deputy is not None else ""

    def serves_on(self, day: dt.date) -> bool:
        if not any(_covers(period, day) for period in self.periods):
            return False
        if self.needs_mandate:
            return self.deputy is not None and _covers(
                (self.deputy.start_date, self.deputy.end_date), day
            )
        return True


def is_plenary(meeting: Meeting) -> bool:
    return meeting.kind == MeetingKind.SESSION or not meeting.organization_id


def voter_pool(meeting: Meeting) -> list[Voter]:
    """Everyone who is ever called to vote at meetings of this kind of body, whenever: every
    deputy of the convocation for a session, every member (past and present) of the body
    otherwise, by name. One query for a session, two for a body."""
    if is_plenary(meeting):
        deputies = (
            Deputy.objects.filter(convocation_id=meeting.convocation_id)
            .select_related("person")
            .order_by("person__full_name", "id")
        )
        return [
            Voter(person=d.person, deputy=d, periods=((d.start_date, d.end_date),))
            for d in deputies
        ]
    memberships = list(
        Membership.objects.filter(organization_id=meeting.organization_id)
        .select_related("person", "organization")
        .order_by("person__full_name", "person_id", "id")
    )
    people: dict[int, Person] = {}
    periods: dict[int, list[Period]] = defaultdict(list)
    for membership in memberships:
        people[membership.person_id] = membership.person
        periods[membership.person_id].append((membership.start_date, membership.end_date))
    mandates = {
        d.person_id: d
        for d in Deputy.objects.filter(
            convocation_id=meeting.convocation_id, person_id__in=list(people)
        )
    }
    commission = bool(memberships) and (
        memberships[0].organization.kind == OrganizationKind.COMMISSION
    )
    return [
        Voter(
            person=person,
            deputy=mandates.get(pk),
            periods=tuple(periods[pk]),
            needs_mandate=commission,
        )
        for pk, person in people.items()
    ]


def voters_on(pool: list[Voter], day: dt.date) -> list[Voter]:
    return [voter for voter in pool if voter.serves_on(day)]


def meeting_voters(meeting: Meeting, on: dt.date | None = None) -> list[Voter]:
    """Who votes at ``meeting`` (and is sent its drafts) on ``on``, by default its date."""
    return voters_on(voter_pool(meeting), on or meeting.date)


def composition(meeting: Meeting, day: dt.date, pool: list[Voter] | None = None) -> int:
    """The full composition a vote on ``day`` counts against: the council's (deputies and the
    head, as the convocation records it) at a session, the body's members on the day at a
    commission's or the executive committee's meeting."""
    if is_plenary(meeting):
        return meeting.convocation.composition
    return len(voters_on(pool if pool is not None else voter_pool(meeting), day))
