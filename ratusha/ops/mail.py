"""The outbox e-mail backend and its sender.

``OutboxBackend`` (the project's ``EMAIL_BACKEND``) stores each message (``OutgoingMessage``,
the MIME as it will be sent) and, after the commit, enqueues ``tasks.send_outbox``. The worker
sends due messages through the transport (``core.mail.transport_connection``), claiming each
with a conditional UPDATE so two workers never send one twice; a failure (server down,
refused, timed out) is retried with a backoff (1, 5, 15, 60 minutes, then hourly) up to
``MAX_ATTEMPTS``. The worker's heartbeat (``tasks.heartbeat``, every few minutes) also sends
whatever is due, so a lost task delays a message but never loses it.

If the database itself cannot store the message, the backend tries the transport at once
rather than lose it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import logging
from email import policy as email_policy

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import MIMEMixin
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ratusha.core.mail import transport_connection

from .choices import OutgoingStatus
from .models import OutgoingMessage

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 48
LEASE = dt.timedelta(minutes=10)
PENDING = (OutgoingStatus.QUEUED, OutgoingStatus.RETRYING)


def backoff(attempts: int) -> dt.timedelta:
    index = max(attempts, 1) - 1
    return dt.timedelta(minutes=BACKOFF_MINUTES[index] if index < len(BACKOFF_MINUTES) else 60)


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        stored = 0
        for message in email_messages:
            recipients = list(message.recipients())
            if not recipients:
                continue
            try:
                OutgoingMessage.objects.create(
                    from_email=str(message.from_email),
                    recipients=recipients,
                    subject=str(message.subject)[:998],
                    raw=message.message().as_bytes(),
                    next_attempt_at=timezone.now(),
                )
            except DatabaseError:
                logger.exception("The outbox is unreachable; sending %r directly", message.subject)
                try:
                    transport_connection(fail_silently=self.fail_silently).send_messages([message])
                except Exception:
                    if not self.fail_silently:
                        raise
                    continue
            stored += 1
        if stored:
            transaction.on_commit(_enqueue_sender)
        return stored


def _enqueue_sender() -> None:
    from .tasks import send_outbox

    try:
        send_outbox.enqueue()
    except Exception:  # the heartbeat sends it later
        logger.exception("Could not enqueue the outbox sender")


class _StoredMIME(MIMEMixin, email.message.Message):
    """A stored message, parsed back, that Django's backends can send as it was."""


class StoredEmail(EmailMessage):
    """An ``EmailMessage`` whose MIME is the stored one (the transport backends call
    ``message()`` and ``recipients()``)."""

    def __init__(self, outgoing: OutgoingMessage):
        super().__init__(subject=outgoing.subject, from_email=outgoing.from_email)
        self.to = list(outgoing.recipients)
        self._raw = bytes(outgoing.raw)

    def recipients(self):
        return list(self.to)

    def message(self, *, policy=None):
        return email.message_from_bytes(self._raw, _class=_StoredMIME, policy=email_policy.compat32)


def _due(now):
    return Q(status__in=PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def send_due(*, limit: int = 500) -> int:
    """Send the messages whose time has come; returns how many went out."""
    now = timezone.now()
    ids = list(
        OutgoingMessage.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    sent = 0
    connection = transport_connection()
    try:
        for pk in ids:
            if send_one(pk, connection=connection):
                sent += 1
            else:
                with contextlib.suppress(Exception):
                    connection.close()
                connection = transport_connection()
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return sent


def send_one(pk: int, *, connection=None) -> bool:
    now = timezone.now()
    due = OutgoingMessage.objects.filter(_due(now), pk=pk)
    # Claim it: only one worker's UPDATE matches; a sent message is never matched again.
    if not due.update(next_attempt_at=now + LEASE):
        return False
    outgoing = OutgoingMessage.objects.get(pk=pk)
    try:
        (connection or transport_connection()).send_messages([StoredEmail(outgoing)])
    except Exception as exc:  # the server down, refused, timed out, or a broken message
        attempts = outgoing.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        OutgoingMessage.objects.filter(pk=pk).update(
            status=OutgoingStatus.FAILED if failed else OutgoingStatus.RETRYING,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
            next_attempt_at=None if failed else timezone.now() + backoff(attempts),
        )
        logger.warning("E-mail %s failed (attempt %s): %s", pk, attempts, exc)
        return False
    OutgoingMessage.objects.filter(pk=pk).update(
        status=OutgoingStatus.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        next_attempt_at=None,
        last_error="",
    )
    return True


def next_due_at() -> dt.datetime | None:
    return (
        OutgoingMessage.objects.filter(status__in=PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
