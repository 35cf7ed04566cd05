"""Public reads of the council: convocations, people and bodies, meetings and roll-call votes.

Only published vote events (``published_at`` set) are public; every public function here keeps
to ``public_vote_events()``. The projector (``screen_*``) is the exception: it shows the hall
what was just recorded, published or not, to the staff and deputies only.

Every function owns its ``select_related``/``prefetch_related`` and asks a fixed number of
queries whatever the size of the data; the deputy's page stays fast over millions of votes
(see ``deputy_attendance`` and ``deputy_votes``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from ratusha.acts.models import Act

from ..choices import ItemResult, MeetingKind, MembershipRole, OrganizationKind, VoteChoice
from ..models import (
    AgendaItem,
    Convocation,
    Deputy,
    Meeting,
    Membership,
    Organization,
    Person,
    Sitting,
    Vote,
    VoteEvent,
)

DEPUTY_VOTES_PAGE = 50
MEETINGS_PAGE = 20
UPCOMING_LIMIT = 50
BODY_MEETINGS_LIMIT = 100
LATEST_VOTES = 10
CALENDAR_DAYS_BACK = 90
# Chairs first, then deputy chairs, secretaries and members.
ROLE_ORDER = {
    MembershipRole.CHAIR: 0,
    MembershipRole.DEPUTY_CHAIR: 1,
    MembershipRole.SECRETARY: 2,
    MembershipRole.MEMBER: 3,
}


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _in_force(on: dt.date, prefix: str = "") -> Q:
    """Records (mandates, memberships) in force on ``on``: started (or no start) and not
    ended (or no end)."""
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": on})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def is_current(record, on: dt.date) -> bool:
    return record.end_date is None or record.end_date >= on


def public_vote_events() -> QuerySet[VoteEvent]:
    """Roll-call votes the public sees: the published ones."""
    return VoteEvent.objects.filter(published_at__isnull=False)


def _choice_groups(rows: list[dict]) -> list[dict]:
    """``rows`` (each with a ``choice``) grouped by choice in the order of ``VoteChoice``,
    empty choices included: ``[{"choice", "label", "rows"}]``."""
    by_choice: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_choice[row["choice"]].append(row)
    return [
        {"choice": value, "label": label, "rows": by_choice.get(value, [])}
        for value, label in VoteChoice.choices
    ]


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


# Meetings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFilters:
    kind: str = ""
    year: int | None = None
    month: int | None = None


def _filtered_meetings(filters: MeetingFilters) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all()
    if filters.kind:
        meetings = meetings.filter(kind=filters.kind)
    if filters.year:
        if filters.month:
            start = dt.date(filters.year, filters.month, 1)
            end = (start + dt.timedelta(days=32)).replace(day=1)
        else:
            start, end = dt.date(filters.year, 1, 1), dt.date(filters.year + 1, 1, 1)
        meetings = meetings.filter(date__gte=start, date__lt=end)
    return meetings.only(
        "id", "kind", "title", "number", "date", "start_time", "place", "status", "organization_id"
    )


def upcoming_meetings(
    filters: MeetingFilters = MeetingFilters(),  # noqa: B008 - frozen, never changed
    *,
    today: dt.date | None = None,
    limit: int = UPCOMING_LIMIT,
) -> list[Meeting]:
    """Meetings from ``today`` on, soonest first."""
    return list(
        _filtered_meetings(filters)
        .filter(date__gte=_today(today))
        .order_by("date", "start_time", "id")[:limit]
    )


def past_meetings(
    filters: MeetingFilters = MeetingFilters(),  # noqa: B008 - frozen, never changed
    *,
    today: dt.date | None = None,
) -> QuerySet[Meeting]:
    """Meetings before ``today``, latest first: what the calendar pages."""
    return (
        _filtered_meetings(filters)
        .filter(date__lt=_today(today))
        .order_by("-date", F("start_time").desc(nulls_last=True), "-id")
    )


def meeting_years() -> list[int]:
    """The years that have meetings, newest first (for the calendar's filter)."""
    return sorted({d.year for d in Meeting.objects.dates("date", "year")}, reverse=True)


def latest_votes(limit: int = LATEST_VOTES) -> list[VoteEvent]:
    return list(public_vote_events().select_related("meeting").order_by("-voted_at", "-id")[:limit])


def _act_link(act: Act | None) -> dict | None:
    """An act as an agenda shows it: its name and title, and its address only if public."""
    if act is None:
        return None
    return {
        "act": act,
        "url": act.get_absolute_url() if act.is_public else "",
    }


@dataclass
class MeetingPage:
    meeting: Meeting
    sittings: list[Sitting]
    items: list[dict]  # item, draft, decision, votes
    votes: list[VoteEvent]  # published, in order
    other_votes: list[VoteEvent]  # published, not tied to an item
    minutes: dict | None


def meeting_get(pk: int) -> Meeting:
    """``Meeting.DoesNotExist`` for an unknown id."""
    return Meeting.objects.select_related("convocation", "organization").get(pk=pk)


def meeting_page(pk: int) -> MeetingPage:
    """A meeting with its sittings, agenda (drafts and decisions linked when public) and
    published votes. Four queries."""
    meeting = Meeting.objects.select_related("convocation", "organization", "minutes__kind").get(
        pk=pk
    )
    sittings = list(meeting.sittings.order_by("number"))
    items = list(
        meeting.items.select_related("draft__kind", "decision__kind")
        .defer("draft__text", "decision__text")
        .order_by("position", "id")
    )
    votes = list(public_vote_events().filter(meeting=meeting).order_by("number").defer("source"))
    by_item: dict[int, list[VoteEvent]] = defaultdict(list)
    for event in votes:
        if event.agenda_item_id:
            by_item[event.agenda_item_id].append(event)
    return MeetingPage(
        meeting=meeting,
        sittings=sittings,
        items=[
            {
                "item": item,
                "draft": _act_link(item.draft),
                "decision": _act_link(item.decision),
                "votes": by_item.get(item.pk, []),
            }
            for item in items
        ],
        votes=votes,
        other_votes=[e for e in votes if not e.agenda_item_id],
        minutes=_act_link(meeting.minutes),
    )


def calendar_meetings(today: dt.date | None = None) -> list[Meeting]:
    """Meetings from ``CALENDAR_DAYS_BACK`` days ago on, with their sittings: the iCalendar
    feed. Two queries."""
    since = _today(today) - dt.timedelta(days=CALENDAR_DAYS_BACK)
    return list(
        Meeting.objects.filter(date__gte=since)
        .select_related("organization")
        .prefetch_related("sittings")
        .order_by("date", "start_time", "id")
    )


def meeting_for_calendar(pk: int) -> Meeting:
    return Meeting.objects.select_related("organization").prefetch_related("sittings").get(pk=pk)


# Votes ------------------------------------------------------------------------------------


@dataclass
class VotePage:
    event: VoteEvent
    groups: list[dict]  # choice, label, rows (deputy_id, name, url, faction)


def _factions_on(convocation_id: int, person_ids, on: dt.date) -> dict[int, Organization]:
    rows = (
        Membership.objects.filter(
            person_id__in=person_ids,
            organization__convocation_id=convocation_id,
            organization__kind=OrganizationKind.FACTION,
        )
        .filter(_in_force(on))
        .select_related("organization")
    )
    return {m.person_id: m.organization for m in rows}


def _named_votes(event: VoteEvent) -> list[dict]:
    """The voters of ``event`` by name, each linked to their deputy's page (or, for a member
    of the executive committee who is not a deputy, their own) with their faction on the
    day. Two queries."""
    votes = list(event.votes.select_related("voter").order_by("voter__full_name", "id"))
    factions = _factions_on(
        event.meeting.convocation_id,
        {v.voter_id for v in votes},
        timezone.localdate(event.voted_at),
    )
    deputy_url, person_url = _pattern_url("council:deputy"), _pattern_url("council:person")
    return [
        {
            "choice": vote.choice,
            "voter_id": vote.voter_id,
            "deputy_id": vote.deputy_id,
            "name": vote.voter.full_name,
            "url": deputy_url(vote.deputy_id) if vote.deputy_id else person_url(vote.voter_id),
            "faction": factions.get(vote.voter_id),
        }
        for vote in votes
    ]


def _pattern_url(name: str):
    """``pk → address`` of a URL pattern with one ``reverse``."""
    from django.urls import reverse

    placeholder = 987654321
    start, end = reverse(name, kwargs={"pk": placeholder}).split(str(placeholder))
    return lambda pk: f"{start}{pk}{end}"


def vote_page(pk: int) -> VotePage:
    """A published roll-call vote with the deputies' names grouped by choice (each with their
    faction on the day). ``VoteEvent.DoesNotExist`` for an unknown or unpublished vote.
    Three queries."""
    event = public_vote_events().select_related("meeting__convocation", "agenda_item").get(pk=pk)
    return VotePage(event=event, groups=_choice_groups(_named_votes(event)))


# The projector in the session hall ------------------------------------------------------------


@dataclass
class ScreenPage:
    meeting: Meeting
    items: list[AgendaItem]
    index: int  # 1-based, 0 when the agenda is empty
    item: AgendaItem | None
    event: VoteEvent | None  # the item's last vote, published or not
    groups: list[dict]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def paragraphs(self) -> list[str]:
        text = self.item.draft.text if self.item and self.item.draft else ""
        return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def _screen_index(items: list[AgendaItem], wanted: Any) -> int:
    try:
        number = int(wanted)
    except (TypeError, ValueError):
        number = 0
    if 1 <= number <= len(items):
        return number
    pending = next(
        (i for i, item in enumerate(items, start=1) if item.result == ItemResult.PENDING), None
    )
    return pending or (1 if items else 0)


def screen_page(meeting: Meeting, wanted: Any = None) -> ScreenPage:
    """What the hall's projector shows: item ``wanted`` (1-based; by default the first not yet
    considered, else the first) with the draft's text and, if votes were recorded on it (even
    unpublished: the hall has just seen them), the last one with names by choice."""
    items = list(
        meeting.items.select_related("draft").only(
            "id",
            "position",
            "title",
            "rapporteur",
            "result",
            "changed_at",
            "meeting_id",
            "draft",
            "draft__text",
        )
    )
    index = _screen_index(items, wanted)
    item = items[index - 1] if index else None
    event, groups = None, []
    if item is not None:
        event = (
            VoteEvent.objects.filter(agenda_item=item)
            .select_related("meeting")
            .order_by("-number")
            .first()
        )
        if event is not None:
            groups = _choice_groups(_named_votes(event))
    return ScreenPage(
        meeting=meeting, items=items, index=index, item=item, event=event, groups=groups
    )


def screen_state(screen: ScreenPage) -> str:
    """A token of what the projector shows: the item (and when it last changed), the items'
    count and the shown vote with its totals and publication. Equal tokens, equal screens."""
    item, event = screen.item, screen.event
    parts = [screen.total, screen.index]
    if item is not None:
        parts += [item.pk, item.result, item.title, item.changed_at.isoformat()]
    if event is not None:
        parts += [
            event.pk,
            event.result,
            event.votes_for,
            event.votes_against,
            event.votes_abstain,
            event.votes_not_voting,
            event.votes_absent,
            event.published_at.isoformat() if event.published_at else "",
        ]
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def is_deputy_of(user, convocation_id: int) -> bool:
    """Whether ``user`` logs in as a deputy with a mandate of the convocation."""
    if user is None or not user.is_authenticated:
        return False
    return Deputy.objects.filter(person__user=user, convocation_id=convocation_id).exists()


# The act's page (an extension of the acts registry) -----------------------------------------


def act_agenda_section(act: Act) -> dict | None:
    """For a draft or decision on an agenda: the meetings and the published votes on it, as
    a section of the act's public page (``acts.extensions.ACT_PAGE_SECTIONS``).

    A draft is looked up as such; a decision through the drafts it was adopted from (the act's
    page has them prefetched) and as the item's decision. An act that is neither a draft nor
    adopted from one costs no query (the registry's page keeps its query count); otherwise
    two queries, one when never on an agenda."""
    if act.kind.is_draft:
        matches = Q(draft_id=act.pk)
    else:
        draft_ids = [draft.pk for draft in act.drafts.all()]
        if not draft_ids:
            return None
        matches = Q(decision_id=act.pk) | Q(draft_id__in=draft_ids)
    items = list(
        AgendaItem.objects.filter(matches)
        .select_related("meeting")
        .order_by("meeting__date", "meeting_id", "position")
    )
    if not items:
        return None
    events: dict[int, list[VoteEvent]] = defaultdict(list)
    for event in public_vote_events().filter(agenda_item__in=items).order_by("number"):
        events[event.agenda_item_id].append(event)
    return {
        "template": "council/includes/act_section.html",
        "context": {"items": [{"item": item, "votes": events[item.pk]} for item in items]},
    }


# Activity report ----------------------------------------------------------------------------


def period_stats(start: dt.date, end: dt.date) -> dict:
    """What the council contributes to the activity report for [start, end].

    - meetings held: status «held» and dated in the period, by kind (``meetings_held``), with
      the council sessions also as ``sessions_held``; ``sittings_held`` the plenary sittings
      held in the period;
    - ``agenda_items``: items of the meetings held in the period, ``items_considered`` those
      with an outcome (not pending, not removed), ``decisions_adopted`` those adopted;
    - ``votes_published``: roll-call votes published in the period, of them
      ``votes_published_on_time`` (on the day of the vote) and ``votes_published_late``;
    - ``attendance``: per deputy over the votes published in the period that they were
      called to as a deputy (at sessions and in their commissions; members of the executive
      committee without a mandate are not deputies), ``{deputy id: {"name", "convocation",
      "votes", "present", "absent"}}`` (present: any choice but «absent»), ordered by name.
    """
    from ..choices import MeetingStatus

    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)

    held = Meeting.objects.filter(status=MeetingStatus.HELD, date__gte=start, date__lte=end)
    by_kind = {
        row["kind"]: row["n"] for row in held.values("kind").annotate(n=Count("id")).order_by()
    }
    meetings_held = {kind: by_kind.get(kind, 0) for kind in MeetingKind.values}
    sittings_held = Sitting.objects.filter(
        status=MeetingStatus.HELD, date__gte=start, date__lte=end
    ).count()
    considered = ~Q(result__in=[ItemResult.PENDING, ItemResult.REMOVED])
    items = AgendaItem.objects.filter(meeting__in=held).aggregate(
        total=Count("id"),
        considered=Count("id", filter=considered),
        adopted=Count("id", filter=Q(result=ItemResult.ADOPTED)),
    )
    published = VoteEvent.objects.filter(published_at__gte=start_at, published_at__lt=end_at)
    votes = published.aggregate(total=Count("id"), late=Count("id", filter=Q(published_late=True)))
    attendance_rows = (
        Vote.objects.filter(event__in=published, deputy__isnull=False)
        .values("deputy_id", "deputy__person__full_name", "deputy__convocation__number")
        .annotate(
            votes=Count("id"),
            absent=Count("id", filter=Q(choice=VoteChoice.ABSENT)),
        )
        .order_by("deputy__person__full_name", "deputy_id")
    )
    attendance = {
        row["deputy_id"]: {
            "name": row["deputy__person__full_name"],
            "convocation": row["deputy__convocation__number"],
            "votes": row["votes"],
            "present": row["votes"] - row["absent"],
            "absent": row["absent"],
        }
        for row in attendance_rows
    }
    return {
        "meetings_held": meetings_held,
        "sessions_held": meetings_held[MeetingKind.SESSION],
        "sittings_held": sittings_held,
        "agenda_items": items["total"],
        "items_considered": items["considered"],
        "decisions_adopted": items["adopted"],
        "votes_published": votes["total"],
        "votes_published_on_time": votes["total"] - votes["late"],
        "votes_published_late": votes["late"],
        "attendance": attendance,
    }
