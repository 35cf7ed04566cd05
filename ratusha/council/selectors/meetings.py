"""Meetings (the calendar, a meeting's page, the iCalendar feeds), roll-call votes, the
projector in the session hall, and the council's section of an act's page."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ratusha.acts.models import Act
from ratusha.core.site_urls import UrlPattern

from ..choices import ItemResult, OrganizationKind
from ..models import (
    AgendaItem,
    Deputy,
    Meeting,
    Membership,
    Organization,
    Sitting,
    VoteEvent,
)
from .common import (
    CALENDAR_DAYS_BACK,
    LATEST_VOTES,
    UPCOMING_LIMIT,
    _choice_groups,
    _in_force,
    _today,
    public_vote_events,
)

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
    deputy_url, person_url = UrlPattern("council:deputy"), UrlPattern("council:person")
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
