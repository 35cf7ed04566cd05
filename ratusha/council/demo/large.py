"""The ``large`` demo scale, for benchmarks: ten years of a council, bulk-inserted.

Two convocations of 40 deputies, each with its factions, five standing commissions of eight
and the executive committee (the head, five members without a mandate and two deputies):

- 130 sessions holding 35,000 roll-call votes — 1,400,000 deputies' votes — on agenda items
  of which four in five carry a draft decision (registered three weeks before the session,
  published the next day, numbered: the open data's ``projectNum`` and ``textUrl``);
- before each session, a meeting of every commission on five of its drafts, each voted by
  the commission's members;
- a meeting of the executive committee every other week, half its items on a draft decision
  of the committee, each voted by its members on the day;
- the minutes of every meeting held, as acts of the fitting kind.

Counts follow ``LARGE_*`` below; the totals are counted from the rows and every vote is
published (one in a hundred late). No audit entries and no mailings: this is history for the
benchmarks, not the write path. The shape is checked on a small override
(``tests/test_demo.py``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from ratusha.acts.choices import ActStatus
from ratusha.acts.models import Act, ActKind, ActVersion
from ratusha.acts.numbers import number_key
from ratusha.core.demo_support import HROMADA, DemoContext

from .. import rules
from ..choices import (
    AgendaStatus,
    ItemResult,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    OrganizationKind,
    VoteChoice,
    VoteResult,
    VoteRule,
    VoteSource,
)
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
    roman,
)
from . import (
    COMMISSIONS,
    CONVOCATION_START,
    DRAFT_TITLES,
    EXECUTIVE_ITEM_TITLES,
    EXECUTIVE_STAFF,
    KYIV,
    PARTIES,
    PLACE,
    _title,
    _weekday_on_or_before,
)

LARGE_DEPUTIES = 40
LARGE_CONVOCATIONS = (
    # number, first session, end of powers, sessions, votes held at sessions
    (7, dt.date(2015, 11, 20), dt.date(2020, 11, 19), 60, 10_000),
    (8, CONVOCATION_START, None, 70, 25_000),
)
LARGE_REELECTED = 15  # deputies of the VII convocation elected again to the VIII
DRAFT_SHARE = 0.8  # session items with a draft decision
COMMISSION_ITEMS = 5  # drafts each commission considers before a session
EXECUTIVE_ITEMS = (6, 10)
EXECUTIVE_DRAFT_SHARE = 0.5
VOTE_BATCH = 20_000
ACT_BATCH = 5_000


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KYIV)


def _working_day_before(day: dt.date, days: int) -> dt.date:
    day -= dt.timedelta(days=days)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


# Numbers of the acts made here end in their own suffix, so they never meet the numbers the
# acts demo gives the same kinds.
NUMBER_SUFFIX = {
    "draft-council-decision": "-ПР",
    "draft-executive-decision": "-ПВ",
    "session-minutes": "-ПС",
    "commission-minutes": "-ПК",
    "executive-minutes": "-ПЗ",
}


@dataclass
class _Acts:
    """Acts to insert in bulk, numbered per kind and year as a registry numbers them."""

    kinds: dict[str, ActKind]
    pending: list[tuple[Act, tuple]] = field(default_factory=list)  # act, its owner
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    made: int = 0

    def add(self, code: str, *, day: dt.date, title: str, owner: tuple, **extra) -> None:
        """An act of kind ``code`` dated ``day``, published the next morning. Once flushed
        it is set on ``owner`` = (record, field): a record not yet saved gets it for its own
        insert; a saved one (a meeting's minutes) is updated."""
        kind = self.kinds[code]
        key = (code, day.year)
        self.counters[key] = self.counters.get(key, 0) + 1
        number = f"{self.counters[key]}{NUMBER_SUFFIX.get(code, '')}"
        published = _moment(day + dt.timedelta(days=1), 10)
        act = Act(
            kind=kind,
            number=number,
            number_key=number_key(number),
            date=day,
            year=day.year,
            title=title[:1000],
            issuing_body=kind.issuing_body,
            published_at=published,
            updated_at_public=published,
            text=f"{kind.name.upper()}\n\n{title}\n\n…",
            **extra,
        )
        self.pending.append((act, owner))

    def flush(self) -> None:
        for start in range(0, len(self.pending), ACT_BATCH):
            chunk = self.pending[start : start + ACT_BATCH]
            created = Act.objects.bulk_create([act for act, _owner in chunk])
            ActVersion.objects.bulk_create(
                ActVersion(
                    act=act, number=1, title=act.title, text=act.text, published_at=act.published_at
                )
                for act in created
            )
            saved: dict[tuple[type, str], list] = {}
            for act, (target, attribute) in zip(created, (o for _a, o in chunk), strict=True):
                setattr(target, attribute, act)
                if target.pk is not None:
                    saved.setdefault((type(target), attribute), []).append(target)
            for (model, attribute), targets in saved.items():
                model.objects.bulk_update(targets, [attribute], batch_size=500)
            self.made += len(created)
        self.pending = []


@dataclass
class _Votes:
    """Vote events and their rows, inserted in bulk once their meetings and items exist."""

    events: list[tuple[VoteEvent, list[tuple[int, int | None, str]]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, event: VoteEvent, rows: list[tuple[int, int | None, str]]) -> None:
        self.events.append((event, rows))

    def flush(self) -> None:
        for event, _rows in self.events:
            event.meeting_id = event.meeting.pk
            event.agenda_item_id = event.agenda_item.pk if event.agenda_item else None
        created = VoteEvent.objects.bulk_create([e for e, _r in self.events], batch_size=500)
        rows = [
            (event.pk, voter, deputy, choice)
            for event, (_e, event_rows) in zip(created, self.events, strict=True)
            for voter, deputy, choice in event_rows
        ]
        for offset in range(0, len(rows), VOTE_BATCH):
            _insert_votes(rows[offset : offset + VOTE_BATCH])
        self.counts["vote_events"] = self.counts.get("vote_events", 0) + len(created)
        self.counts["votes"] = self.counts.get("votes", 0) + len(rows)
        self.events = []


def _insert_votes(rows: list[tuple[int, int, int | None, str]]) -> None:
    """Plain ``executemany`` of (event, voter, deputy, choice): a million model instances
    through ``bulk_create`` cost the better part of a minute more, for nothing a benchmark
    needs."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(Vote._meta.get_field(name).column) for name in ("event", "voter", "deputy", "choice")
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(Vote._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)", rows
        )


def _choice(rng, away: bool, contested: bool) -> str:
    roll = rng.random()
    if away or roll < 0.03:
        return VoteChoice.ABSENT
    if contested:
        if roll < 0.45:
            return VoteChoice.FOR
        if roll < 0.7:
            return VoteChoice.AGAINST
        return VoteChoice.ABSTAIN if roll < 0.9 else VoteChoice.NOT_VOTING
    if roll < 0.9:
        return VoteChoice.FOR
    if roll < 0.95:
        return VoteChoice.ABSTAIN
    return VoteChoice.AGAINST if roll < 0.97 else VoteChoice.NOT_VOTING


@dataclass
class _Body:
    organization: Organization
    voters: list[tuple[int, int | None]]  # (person id, deputy id or None)
    number: int = 0


class LargeCouncil:
    """Builds the large scale; ``sizes`` overrides the module's counts (a test builds a
    miniature of the same shape)."""

    def __init__(self, ctx: DemoContext, **sizes):
        self.ctx = ctx
        self.rng = ctx.rng
        self.deputies_per_convocation = sizes.get("deputies", LARGE_DEPUTIES)
        self.convocations = sizes.get("convocations", LARGE_CONVOCATIONS)
        self.reelected = sizes.get("reelected", LARGE_REELECTED)
        self.executive_every = dt.timedelta(days=sizes.get("executive_every_days", 14))
        self.acts = _Acts(kinds={k.code: k for k in ActKind.objects.all()})
        self.votes = _Votes()
        self.counts = {"meetings": 0, "items": 0}

    def build(self) -> dict[str, int]:
        previous: list[Person] = []
        last_day = _weekday_on_or_before(self.ctx.today - dt.timedelta(days=7), 3)
        for number, start, end, sessions, held_total in self.convocations:
            previous = self._convocation(
                number, start, end or last_day, end, sessions, held_total, previous
            )
        return {**self.counts, **self.votes.counts, "acts": self.acts.made}

    # People and bodies -------------------------------------------------------------------

    def _convocation(self, number, start, last, end, sessions, held_total, previous):
        convocation = Convocation.objects.create(
            number=number,
            start_date=start,
            end_date=end,
            composition=self.deputies_per_convocation + 1,
        )
        people = previous[: self.reelected]
        people += Person.objects.bulk_create(
            Person(full_name=self.ctx.person_name())
            for _ in range(self.deputies_per_convocation - len(people))
        )
        deputies = Deputy.objects.bulk_create(
            Deputy(
                person=person,
                convocation=convocation,
                district=f"Територіальний виборчий округ № {1 + index % 6}",
                voting_identifier=f"{index + 1:02d}",
                start_date=start,
                nominated_by=f"Політична партія «{PARTIES[index % len(PARTIES)][0]}»",
            )
            for index, person in enumerate(people)
        )
        commissions, executive = self._bodies(convocation, deputies)
        self.convocation = convocation
        self.deputy_voters = [(d.person_id, d.pk) for d in deputies]
        self.absence = {
            pk: self.rng.choice((0.02, 0.05, 0.08, 0.15)) for pk, _d in self.deputy_voters
        }
        span = (last - start).days
        per_session = held_total // sessions
        for index in range(sessions):
            day = _working_day_before(start + dt.timedelta(days=10 + span * index // sessions), 0)
            held = per_session if index < sessions - 1 else held_total - per_session * index
            items = self._session(index + 1, day, held)
            self._commission_meetings(commissions, day, items)
            self.acts.flush()
            self.votes.flush()
        self._executive_meetings(executive, start, last)
        self.acts.flush()
        self.votes.flush()
        return people

    def _bodies(self, convocation, deputies) -> tuple[list[_Body], _Body]:
        def body(kind, name, short, order):
            return Organization(
                kind=kind,
                convocation=convocation,
                name=name,
                short_name=short,
                start_date=convocation.start_date,
                sort_order=order,
            )

        factions = [
            body(
                OrganizationKind.FACTION,
                f"Депутатська фракція політичної партії «{p}»",
                f"Фракція {s}",
                n,
            )
            for n, (p, s) in enumerate(PARTIES)
        ]
        commissions = [
            body(OrganizationKind.COMMISSION, name, short, n)
            for n, (name, short) in enumerate(COMMISSIONS)
        ]
        executive = body(
            OrganizationKind.EXECUTIVE_COMMITTEE,
            "Виконавчий комітет Вербівської селищної ради",
            "Виконавчий комітет",
            1,
        )
        Organization.objects.bulk_create([*factions, *commissions, executive])
        memberships = []
        members_of: dict[int, list[tuple[int, int | None]]] = {c.pk: [] for c in commissions}
        for index, deputy in enumerate(deputies):
            for group in (factions, commissions):
                organization = group[index % len(group)]
                memberships.append(
                    Membership(
                        person_id=deputy.person_id,
                        organization=organization,
                        role=MembershipRole.CHAIR if index < len(group) else MembershipRole.MEMBER,
                        start_date=convocation.start_date,
                        end_date=convocation.end_date,
                    )
                )
                if organization.pk in members_of:
                    members_of[organization.pk].append((deputy.person_id, deputy.pk))
        staff = Person.objects.bulk_create(
            Person(full_name=self.ctx.person_name()) for _ in range(1 + len(EXECUTIVE_STAFF))
        )
        labels = [(HROMADA["head_title"], MembershipRole.CHAIR), *EXECUTIVE_STAFF]
        executive_voters = []
        for person, (label, role) in zip(staff, labels, strict=True):
            memberships.append(
                Membership(
                    person=person,
                    organization=executive,
                    role=role,
                    label=label,
                    start_date=convocation.start_date,
                    end_date=convocation.end_date,
                )
            )
            executive_voters.append((person.pk, None))
        for deputy in deputies[:2]:
            memberships.append(
                Membership(
                    person_id=deputy.person_id,
                    organization=executive,
                    label="депутат ради",
                    start_date=convocation.start_date,
                    end_date=convocation.end_date,
                )
            )
            executive_voters.append((deputy.person_id, deputy.pk))
        Membership.objects.bulk_create(memberships)
        return (
            [_Body(c, members_of[c.pk]) for c in commissions],
            _Body(executive, executive_voters),
        )

    # Meetings ----------------------------------------------------------------------------

    def _meeting(self, kind, number, day, title, organization=None, hour=10) -> Meeting:
        self.counts["meetings"] += 1
        return Meeting.objects.create(
            kind=kind,
            convocation=self.convocation,
            organization=organization,
            number=number,
            title=title,
            date=day,
            start_time=dt.time(hour, 0),
            place=PLACE,
            status=MeetingStatus.HELD,
            agenda_status=AgendaStatus.APPROVED,
            agenda_approved_at=_moment(day - dt.timedelta(days=10), 15),
            agenda_revision=1,
            video_url=f"https://www.youtube.com/@verbivka-demo/{kind}-{number}"
            if kind == MeetingKind.SESSION
            else "",
        )

    def _minutes(self, meeting: Meeting, code: str, title: str) -> None:
        self.acts.add(
            code,
            day=_working_day_before(meeting.date + dt.timedelta(days=3), 0),
            title=title,
            owner=(meeting, "minutes"),
            status=ActStatus.PUBLISHED,
        )

    def _event(self, meeting, item, number, title, moment, voters, composition, contested):
        away = {pk for pk, _d in voters if self.rng.random() < self.absence.get(pk, 0.05)}
        rows = [(pk, deputy, _choice(self.rng, pk in away, contested)) for pk, deputy in voters]
        totals = rules.totals(choice for _p, _d, choice in rows)
        result = rules.result(
            VoteRule.MAJORITY_OF_COMPOSITION, composition=composition, counts=totals
        )
        late = self.rng.random() < 0.01
        published = moment.replace(hour=20, minute=0) + dt.timedelta(days=2 if late else 0)
        self.votes.add(
            VoteEvent(
                uid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                meeting=meeting,
                agenda_item=item,
                number=number,
                title=title[:1000],
                voted_at=moment,
                rule=VoteRule.MAJORITY_OF_COMPOSITION,
                composition=composition,
                result=result,
                source=VoteSource.IMPORT,
                published_at=published,
                published_late=late,
                **totals,
            ),
            rows,
        )
        return result

    def _session(self, number: int, day: dt.date, held: int) -> list[AgendaItem]:
        """A session of ``held`` votes: each item voted twice (an amendment, then the whole)."""
        title = f"{number} сесія {roman(self.convocation.number)} скликання"
        meeting = self._meeting(MeetingKind.SESSION, number, day, title)
        Sitting.objects.create(
            meeting=meeting, number=1, date=day, start_time=dt.time(10, 0), place=PLACE,
            status=MeetingStatus.HELD,
        )  # fmt: skip
        items = [
            AgendaItem(
                meeting=meeting, position=position + 1, title=_title(self.ctx, DRAFT_TITLES, day)
            )
            for position in range((held + 1) // 2)
        ]
        start = _moment(day, 10, 5)
        for vote in range(held):
            item = items[vote // 2]
            adopted = self._event(
                meeting,
                item,
                vote + 1,
                f"Поправка до проєкту рішення «{item.title}»" if vote % 2 == 0 else item.title,
                start + dt.timedelta(seconds=40 * vote),
                self.deputy_voters,
                self.convocation.composition,
                contested=self.rng.random() < 0.12,
            )
            item.result = (
                ItemResult.ADOPTED if adopted == VoteResult.ADOPTED else ItemResult.REJECTED
            )
        registered = _working_day_before(day, 21)
        for item in items:
            if self.rng.random() < DRAFT_SHARE:
                self.acts.add(
                    "draft-council-decision",
                    day=registered,
                    title=item.title,
                    owner=(item, "draft"),
                    status=ActStatus.ADOPTED
                    if item.result == ItemResult.ADOPTED
                    else ActStatus.REJECTED,
                    convocation=roman(self.convocation.number),
                    consideration_date=day,
                )
        self._minutes(meeting, "session-minutes", f"Протокол {title}")
        self.acts.flush()  # the items' drafts first, then the items
        AgendaItem.objects.bulk_create(items)
        self.counts["items"] += len(items)
        return items

    def _commission_meetings(self, commissions: list[_Body], session_day, items) -> None:
        drafted = [item for item in items if item.draft_id]
        for index, body in enumerate(commissions):
            picked = drafted[index :: len(commissions)][:COMMISSION_ITEMS]
            if not picked:
                continue
            body.number += 1
            day = _working_day_before(session_day, 2 + index % 4)
            name = body.organization.short_name or body.organization.name
            meeting = self._meeting(
                MeetingKind.COMMISSION,
                body.number,
                day,
                f"{name}: засідання № {body.number}",
                organization=body.organization,
                hour=14,
            )
            own = AgendaItem.objects.bulk_create(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=item.title,
                    draft_id=item.draft_id,
                    commission_conclusion="Рекомендувати раді підтримати проєкт рішення.",
                    result=ItemResult.NOTED,
                )
                for position, item in enumerate(picked, start=1)
            )
            self.counts["items"] += len(own)
            moment = _moment(day, 14, 10)
            for number, item in enumerate(own, start=1):
                self._event(
                    meeting,
                    item,
                    number,
                    f"Рекомендувати раді підтримати: {item.title}",
                    moment + dt.timedelta(minutes=6 * number),
                    body.voters,
                    len(body.voters),
                    contested=False,
                )
            self._minutes(meeting, "commission-minutes", f"Протокол: {meeting.title}")

    def _executive_meetings(self, body: _Body, start: dt.date, last: dt.date) -> None:
        day = _weekday_on_or_before(start + dt.timedelta(days=20), 2)
        while day <= last:
            body.number += 1
            meeting = self._meeting(
                MeetingKind.EXECUTIVE,
                body.number,
                day,
                f"Засідання виконавчого комітету № {body.number}",
                organization=body.organization,
                hour=9,
            )
            items = [
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=_title(self.ctx, EXECUTIVE_ITEM_TITLES, day),
                    result=ItemResult.ADOPTED,
                )
                for position in range(1, self.rng.randint(*EXECUTIVE_ITEMS) + 1)
            ]
            for item in items:
                if self.rng.random() < EXECUTIVE_DRAFT_SHARE:
                    self.acts.add(
                        "draft-executive-decision",
                        day=_working_day_before(day, 12),
                        title=item.title,
                        owner=(item, "draft"),
                        status=ActStatus.ADOPTED,
                        consideration_date=day,
                    )
            self.acts.flush()
            AgendaItem.objects.bulk_create(items)
            self.counts["items"] += len(items)
            moment = _moment(day, 9, 5)
            for number, item in enumerate(items, start=1):
                self._event(
                    meeting,
                    item,
                    number,
                    item.title,
                    moment + dt.timedelta(minutes=4 * number),
                    body.voters,
                    len(body.voters),
                    contested=self.rng.random() < 0.05,
                )
            self._minutes(meeting, "executive-minutes", f"Протокол: {meeting.title}")
            day += self.executive_every


def generate_large(ctx: DemoContext, **sizes) -> dict[str, int]:
    return LargeCouncil(ctx, **sizes).build()
