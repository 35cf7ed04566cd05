"""What every council service shares: who may run the council's paperwork, the fields each
record's form may change, the signals sent after the commit, locking."""

from __future__ import annotations

from django.db import transaction

from ratusha.core.permissions import require_role
from ratusha.core.roles import Role

from .. import signals_out
from ..models import (
    Meeting,
    VotingImportProfile,
)

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
