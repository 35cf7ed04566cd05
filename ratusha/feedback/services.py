"""The one write path of feedback messages: a visitor's submission and the staff's handling.

``message_submit`` runs for an anonymous visitor (the audit entry names «відвідувач сайту»);
the department is told by e-mail after the commit, through the project's outbox
(``EMAIL_BACKEND``), so a mail server that is down delays the notice but never loses it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core.audit import audit_record, snapshot
from ratusha.core.choices import AuditAction
from ratusha.core.permissions import require_unit_records
from ratusha.core.records import save_validated

from . import notifications
from .choices import FeedbackStatus
from .models import FeedbackMessage

SUBMIT_FIELDS = ("name", "email", "phone", "unit", "text")
PROCESS_FIELDS = ("status", "staff_note")
# What the audit entry keeps of a submission: not the message itself (it stays on the record).
_AUDITED_OUT = {"text", "staff_note"}


class _Visitor:
    """The actor of a submission: an anonymous visitor of the public site."""

    pk = None
    is_authenticated = False

    def __str__(self):
        return "відвідувач сайту"


VISITOR = _Visitor()


def _audited(message: FeedbackMessage) -> dict[str, Any]:
    return {k: v for k, v in snapshot(message).items() if k not in _AUDITED_OUT}


def reference_for(message: FeedbackMessage) -> str:
    """«ЗЗ-2026-00042»: the year received and the record's number."""
    return f"ЗЗ-{message.received_at:%Y}-{message.pk:05d}"


@transaction.atomic
def message_submit(*, data: dict[str, Any], consent: bool) -> FeedbackMessage:
    """Store a message from the public form; the caller has validated ``data``
    (``forms.FeedbackForm``), the model validates it again."""
    unknown = set(data) - set(SUBMIT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields for a feedback message: {sorted(unknown)}")
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Without consent to the processing of personal data "
                    "we cannot accept the message."
                )
            }
        )
    unit = data.get("unit")
    if unit is not None and not unit.is_active:
        raise ValidationError({"unit": _("This structural unit no longer takes messages.")})
    message = FeedbackMessage(consent_at=timezone.now(), **data)
    save_validated(message)
    message.reference = reference_for(message)
    message.save(update_fields=["reference"])
    audit_record(
        actor=VISITOR, action=AuditAction.CREATE, instance=message, after=_audited(message)
    )
    message_id = message.pk
    transaction.on_commit(lambda: notifications.notify_department(message_id))
    return message


@transaction.atomic
def message_process(*, actor, message: FeedbackMessage, data: dict[str, Any]) -> FeedbackMessage:
    """Change the status or the staff note of a message (staff of its unit, or of every
    unit)."""
    unknown = set(data) - set(PROCESS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields for a feedback message: {sorted(unknown)}")
    current = FeedbackMessage.objects.select_for_update().get(pk=message.pk)
    require_unit_records(actor, current.unit_id, record=current)
    before = snapshot(current)
    for key, value in data.items():
        setattr(current, key, value)
    if current.status != FeedbackStatus.NEW or current.staff_note:
        current.handled_by = actor if getattr(actor, "pk", None) else current.handled_by
    save_validated(current)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=snapshot(current),
    )
    return current
