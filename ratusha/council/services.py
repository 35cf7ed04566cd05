"""The one write path for the council: convocations, people, mandates, bodies and
memberships, meetings with sittings and agendas, the mailing of drafts, and roll-call votes
(entered by hand or imported, then published). Keyword-only arguments, ``actor`` first, one
transaction, a permission check, an audit entry; side effects after the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_record, snapshot
from ratusha.core.choices import AuditAction
from ratusha.core.permissions import require_role
from ratusha.core.records import create_audited, delete_audited, update_audited
from ratusha.core.roles import Role

from . import rules, signals_out
from .choices import AgendaStatus, MeetingKind, OrganizationKind, VoteChoice, VoteSource
from .models import (
    AgendaItem,
    Convocation,
    Deputy,
    DraftMailing,
    Meeting,
    Membership,
    Organization,
    Person,
    Sitting,
    Vote,
    VoteEvent,
    VotingImportProfile,
)
from .selectors import voters
from .selectors.voters import Voter

# Who runs the council's paperwork: the department, the secretary/head (approvers), admins.
COUNCIL_ROLES = (Role.ADMINISTRATOR, Role.DEPARTMENT_STAFF, Role.APPROVER)

CONVOCATION_FIELDS = ("number", "start_date", "end_date", "composition", "default_vote_rule")
PERSON_FIELDS = ("full_name", "photo", "biography", "email", "phone", "reception_hours", "user")
DEPUTY_FIELDS = (
    "person",
    "convocation",
    "district",
    "nominated_by",
    "voting_identifier",
    "start_date",
    "end_date",
    "end_reason",
)
ORGANIZATION_FIELDS = (
    "kind",
    "convocation",
    "name",
    "short_name",
    "description",
    "start_date",
    "end_date",
    "sort_order",
)
MEMBERSHIP_FIELDS = ("person", "organization", "role", "label", "start_date", "end_date")
MEETING_FIELDS = (
    "kind",
    "convocation",
    "organization",
    "number",
    "is_extraordinary",
    "title",
    "date",
    "start_time",
    "place",
    "status",
    "video_url",
    "minutes",
    "notes",
)
SITTING_FIELDS = ("meeting", "number", "date", "start_time", "place", "status", "video_url")
ITEM_FIELDS = (
    "meeting",
    "position",
    "title",
    "draft",
    "rapporteur",
    "commission_conclusion",
    "result",
    "decision",
)
# Changing these in an approved agenda re-sends the drafts to the deputies.
ITEM_MAILED_FIELDS = ("position", "title", "draft", "rapporteur")
PROFILE_FIELDS = tuple(
    f.name
    for f in VotingImportProfile._meta.concrete_fields
    if f.name != "id"  # every other field is editable
)


def _council_staff(actor) -> None:
    require_role(actor, *COUNCIL_ROLES)


def _after_commit_meeting(meeting_id: int) -> None:
    transaction.on_commit(
        lambda: signals_out.meeting_changed.send(sender=Meeting, meeting_id=meeting_id)
    )


def _after_commit(signal, sender, **ids) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **ids))


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# Convocations and people -----------------------------------------------------------------


@transaction.atomic
def convocation_create(*, actor, data: dict[str, Any]) -> Convocation:
    _council_staff(actor)
    convocation = create_audited(actor, Convocation(), data, CONVOCATION_FIELDS)
    _after_commit(signals_out.convocation_changed, Convocation, convocation_id=convocation.pk)
    return convocation


@transaction.atomic
def convocation_update(*, actor, convocation: Convocation, data: dict[str, Any]) -> Convocation:
    _council_staff(actor)
    current = update_audited(actor, _locked(Convocation, convocation.pk), data, CONVOCATION_FIELDS)
    _after_commit(signals_out.convocation_changed, Convocation, convocation_id=current.pk)
    return current


def _grant_deputy_role(person: Person) -> None:
    """The login of a deputy, or of a member of a commission or the executive committee, gets
    the deputy role («reads drafts before meetings»): the drafts they are mailed link to the
    cabinet behind the login."""
    if not person.user_id:
        return
    if (
        person.mandates.exists()
        or person.memberships.exclude(
            organization__kind__in=(OrganizationKind.FACTION, OrganizationKind.GROUP)
        ).exists()
    ):
        from django.contrib.auth.models import Group

        from ratusha.core.roles import ROLE_GROUPS

        group, _created = Group.objects.get_or_create(name=ROLE_GROUPS[Role.DEPUTY])
        person.user.groups.add(group)


@transaction.atomic
def person_create(*, actor, data: dict[str, Any]) -> Person:
    _council_staff(actor)
    person = create_audited(actor, Person(), data, PERSON_FIELDS)
    _after_commit(signals_out.person_changed, Person, person_id=person.pk)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict[str, Any]) -> Person:
    _council_staff(actor)
    current = update_audited(actor, _locked(Person, person.pk), data, PERSON_FIELDS)
    _grant_deputy_role(current)
    _after_commit(signals_out.person_changed, Person, person_id=current.pk)
    return current


def _check_mandate(deputy: Deputy) -> None:
    deputy.voting_identifier = (deputy.voting_identifier or "").strip()
    errors = {}
    if deputy.end_date and deputy.start_date and deputy.end_date < deputy.start_date:
        errors["end_date"] = [_("The mandate cannot end before it starts.")]
    if deputy.voting_identifier:
        taken = Deputy.objects.filter(
            convocation_id=deputy.convocation_id, voting_identifier=deputy.voting_identifier
        ).exclude(pk=deputy.pk)
        if taken.exists():
            errors["voting_identifier"] = [
                _("The identifier «%(id)s» already belongs to %(deputy)s.")
                % {"id": deputy.voting_identifier, "deputy": taken.first().person}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def deputy_create(*, actor, data: dict[str, Any]) -> Deputy:
    _council_staff(actor)
    deputy = create_audited(actor, Deputy(), data, DEPUTY_FIELDS, check=_check_mandate)
    _grant_deputy_role(deputy.person)
    transaction.on_commit(
        lambda: signals_out.deputy_changed.send(sender=Deputy, deputy_id=deputy.pk)
    )
    return deputy


@transaction.atomic
def deputy_update(*, actor, deputy: Deputy, data: dict[str, Any]) -> Deputy:
    _council_staff(actor)
    current = update_audited(
        actor, _locked(Deputy, deputy.pk), data, DEPUTY_FIELDS, check=_check_mandate
    )
    transaction.on_commit(
        lambda: signals_out.deputy_changed.send(sender=Deputy, deputy_id=current.pk)
    )
    return current


# Bodies and memberships -------------------------------------------------------------------


def _body_changed(organization_id: int) -> None:
    _after_commit(signals_out.body_changed, Organization, organization_id=organization_id)


@transaction.atomic
def organization_create(*, actor, data: dict[str, Any]) -> Organization:
    _council_staff(actor)
    organization = create_audited(actor, Organization(), data, ORGANIZATION_FIELDS)
    _body_changed(organization.pk)
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, data: dict[str, Any]) -> Organization:
    _council_staff(actor)
    current = update_audited(
        actor, _locked(Organization, organization.pk), data, ORGANIZATION_FIELDS
    )
    _body_changed(current.pk)
    return current


def _check_membership(membership: Membership) -> None:
    if (
        membership.start_date
        and membership.end_date
        and membership.end_date < membership.start_date
    ):
        raise ValidationError({"end_date": [_("The membership cannot end before it starts.")]})


@transaction.atomic
def membership_create(*, actor, data: dict[str, Any]) -> Membership:
    _council_staff(actor)
    membership = create_audited(
        actor, Membership(), data, MEMBERSHIP_FIELDS, check=_check_membership
    )
    _grant_deputy_role(membership.person)
    _body_changed(membership.organization_id)
    return membership


@transaction.atomic
def membership_update(*, actor, membership: Membership, data: dict[str, Any]) -> Membership:
    _council_staff(actor)
    current = _locked(Membership, membership.pk)
    previous_body = current.organization_id
    current = update_audited(actor, current, data, MEMBERSHIP_FIELDS, check=_check_membership)
    _grant_deputy_role(current.person)
    _body_changed(current.organization_id)
    if previous_body != current.organization_id:
        _body_changed(previous_body)
    return current


@transaction.atomic
def membership_delete(*, actor, membership: Membership) -> None:
    """Remove a membership entered by mistake (one that ended is given an end date instead)."""
    _council_staff(actor)
    organization_id = membership.organization_id
    delete_audited(actor, membership)
    _body_changed(organization_id)


# Meetings and sittings --------------------------------------------------------------------


# The kind of act («acts.ActKind.code») each kind of meeting's minutes are registered as.
MINUTES_KINDS = {
    MeetingKind.SESSION: "session-minutes",
    MeetingKind.COMMISSION: "commission-minutes",
    MeetingKind.EXECUTIVE: "executive-minutes",
}


def minutes_kind_name(meeting_kind: str) -> str:
    from ratusha.acts.models import ActKind

    code = MINUTES_KINDS.get(meeting_kind, "")
    return ActKind.objects.filter(code=code).values_list("name", flat=True).first() or code


def default_title(meeting: Meeting) -> str:
    """«7 сесія VIII скликання», «Позачергова 8 сесія…», «Постійна комісія з питань бюджету:
    засідання № 3», «Засідання виконавчого комітету № 12»."""
    if meeting.kind == MeetingKind.SESSION:
        prefix = "Позачергова " if meeting.is_extraordinary else ""
        return f"{prefix}{meeting.number} сесія {meeting.convocation.roman} скликання"
    body = meeting.organization.name if meeting.organization_id else ""
    if meeting.kind == MeetingKind.EXECUTIVE:
        return f"Засідання виконавчого комітету № {meeting.number}"
    return f"{body}: засідання № {meeting.number}"


def _check_meeting(meeting: Meeting) -> None:
    errors: dict[str, list[str]] = {}
    if meeting.kind == MeetingKind.SESSION:
        if meeting.organization_id:
            errors.setdefault("organization", []).append(
                _("A council session is not a meeting of a body; leave the body empty.")
            )
    elif not meeting.organization_id:
        errors.setdefault("organization", []).append(
            _("Choose the commission or the executive committee that meets.")
        )
    elif meeting.organization.convocation_id != meeting.convocation_id:
        errors.setdefault("organization", []).append(_("The body belongs to another convocation."))
    if meeting.minutes_id:
        wanted = MINUTES_KINDS.get(meeting.kind)
        if meeting.minutes.kind.code != wanted:
            errors.setdefault("minutes", []).append(
                _(
                    "«%(act)s» is not minutes of this kind of meeting (%(meeting)s): the "
                    "minutes are an act of kind «%(kind)s»."
                )
                % {
                    "act": meeting.minutes,
                    "meeting": meeting.get_kind_display(),
                    "kind": minutes_kind_name(meeting.kind),
                }
            )
    if errors:
        raise ValidationError(errors)
    if not (meeting.title or "").strip():
        meeting.title = default_title(meeting)
    duplicate = Meeting.objects.filter(
        convocation_id=meeting.convocation_id,
        kind=meeting.kind,
        organization_id=meeting.organization_id,
        number=meeting.number,
    ).exclude(pk=meeting.pk)
    if duplicate.exists():
        raise ValidationError(
            {"number": [_("«%(title)s» is already registered.") % {"title": duplicate.first()}]}
        )


def _save_unique(func):
    try:
        with transaction.atomic():
            return func()
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise ValidationError(_("This number is already taken; reload and try again.")) from exc


@transaction.atomic
def meeting_create(*, actor, data: dict[str, Any]) -> Meeting:
    """Register a meeting; a council session gets its first sitting on the same day."""
    _council_staff(actor)
    meeting = _save_unique(
        lambda: create_audited(actor, Meeting(), data, MEETING_FIELDS, check=_check_meeting)
    )
    if meeting.kind == MeetingKind.SESSION:
        Sitting.objects.create(
            meeting=meeting,
            number=1,
            date=meeting.date,
            start_time=meeting.start_time,
            place=meeting.place,
            status=meeting.status,
        )
    _after_commit_meeting(meeting.pk)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    _council_staff(actor)
    current = _locked(Meeting, meeting.pk)
    old_date = current.date
    current = _save_unique(
        lambda: update_audited(actor, current, data, MEETING_FIELDS, check=_check_meeting)
    )
    first = current.sittings.filter(number=1).first()
    if first and (first.date == old_date):
        first.date, first.start_time = current.date, current.start_time
        first.place = first.place or current.place
        first.save(update_fields=["date", "start_time", "place"])
    _after_commit_meeting(current.pk)
    return current


@transaction.atomic
def sitting_create(*, actor, data: dict[str, Any]) -> Sitting:
    _council_staff(actor)

    def check(sitting):
        if sitting.meeting.kind != MeetingKind.SESSION:
            raise ValidationError(_("Only a council session has several sittings."))

    sitting = create_audited(actor, Sitting(), data, SITTING_FIELDS, check=check)
    _after_commit_meeting(sitting.meeting_id)
    return sitting


@transaction.atomic
def sitting_update(*, actor, sitting: Sitting, data: dict[str, Any]) -> Sitting:
    _council_staff(actor)
    current = update_audited(actor, _locked(Sitting, sitting.pk), data, SITTING_FIELDS)
    _after_commit_meeting(current.meeting_id)
    return current


# Agenda -----------------------------------------------------------------------------------


def _check_item(item: AgendaItem) -> None:
    errors: dict[str, list[str]] = {}
    if item.draft_id and not item.draft.kind.is_draft:
        errors.setdefault("draft", []).append(
            _("«%(act)s» is not a draft; link the draft here and the decision below.")
            % {"act": item.draft}
        )
    if item.decision_id and item.decision.kind.is_draft:
        errors.setdefault("decision", []).append(_("The decision cannot be a draft."))
    if errors:
        raise ValidationError(errors)


def _agenda_changed(actor, meeting_id: int, reason: str) -> None:
    """An approved agenda changed: count a new revision and send it to the deputies again."""
    meeting = _locked(Meeting, meeting_id)
    if meeting.agenda_status != AgendaStatus.APPROVED:
        return
    meeting.agenda_revision += 1
    meeting.save(update_fields=["agenda_revision", "updated_at"])
    queue_mailing(actor=actor, meeting=meeting, reason=reason)


def _next_position(meeting_id: int) -> int:
    last = AgendaItem.objects.filter(meeting_id=meeting_id).order_by("-position").first()
    return (last.position + 1) if last else 1


@transaction.atomic
def agenda_item_create(*, actor, data: dict[str, Any]) -> AgendaItem:
    _council_staff(actor)
    data = dict(data)
    if not data.get("position"):
        meeting = data["meeting"]
        data["position"] = _next_position(getattr(meeting, "pk", meeting))
    item = create_audited(actor, AgendaItem(), data, ITEM_FIELDS, check=_check_item)
    _agenda_changed(
        actor,
        item.meeting_id,
        _("Item %(position)s added: %(title)s") % {"position": item.position, "title": item.title},
    )
    _after_commit_meeting(item.meeting_id)
    return item


def _mailed_state(item: AgendaItem) -> tuple:
    return (item.position, item.title, item.draft_id, item.rapporteur)


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    _council_staff(actor)
    current = _locked(AgendaItem, item.pk)
    before = _mailed_state(current)
    current = update_audited(actor, current, data, ITEM_FIELDS, check=_check_item)
    after = _mailed_state(current)
    if before != after:
        _agenda_changed(
            actor,
            current.meeting_id,
            _("Item %(position)s changed: %(title)s")
            % {"position": current.position, "title": current.title},
        )
    _after_commit_meeting(current.meeting_id)
    return current


@transaction.atomic
def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    """Delete an item of an agenda being prepared; once approved, mark it «removed» instead."""
    _council_staff(actor)
    if item.meeting.agenda_status == AgendaStatus.APPROVED:
        raise ValidationError(
            _("The agenda is approved: set the item's result to «removed from the agenda».")
        )
    if item.vote_events.exists():
        raise ValidationError(_("The item has votes and cannot be deleted."))
    meeting_id = item.meeting_id
    delete_audited(actor, item)
    _after_commit_meeting(meeting_id)


@transaction.atomic
def agenda_approve(*, actor, meeting: Meeting) -> Meeting:
    """Approve the agenda and send it, with the drafts, to every deputy."""
    _council_staff(actor)
    current = _locked(Meeting, meeting.pk)
    if current.agenda_status == AgendaStatus.APPROVED:
        raise ValidationError(_("The agenda is already approved."))
    if not current.items.exists():
        raise ValidationError(_("The agenda has no items."))
    before = snapshot(current)
    current.agenda_status = AgendaStatus.APPROVED
    current.agenda_approved_at = timezone.now()
    current.agenda_revision += 1
    current.save(update_fields=["agenda_status", "agenda_approved_at", "agenda_revision"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=snapshot(current),
        reason=_("agenda approved"),
    )
    queue_mailing(actor=actor, meeting=current, reason=_("Agenda approved"))
    _after_commit_meeting(current.pk)
    return current


@transaction.atomic
def agenda_resend(*, actor, meeting: Meeting, reason: str = "") -> DraftMailing:
    """Send the approved agenda again (e.g. after a new draft file was attached)."""
    _council_staff(actor)
    if meeting.agenda_status != AgendaStatus.APPROVED:
        raise ValidationError(_("The agenda is not approved yet."))
    return queue_mailing(actor=actor, meeting=meeting, reason=reason or _("Sent again"))


def queue_mailing(*, actor, meeting: Meeting, reason: str) -> DraftMailing:
    """Log a mailing with one delivery per sitting deputy; the worker sends them after the
    commit (``tasks.send_mailing``), retrying while the mail server is down."""
    from . import mailing

    return mailing.create_mailing(actor=actor, meeting=meeting, reason=reason)


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

    def at(person_id: int) -> str:
        row = rows.get(person_id)
        return _("row %(row)s: %(problem)s") % {"row": row, "problem": ""} if row else where

    for person_id in sorted(motion.choices, key=lambda pk: rows.get(pk, 0)):
        voter = pool.get(person_id)
        if voter is None:
            errors.append(
                at(person_id)
                + _("person #%(id)s does not vote at this meeting") % {"id": person_id}
            )
        elif not voter.serves_on(day):
            if body is None:
                problem = _("%(deputy)s has no mandate on %(date)s")
                names = {"deputy": voter.name, "date": _date(day)}
            else:
                problem = _("%(person)s is not a member of «%(body)s» on %(date)s")
                names = {"person": voter.name, "body": body, "date": _date(day)}
            errors.append(at(person_id) + problem % names)
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


# Import profiles --------------------------------------------------------------------------


@transaction.atomic
def import_profile_create(*, actor, data: dict[str, Any]) -> VotingImportProfile:
    _council_staff(actor)
    return create_audited(actor, VotingImportProfile(), data, PROFILE_FIELDS)


@transaction.atomic
def import_profile_update(
    *, actor, profile: VotingImportProfile, data: dict[str, Any]
) -> VotingImportProfile:
    _council_staff(actor)
    return update_audited(actor, _locked(VotingImportProfile, profile.pk), data, PROFILE_FIELDS)


# Mailing ----------------------------------------------------------------------------------


@transaction.atomic
def delivery_retry(*, actor, meeting: Meeting) -> int:
    """Retry now the meeting's deliveries that failed or wait for a retry; returns how many.
    A delivery overtaken by a newer revision is superseded when its turn comes."""
    from . import mailing

    _council_staff(actor)
    count = mailing.retry_now(meeting)
    if count:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=meeting,
            reason=_("Failed deliveries of drafts retried: %(count)s") % {"count": count},
        )
    return count
