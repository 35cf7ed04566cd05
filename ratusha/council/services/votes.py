"""Roll-call votes: recorded (typed or imported; all or nothing, each error naming its motion
and rows), published (late if not on the day of the vote), corrected with a reason, deleted
while unpublished. The voters are the meeting's (``selectors.voters``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_record, snapshot
from ratusha.core.choices import AuditAction
from ratusha.core.records import delete_audited

from .. import rules
from ..choices import VoteChoice, VoteSource
from ..models import (
    AgendaItem,
    Meeting,
    Vote,
    VoteEvent,
)
from ..selectors import voters
from ..selectors.voters import Voter
from .common import (
    _after_commit_meeting,
    _council_staff,
    _locked,
)

# Roll-call votes --------------------------------------------------------------------------


@dataclass
class MotionInput:
    """A vote as entered or imported: the motion and each voter's choice. The voters are
    people (``selectors.voters``): the deputies at a session, the body's members at a
    commission's or the executive committee's meeting."""

    number: int
    title: str
    voted_at: dt.datetime
    choices: Mapping[int, str]  # voter (person id) → VoteChoice
    agenda_item: AgendaItem | None = None
    rule: str = ""
    declared_totals: dict[str, int] | None = None
    where: str = ""  # for messages: «рядки 2–41» of the file
    errors: list[str] = field(default_factory=list)
    # For a file: the row of each voter (with a row, even one whose choice could not be read).
    rows: Mapping[int, int] | None = None


_CHOICE_VALUES = frozenset(VoteChoice.values)


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def voter_problems(meeting: Meeting, motion: MotionInput, pool: Mapping[int, Voter]) -> list[str]:
    """Who may not vote on ``motion`` and who is missing from it: each choice must be a
    voter's in office on the day of the vote (a deputy's mandate, a body's membership), and
    every voter in office must have one (a roll-call is complete). Messages name the file's
    row when ``motion.rows`` has it."""
    errors = []
    where = f"{motion.where}: " if motion.where else ""
    rows = motion.rows or {}
    day = timezone.localdate(motion.voted_at)
    body = None if voters.is_plenary(meeting) else meeting.organization

    def located(person_id: int, problem: str) -> str:
        row = rows.get(person_id)
        if row:
            return _("row %(row)s: %(problem)s") % {"row": row, "problem": problem}
        return where + problem

    # Everyone with a choice or a row (a row whose choice could not be read still names them)
    for person_id in sorted(set(motion.choices) | set(rows), key=lambda pk: rows.get(pk, 0)):
        voter = pool.get(person_id)
        if voter is None:
            problem = _("person #%(id)s does not vote at this meeting") % {"id": person_id}
            errors.append(located(person_id, problem))
        elif not voter.serves_on(day):
            if body is None:
                problem = _("%(deputy)s has no mandate on %(date)s") % {
                    "deputy": voter.name,
                    "date": _date(day),
                }
            else:
                problem = _("%(person)s is not a member of «%(body)s» on %(date)s") % {
                    "person": voter.name,
                    "body": body,
                    "date": _date(day),
                }
            errors.append(located(person_id, problem))
    called = set(rows) if motion.rows is not None else set(motion.choices)
    for voter in sorted(pool.values(), key=lambda v: (v.name, v.pk)):
        if voter.pk in called or not voter.serves_on(day):
            continue
        if motion.rows is None:
            problem = _("vote № %(n)s has no choice of %(voter)s")
        elif body is None:
            problem = _("vote № %(n)s has no row of the deputy %(voter)s")
        else:
            problem = _("vote № %(n)s has no row of the member %(voter)s")
        errors.append(where + problem % {"n": motion.number, "voter": voter.name})
    return errors


def _validate_motion(meeting: Meeting, motion: MotionInput, pool, now) -> list[str]:
    errors = []
    where = f"{motion.where}: " if motion.where else ""
    if not (motion.title or "").strip():
        errors.append(where + _("the motion has no title"))
    if motion.voted_at > now:
        errors.append(
            where
            + _("the vote is dated %(when)s, in the future")
            % {"when": timezone.localtime(motion.voted_at).strftime("%d.%m.%Y %H:%M")}
        )
    if timezone.localdate(motion.voted_at) < meeting.date:
        errors.append(
            where
            + _("the vote (%(when)s) is before the meeting (%(date)s)")
            % {
                "when": timezone.localtime(motion.voted_at).strftime("%d.%m.%Y"),
                "date": meeting.date.strftime("%d.%m.%Y"),
            }
        )
    for choice in set(motion.choices.values()) - _CHOICE_VALUES:
        errors.append(where + _("unknown choice «%(choice)s»") % {"choice": choice})
    if not motion.choices:
        errors.append(where + _("no voter's choice"))
    errors.extend(voter_problems(meeting, motion, pool))
    if motion.agenda_item is not None and motion.agenda_item.meeting_id != meeting.pk:
        errors.append(where + _("the agenda item belongs to another meeting"))
    if motion.declared_totals is not None:
        counted = rules.totals(motion.choices.values())
        for key, declared in motion.declared_totals.items():
            if declared is not None and counted[key] != declared:
                errors.append(
                    where
                    + _("the total «%(total)s» is %(declared)s but the rows give %(counted)s")
                    % {
                        "total": VoteEvent._meta.get_field(key).verbose_name,
                        "declared": declared,
                        "counted": counted[key],
                    }
                )
    return errors


def _event_snapshot(event: VoteEvent, choices: Mapping[int, str]) -> dict[str, Any]:
    data = snapshot(event)
    data["choices"] = {str(k): v for k, v in sorted(choices.items())}
    return data


@transaction.atomic
def vote_events_record(
    *,
    actor,
    meeting: Meeting,
    motions: Iterable[MotionInput],
    source: str = VoteSource.MANUAL,
    replace: bool = False,
    publish: bool = False,
) -> list[VoteEvent]:
    """Record roll-call votes of ``meeting``: all or none. A motion whose number is already
    recorded is refused unless ``replace`` (an unpublished vote only). Every error names the
    motion (and the file's rows) and nothing is saved."""
    _council_staff(actor)
    meeting = _locked(Meeting, meeting.pk)
    motions = list(motions)
    now = timezone.now()
    pool = {voter.pk: voter for voter in voters.voter_pool(meeting)}
    existing = {e.number: e for e in meeting.vote_events.all()}
    errors: list[str] = []
    seen: set[int] = set()
    for motion in motions:
        where = f"{motion.where}: " if motion.where else ""
        errors.extend(motion.errors)
        errors.extend(_validate_motion(meeting, motion, pool, now))
        if motion.number in seen:
            errors.append(where + _("vote № %(n)s appears twice") % {"n": motion.number})
        seen.add(motion.number)
        old = existing.get(motion.number)
        if old is not None and not replace:
            errors.append(
                where
                + _("vote № %(n)s is already recorded for this meeting") % {"n": motion.number}
            )
        elif old is not None and old.published_at is not None:
            errors.append(
                where
                + _("vote № %(n)s is already published; correct it with a reason instead")
                % {"n": motion.number}
            )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))  # each problem once, in order

    created = _save_motions(actor, meeting, motions, existing, source, pool)
    if publish:
        _publish(actor, created, now)
    _after_commit_meeting(meeting.pk)
    return created


def _save_motions(
    actor,
    meeting: Meeting,
    motions: list[MotionInput],
    existing: dict,
    source: str,
    pool: Mapping[int, Voter],
) -> list[VoteEvent]:
    """Save validated motions in a few statements, whatever their number (an imported file
    of 300 votes × 40 deputies is 12,000 votes): the replaced events deleted at once, then the
    events, all their votes and their audit entries each in one bulk insert. The audit entries
    are those ``audit_record`` writes (create, or update with the replaced choices)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from ratusha.core.audit import actor_repr as describe_actor
    from ratusha.core.audit import diff
    from ratusha.core.models import AuditEntry

    convocation = meeting.convocation
    replaced = {m.number: existing[m.number] for m in motions if m.number in existing}
    before: dict[int, dict[str, Any]] = {}
    if replaced:
        old_choices: dict[int, dict[int, str]] = {e.pk: {} for e in replaced.values()}
        for event_id, voter_id, choice in Vote.objects.filter(event_id__in=old_choices).values_list(
            "event_id", "voter_id", "choice"
        ):
            old_choices[event_id][voter_id] = choice
        before = {n: _event_snapshot(e, old_choices[e.pk]) for n, e in replaced.items()}
        VoteEvent.objects.filter(pk__in=old_choices).delete()
    events = []
    pool_list = list(pool.values())
    for motion in motions:
        counts = rules.totals(motion.choices.values())
        rule = motion.rule or convocation.default_vote_rule
        composition = voters.composition(meeting, timezone.localdate(motion.voted_at), pool_list)
        events.append(
            VoteEvent(
                meeting=meeting,
                agenda_item=motion.agenda_item,
                number=motion.number,
                title=motion.title.strip()[:1000],
                voted_at=motion.voted_at,
                rule=rule,
                composition=composition,
                result=rules.result(rule, composition=composition, counts=counts),
                source=source,
                **counts,
            )
        )
    if connection.features.can_return_rows_from_bulk_insert:
        VoteEvent.objects.bulk_create(events)
    else:  # the backend cannot tell the new ids of a bulk insert
        for event in events:
            event.save(force_insert=True)
    mandate = {pk: (voter.deputy.pk if voter.deputy else None) for pk, voter in pool.items()}
    Vote.objects.bulk_create(
        [
            Vote(event_id=event.pk, voter_id=voter_id, deputy_id=mandate[voter_id], choice=choice)
            for event, motion in zip(events, motions, strict=True)
            for voter_id, choice in motion.choices.items()
        ],
        batch_size=2000,
    )
    real_user = actor if getattr(actor, "pk", None) is not None else None
    actor_repr = describe_actor(actor)[:255]
    content_type = ContentType.objects.get_for_model(VoteEvent, for_concrete_model=False)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=real_user,
                actor_repr=actor_repr,
                action=AuditAction.UPDATE if motion.number in before else AuditAction.CREATE,
                content_type=content_type,
                object_id=str(event.pk),
                object_repr=str(event)[:255],
                changes=diff(before.get(motion.number), _event_snapshot(event, motion.choices)),
            )
            for event, motion in zip(events, motions, strict=True)
        ],
        batch_size=500,
    )
    return events


def _publish(actor, events: list[VoteEvent], now: dt.datetime) -> None:
    today = timezone.localdate(now)
    for event in events:
        if event.published_at is not None:
            continue
        before = snapshot(event)
        event.published_at = now
        event.published_late = today > timezone.localdate(event.voted_at)
        event.save(update_fields=["published_at", "published_late"])
        audit_record(
            actor=actor,
            action=AuditAction.PUBLISH,
            instance=event,
            before=before,
            after=snapshot(event),
        )


@transaction.atomic
def vote_events_publish(
    *, actor, meeting: Meeting, events: Iterable[VoteEvent] | None = None
) -> int:
    """Publish the meeting's unpublished votes (or the given ones) now; a vote published
    after its day is flagged late (law on local self-government, art. 59(3))."""
    _council_staff(actor)
    queryset = meeting.vote_events.select_for_update().filter(published_at__isnull=True)
    if events is not None:
        queryset = queryset.filter(pk__in=[e.pk for e in events])
    pending = list(queryset)
    _publish(actor, pending, timezone.now())
    if pending:
        _after_commit_meeting(meeting.pk)
    return len(pending)


@transaction.atomic
def vote_event_correct(
    *, actor, event: VoteEvent, choices: Mapping[int, str], reason: str
) -> VoteEvent:
    """Correct a voter's recorded choice (e.g. a fault of the voting system), with a reason
    kept in the audit log; totals and result are recounted. ``choices``: person id →
    VoteChoice."""
    _council_staff(actor)
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the correction."))
    current = _locked(VoteEvent, event.pk)
    recorded = dict(current.votes.values_list("voter_id", "choice"))
    unknown = set(choices) - set(recorded)
    if unknown:
        raise ValidationError(
            _("These people did not take part in the vote: %(ids)s")
            % {"ids": ", ".join(f"#{pk}" for pk in sorted(unknown))}
        )
    if any(c not in VoteChoice.values for c in choices.values()):
        raise ValidationError(_("Unknown choice."))
    before = _event_snapshot(current, recorded)
    for voter_id, choice in choices.items():
        Vote.objects.filter(event=current, voter_id=voter_id).update(choice=choice)
    recorded.update(choices)
    counts = rules.totals(recorded.values())
    for key, value in counts.items():
        setattr(current, key, value)
    current.result = rules.result(current.rule, composition=current.composition, counts=counts)
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=_event_snapshot(current, recorded),
        reason=reason,
    )
    _after_commit_meeting(current.meeting_id)
    return current


@transaction.atomic
def vote_event_delete(*, actor, event: VoteEvent) -> None:
    """Delete a vote recorded by mistake; a published vote is kept forever."""
    _council_staff(actor)
    if event.published_at is not None:
        raise ValidationError(_("A published vote is kept forever and cannot be deleted."))
    meeting_id = event.meeting_id
    delete_audited(actor, event)
    _after_commit_meeting(meeting_id)
