"""Meetings (sessions, commission and executive committee meetings) with their sittings,
agendas and minutes; the approval of an agenda and the mailing of drafts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_record, snapshot
from ratusha.core.choices import AuditAction
from ratusha.core.records import create_audited, delete_audited, update_audited

from ..choices import AgendaStatus, MeetingKind
from ..models import (
    AgendaItem,
    DraftMailing,
    Meeting,
    Sitting,
)
from .common import (
    ITEM_FIELDS,
    MEETING_FIELDS,
    SITTING_FIELDS,
    _after_commit_meeting,
    _council_staff,
    _locked,
)

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
    from .. import mailing

    return mailing.create_mailing(actor=actor, meeting=meeting, reason=reason)


# Mailing ----------------------------------------------------------------------------------


@transaction.atomic
def delivery_retry(*, actor, meeting: Meeting) -> int:
    """Retry now the meeting's deliveries that failed or wait for a retry; returns how many.
    A delivery overtaken by a newer revision is superseded when its turn comes."""
    from .. import mailing

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
