"""The ``small`` and ``seed`` scales: a council built through the services (see the
package's docstring)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.utils import timezone

from ratusha.acts import services as act_services
from ratusha.acts.choices import ActStatus, ConsiderationResult
from ratusha.acts.models import Act, ActKind
from ratusha.core.demo_support import HROMADA, DemoContext
from ratusha.core.permissions import SYSTEM
from ratusha.core.workdays import add_working_days

from .. import services
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
    Deputy,
    Meeting,
    Organization,
    Person,
    VoteEvent,
)
from ..selectors.voters import meeting_voters
from . import (
    COMMISSIONS,
    CONCLUSIONS,
    CONVOCATION_START,
    DRAFT_TITLES,
    EXECUTIVE_ITEM_TITLES,
    EXECUTIVE_STAFF,
    INFO_TITLES,
    PARTIES,
    PLACE,
    _email,
    _moment,
    _past,
    _title,
    _weekday_on_or_before,
)


class SmallCouncil:
    """The small and seed scales, through the services."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.composition = ctx.pick(small=26, seed=34, large=0)
        self.counts = {"meetings": 0, "items": 0, "vote_events": 0, "votes": 0}
        self.draft_kind = ActKind.objects.get(code="draft-council-decision")

    # People and bodies ------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        self.convocation = services.convocation_create(
            actor=SYSTEM,
            data={
                "number": 8,
                "start_date": CONVOCATION_START,
                "composition": self.composition,
                "default_vote_rule": VoteRule.MAJORITY_OF_COMPOSITION,
            },
        )
        self._people()
        self._bodies()
        self._sessions()
        self._body_meetings(
            OrganizationKind.EXECUTIVE_COMMITTEE, self.ctx.pick(small=4, seed=18, large=0)
        )
        for commission in self.commissions:
            self._commission_meetings(commission, self.ctx.pick(small=2, seed=4, large=0))
        return {
            "deputies": len(self.deputies),
            **self.counts,
        }

    def _person(self, name: str, email: str = "", user=None) -> Person:
        return services.person_create(
            actor=SYSTEM,
            data={
                "full_name": name,
                "email": email,
                "phone": self.ctx.phone(),
                "reception_hours": "Перший четвер місяця, 10:00–12:00, приміщення селищної ради",
                "user": user,
            },
        )

    def _people(self) -> None:
        # The head is part of the composition; the other seats are deputies.
        self.head = self._person(HROMADA["head_name"], HROMADA["email"])
        deputy_user = (
            get_user_model().objects.filter(username="deputy", council_person__isnull=True).first()
        )
        parties = PARTIES[: self.ctx.pick(small=3, seed=4, large=0)]
        self.deputies: list[Deputy] = []
        self.party_of: dict[int, int | None] = {}
        for index in range(1, self.composition):
            name = self.ctx.person_name()
            person = self._person(
                name, _email(name, index), user=deputy_user if index == 1 else None
            )
            # Two deputies stood as self-nominated candidates and joined no faction.
            party = None if index % 12 == 0 else (index - 1) % len(parties)
            deputy = services.deputy_create(
                actor=SYSTEM,
                data={
                    "person": person,
                    "convocation": self.convocation,
                    "district": f"Територіальний виборчий округ № {1 + (index - 1) % 4}",
                    "nominated_by": (
                        f"Політична партія «{parties[party][0]}»"
                        if party is not None
                        else "самовисування"
                    ),
                    "voting_identifier": f"{index:02d}",
                    "start_date": CONVOCATION_START,
                },
            )
            self.deputies.append(deputy)
            self.party_of[deputy.pk] = party
            if index % 3 == 1:  # a third of them sent a photo
                services.person_update(
                    actor=SYSTEM, person=person, data={"photo": self._portrait(name)}
                )
        self.parties = parties
        # How often each deputy misses a session.
        self.absence = {d.pk: self.rng.choice((0.02, 0.04, 0.06, 0.1, 0.18)) for d in self.deputies}

    def _portrait(self, name: str):
        """A portrait placeholder for the image library: a silhouette on a plain background
        (no real face), titled with the person's name."""
        from django.core.files.images import ImageFile
        from PIL import Image, ImageDraw
        from wagtail.images import get_image_model

        background = self.rng.choice(["#2f5d8a", "#5b7f3a", "#7a4e2d", "#4b4f7a", "#6b6b6b"])
        picture = Image.new("RGB", (300, 400), background)
        draw = ImageDraw.Draw(picture)
        draw.ellipse((95, 70, 205, 190), fill="#e8e2d6")
        draw.ellipse((40, 210, 260, 470), fill="#e8e2d6")
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=85)
        number = self.ctx.shared["council_portraits"] = (
            self.ctx.shared.get("council_portraits", 0) + 1
        )
        image = get_image_model()(
            title=f"{name} — фото",
            file=ImageFile(io.BytesIO(out.getvalue()), name=f"deputy-{number:03d}.jpg"),
        )
        image.save()
        return image

    def _organization(self, kind: str, name: str, short: str, order: int) -> Organization:
        return services.organization_create(
            actor=SYSTEM,
            data={
                "kind": kind,
                "convocation": self.convocation,
                "name": name,
                "short_name": short,
                "start_date": CONVOCATION_START + dt.timedelta(days=14),
                "sort_order": order,
            },
        )

    def _member(self, person, organization, role=MembershipRole.MEMBER, label="") -> None:
        services.membership_create(
            actor=SYSTEM,
            data={
                "person": person,
                "organization": organization,
                "role": role,
                "label": label,
                "start_date": organization.start_date,
            },
        )

    def _bodies(self) -> None:
        for order, (party, short) in enumerate(self.parties, start=1):
            faction = self._organization(
                OrganizationKind.FACTION,
                f"Депутатська фракція політичної партії «{party}» у Вербівській селищній раді",
                f"Фракція {short}",
                order,
            )
            members = [d for d in self.deputies if self.party_of[d.pk] == order - 1]
            for position, deputy in enumerate(members):
                role = MembershipRole.CHAIR if position == 0 else MembershipRole.MEMBER
                self._member(deputy.person, faction, role)
        count = self.ctx.pick(small=4, seed=5, large=0)
        self.commissions = []
        for order, (name, short) in enumerate(COMMISSIONS[:count], start=1):
            commission = self._organization(OrganizationKind.COMMISSION, name, short, order)
            self.commissions.append(commission)
            members = self.deputies[order - 1 :: count]
            for position, deputy in enumerate(members):
                role = {
                    0: MembershipRole.CHAIR,
                    1: MembershipRole.DEPUTY_CHAIR,
                    2: MembershipRole.SECRETARY,
                }.get(position, MembershipRole.MEMBER)
                self._member(deputy.person, commission, role)
        self.executive = self._organization(
            OrganizationKind.EXECUTIVE_COMMITTEE,
            "Виконавчий комітет Вербівської селищної ради",
            "Виконавчий комітет",
            1,
        )
        self._member(self.head, self.executive, MembershipRole.CHAIR, HROMADA["head_title"])
        for position, role in EXECUTIVE_STAFF:
            person = self._person(self.ctx.person_name())
            self._member(person, self.executive, role, position)
        for deputy in self.rng.sample(self.deputies, 3):
            self._member(deputy.person, self.executive, MembershipRole.MEMBER, "депутат ради")

    # Sessions ---------------------------------------------------------------------------

    def _session_dates(self, count: int) -> list[dt.date]:
        """``count`` past sessions about four weeks apart, on Thursdays, the last one two
        weeks ago at the latest."""
        last = _weekday_on_or_before(self.today - dt.timedelta(days=14), 3)
        days = [last - dt.timedelta(weeks=4 * n) for n in range(count)]
        return sorted(day for day in days if day > CONVOCATION_START)

    def _drafts(self) -> tuple[list[Act], list[Act]]:
        """Drafts the acts demo registered that wait for a session: past and future."""
        waiting = Act.objects.filter(
            kind=self.draft_kind,
            status__in=[ActStatus.REGISTERED, ActStatus.PUBLISHED],
            consideration_date__isnull=False,
            agenda_items__isnull=True,
        ).order_by("consideration_date", "id")
        past = [act for act in waiting if act.consideration_date < self.today]
        future = [act for act in waiting if act.consideration_date >= self.today]
        return past, future

    def _new_draft(self, day: dt.date) -> Act:
        """A draft registered three weeks before the session and published the next day."""
        registered = day - dt.timedelta(days=21)
        title = _title(self.ctx, DRAFT_TITLES, day)
        draft = act_services.act_register(
            actor=SYSTEM,
            data={
                "kind": self.draft_kind,
                "date": registered,
                "title": title,
                "convocation": "VIII",
                "consideration_date": day,
                "text": f"ПРОЄКТ РІШЕННЯ\n\n{title}\n\nВідповідно до статті 26 Закону України "
                "«Про місцеве самоврядування в Україні» селищна рада ВИРІШИЛА: …",
            },
        )
        if draft.published_at is None:
            act_services.act_publish(
                actor=SYSTEM,
                act=draft,
                as_of=_past(_moment(registered + dt.timedelta(days=1), 10)),
            )
        return draft

    def _sessions(self) -> None:
        count = self.ctx.pick(small=8, seed=23, large=0)
        per_session = self.ctx.pick(small=5, seed=14, large=0)
        dates = self._session_dates(count)
        past, future = self._drafts()
        # Each waiting draft goes to the first session on or after its consideration date.
        planned: dict[dt.date, list[Act]] = {day: [] for day in dates}
        for draft in past:
            day = next((d for d in dates if d >= draft.consideration_date), None)
            if day is not None:
                planned[day].append(draft)
        last_number = max(count, (dates[-1] - CONVOCATION_START).days // 30) if dates else count
        first_number = last_number - len(dates) + 1
        for offset, day in enumerate(dates):
            drafts = planned[day]
            while len(drafts) < per_session:
                drafts.append(self._new_draft(day))
            self._held_session(first_number + offset, day, drafts)
        self._upcoming_session(last_number + 1, future)

    def _meeting(self, data: dict) -> Meeting:
        meeting = services.meeting_create(
            actor=SYSTEM,
            data={"convocation": self.convocation, "start_time": dt.time(10, 0), **data},
        )
        self.counts["meetings"] += 1
        return meeting

    def _item(self, meeting: Meeting, data: dict) -> AgendaItem:
        item = services.agenda_item_create(actor=SYSTEM, data={"meeting": meeting, **data})
        self.counts["items"] += 1
        return item

    def _approved_in_the_past(self, meeting: Meeting, day: dt.date) -> None:
        """History: the agenda was approved (and mailed) before the meeting."""
        Meeting.objects.filter(pk=meeting.pk).update(
            agenda_status=AgendaStatus.APPROVED,
            agenda_approved_at=_moment(day - dt.timedelta(days=10), 15),
            agenda_revision=1,
        )

    def _rapporteur(self) -> str:
        """A head of a structural unit, or now and then a deputy."""
        if not hasattr(self, "unit_heads"):
            from ratusha.core.models import Employee

            self.unit_heads = [
                f"{full_name}, {position} ({unit})"
                for full_name, position, unit in Employee.objects.filter(is_head=True)
                .order_by("unit__sort_order", "id")
                .values_list("full_name", "position", "unit__short_name")
            ]
        if self.unit_heads and self.rng.random() < 0.7:
            return self.rng.choice(self.unit_heads)
        return self.rng.choice(self.deputies).person.full_name

    def _choices(self, away: set[int], contested: bool) -> dict[int, str]:
        """Person id → choice for every deputy."""
        choices = {}
        for deputy in self.deputies:
            roll = self.rng.random()
            if deputy.pk in away or roll < 0.02:
                choices[deputy.person_id] = VoteChoice.ABSENT
            elif contested:
                choices[deputy.person_id] = (
                    VoteChoice.FOR
                    if roll < 0.5
                    else VoteChoice.AGAINST
                    if roll < 0.7
                    else VoteChoice.ABSTAIN
                    if roll < 0.9
                    else VoteChoice.NOT_VOTING
                )
            else:
                choices[deputy.person_id] = (
                    VoteChoice.FOR
                    if roll < 0.9
                    else VoteChoice.ABSTAIN
                    if roll < 0.95
                    else VoteChoice.AGAINST
                    if roll < 0.97
                    else VoteChoice.NOT_VOTING
                )
        return choices

    def _held_session(self, number: int, day: dt.date, drafts: list[Act]) -> None:
        meeting = self._meeting(
            {
                "kind": MeetingKind.SESSION,
                "number": number,
                "is_extraordinary": number % 7 == 0,
                "date": day,
                "place": PLACE,
                "status": MeetingStatus.HELD,
                "video_url": f"https://www.youtube.com/@verbivka-demo/session-{number}",
            }
        )
        second_sitting = None
        if len(drafts) > 10 and self.rng.random() < 0.3:
            second_sitting = add_working_days(day, 1)
            services.sitting_create(
                actor=SYSTEM,
                data={
                    "meeting": meeting,
                    "number": 2,
                    "date": second_sitting,
                    "start_time": dt.time(10, 0),
                    "place": PLACE,
                    "status": MeetingStatus.HELD,
                },
            )
        items = []
        for draft in drafts:
            items.append(
                self._item(
                    meeting,
                    {
                        "title": draft.title,
                        "draft": draft,
                        "rapporteur": self._rapporteur(),
                        "commission_conclusion": self.rng.choice(CONCLUSIONS),
                    },
                )
            )
        info = None
        if self.rng.random() < 0.5:
            info = self._item(meeting, {"title": _title(self.ctx, INFO_TITLES, day)})
        self._approved_in_the_past(meeting, day)

        away = {d.pk for d in self.deputies if self.rng.random() < self.absence[d.pk]}
        moment = _moment(day, 10, 5)
        motions = [
            services.MotionInput(
                number=1,
                title=(
                    "Про затвердження порядку денного "
                    f"{'позачергової ' if meeting.is_extraordinary else ''}{number} сесії "
                    "селищної ради VIII скликання"
                ),
                voted_at=moment,
                choices=self._choices(away, contested=False),
            )
        ]
        for position, item in enumerate(items, start=1):
            second_half = second_sitting and position > len(items) // 2
            if second_half and moment.date() != second_sitting:
                moment = _moment(second_sitting, 10, 5)
            moment += dt.timedelta(minutes=self.rng.randint(3, 9))
            motions.append(
                services.MotionInput(
                    number=len(motions) + 1,
                    title=item.title,
                    voted_at=moment,
                    choices=self._choices(away, contested=self.rng.random() < 0.1),
                    agenda_item=item,
                )
            )
        events = self._record(
            meeting, motions, VoteSource.IMPORT if number % 2 else VoteSource.MANUAL
        )
        for event in events[1:]:
            self._consider(meeting, event.agenda_item, event.result)
        if info is not None:
            services.agenda_item_update(actor=SYSTEM, item=info, data={"result": ItemResult.NOTED})
        self._minutes(meeting, "session-minutes", f"Протокол {meeting.title}")

    def _record(self, meeting: Meeting, motions, source=VoteSource.MANUAL) -> list[VoteEvent]:
        """Record the votes through the service, published on the day of the vote (one in
        twenty-five a few days late): history, so the moment is written directly."""
        events = services.vote_events_record(
            actor=SYSTEM, meeting=meeting, motions=motions, source=source, publish=True
        )
        self.counts["vote_events"] += len(events)
        self.counts["votes"] += sum(len(motion.choices) for motion in motions)
        for event in events:
            voted = timezone.localdate(event.voted_at)
            if self.rng.random() < 0.04:
                late = voted + dt.timedelta(days=self.rng.randint(1, 4))
                published, is_late = _past(_moment(late, 11, self.rng.randint(0, 59))), True
            else:
                published = _past(_moment(voted, 17, self.rng.randint(0, 59)))
                is_late = False
            VoteEvent.objects.filter(pk=event.pk).update(
                published_at=published, published_late=is_late
            )
        return events

    def _body_votes(self, meeting: Meeting, items: list[AgendaItem], hour: int) -> None:
        """A vote on each item by the body's members on the day (``selectors.voters``)."""
        voters = meeting_voters(meeting)
        moment = _moment(meeting.date, hour, 5)
        motions = []
        for number, item in enumerate(items, start=1):
            moment += dt.timedelta(minutes=self.rng.randint(3, 8))
            motions.append(
                services.MotionInput(
                    number=number,
                    title=item.title,
                    voted_at=moment,
                    agenda_item=item,
                    choices={
                        voter.pk: VoteChoice.ABSENT
                        if self.rng.random() < 0.06
                        else VoteChoice.FOR
                        if self.rng.random() < 0.92
                        else VoteChoice.ABSTAIN
                        for voter in voters
                    },
                )
            )
        if motions and voters:
            self._record(meeting, motions)

    def _minutes(self, meeting: Meeting, code: str, title: str) -> None:
        """The meeting's minutes, signed and published a few working days after it."""
        day = add_working_days(meeting.date, 3)
        if day >= self.today:
            return  # not drawn up yet
        # Numbered by the meeting, so they never meet the acts demo's own minutes' numbers.
        if meeting.kind == MeetingKind.SESSION:
            number = f"{meeting.number}-{meeting.convocation.roman}"
        elif meeting.kind == MeetingKind.COMMISSION:
            number = f"{meeting.organization.sort_order}/{meeting.number}"
        else:
            number = f"{meeting.number}-вк"
        minutes = act_services.act_register(
            actor=SYSTEM,
            data={
                "kind": ActKind.objects.get(code=code),
                "number": number,
                "date": day,
                "title": title,
                "text": f"ПРОТОКОЛ\n\n{title}\n\nПрисутні: …\n\nПорядок денний: …",
            },
        )
        act_services.act_publish(actor=SYSTEM, act=minutes, as_of=_past(_moment(day, 15)))
        services.meeting_update(actor=SYSTEM, meeting=meeting, data={"minutes": minutes})

    def _consider(self, meeting: Meeting, item: AgendaItem, result: str) -> None:
        """The draft's fate follows the vote: adopted → the decision is registered and
        published, not adopted → rejected."""
        if result == VoteResult.ADOPTED:
            decision = act_services.draft_consider(
                actor=SYSTEM,
                draft=item.draft,
                result=ConsiderationResult.ADOPTED,
                adopted={
                    "number": f"{meeting.number}/{item.position}-VIII",
                    "date": meeting.date,
                    "session": f"{meeting.number} сесія",
                    "convocation": "VIII",
                },
            )
            act_services.act_publish(
                actor=SYSTEM,
                act=decision,
                as_of=_past(_moment(add_working_days(meeting.date, 2), 12)),
            )
            data = {"result": ItemResult.ADOPTED, "decision": decision}
        else:
            act_services.draft_consider(
                actor=SYSTEM,
                draft=item.draft,
                result=ConsiderationResult.REJECTED,
                reason="Не набрав необхідної кількості голосів",
            )
            data = {"result": ItemResult.REJECTED}
        services.agenda_item_update(actor=SYSTEM, item=item, data=data)

    def _upcoming_session(self, number: int, drafts: list[Act]) -> None:
        """The next session: planned, its agenda approved and mailed to the deputies."""
        day = max([add_working_days(self.today, 12)] + [d.consideration_date for d in drafts])
        while day.weekday() != 3:
            day += dt.timedelta(days=1)
        meeting = self._meeting(
            {"kind": MeetingKind.SESSION, "number": number, "date": day, "place": PLACE}
        )
        if not drafts:
            drafts = [self._new_draft(day) for _ in range(3)]
        for draft in drafts:
            self._item(
                meeting, {"title": draft.title, "draft": draft, "rapporteur": self._rapporteur()}
            )
        services.agenda_approve(actor=SYSTEM, meeting=meeting)
        self.upcoming = meeting

    # Commissions and the executive committee --------------------------------------------

    def _commission_meetings(self, commission: Organization, count: int) -> None:
        sessions = list(
            Meeting.objects.filter(convocation=self.convocation, kind=MeetingKind.SESSION)
            .order_by("-date")
            .prefetch_related("items")[: count + 1]
        )
        for number, session in enumerate(reversed(sessions), start=1):
            day = session.date - dt.timedelta(days=self.rng.randint(2, 6))
            while day.weekday() >= 5:
                day -= dt.timedelta(days=1)
            held = session.status == MeetingStatus.HELD and day < self.today
            meeting = self._meeting(
                {
                    "kind": MeetingKind.COMMISSION,
                    "organization": commission,
                    "number": number,
                    "date": day,
                    "start_time": dt.time(14, 0),
                    "place": "Мала зала селищної ради",
                    "status": MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                }
            )
            picked = [item for item in session.items.all() if item.draft_id][:4]
            items = [
                self._item(
                    meeting,
                    {
                        "title": item.title,
                        "draft": item.draft,
                        "commission_conclusion": self.rng.choice(CONCLUSIONS) if held else "",
                        "result": ItemResult.NOTED if held else ItemResult.PENDING,
                    },
                )
                for item in picked
            ]
            if held and picked:
                self._approved_in_the_past(meeting, day)
                self._body_votes(meeting, items, 14)
                self._minutes(meeting, "commission-minutes", f"Протокол: {meeting.title}")

    def _body_meetings(self, kind: str, count: int) -> None:
        decisions = list(
            Act.objects.filter(
                kind__code="executive-decision", decided_items__isnull=True, date__lt=self.today
            ).order_by("-date", "-id")[: count * 4]
        )
        for number in range(1, count + 1):
            day = _weekday_on_or_before(
                self.today - dt.timedelta(days=7 + 21 * (count - number)), 2
            )
            meeting = self._meeting(
                {
                    "kind": MeetingKind.EXECUTIVE,
                    "organization": self.executive,
                    "number": number,
                    "date": day,
                    "start_time": dt.time(9, 0),
                    "place": "Кабінет селищного голови",
                    "status": MeetingStatus.HELD,
                }
            )
            items = []
            for _ in range(self.rng.randint(3, 5)):
                decision = decisions.pop() if decisions else None
                items.append(
                    self._item(
                        meeting,
                        {
                            "title": decision.title
                            if decision
                            else _title(self.ctx, EXECUTIVE_ITEM_TITLES, day),
                            "decision": decision,
                            "rapporteur": self._rapporteur(),
                            "result": ItemResult.ADOPTED,
                        },
                    )
                )
            self._approved_in_the_past(meeting, day)
            self._body_votes(meeting, items, 9)
            self._minutes(
                meeting,
                "executive-minutes",
                meeting.title.replace("Засідання", "Протокол засідання"),
            )
