"""Drafts to those who take part in a meeting: a mailing per approved agenda (and per change
of it), one delivery per recipient, sent by the worker after the commit. The recipients are
the meeting's voters on its date (``selectors.voters``): the deputies in office for a council
session, the body's members for a commission's or the executive committee's meeting.

Each delivery is one e-mail (plain text with an HTML alternative, in Ukrainian): the council,
the meeting's date, time and place, the agenda in order and, for each draft, a link to its
public page (if published) or to the cabinet behind the login; the drafts' files are attached while
their total stays within ``COUNCIL_MAIL_ATTACHMENTS_MAX_BYTES``.

Sending is at least once and never twice for the same delivery: a worker *claims* a delivery
with a conditional UPDATE (a lease in ``next_attempt_at``) before talking to the mail server,
so two workers cannot both send it, and a delivery already sent is never claimed again. A
failure (the server down, refused, timed out) is logged on the delivery and retried with a
backoff (1, 5, 15, 60 minutes, then hourly) up to ``MAX_ATTEMPTS``; a delivery overtaken by a
newer revision for the same person is marked superseded instead of being sent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field
from email.headerregistry import Address

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusha.core.mail import transport_connection

from .choices import DeliveryStatus
from .models import AgendaItem, Delivery, DraftMailing, Meeting
from .selectors.voters import meeting_voters

logger = logging.getLogger(__name__)

DEFAULT_ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_CHANGE_DELAY_SECONDS = 120
# Minutes to wait after the 1st, 2nd, 3rd, 4th failure; hourly after that.
BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 24
# How long a worker holds a delivery it is sending; a crashed worker's claim expires after it.
LEASE = dt.timedelta(minutes=10)
PENDING = (DeliveryStatus.QUEUED, DeliveryStatus.RETRYING)
MAIL_LANGUAGE = "uk"


def attachments_max_bytes() -> int:
    return int(
        getattr(settings, "COUNCIL_MAIL_ATTACHMENTS_MAX_BYTES", DEFAULT_ATTACHMENTS_MAX_BYTES)
    )


def change_delay() -> dt.timedelta:
    seconds = getattr(settings, "COUNCIL_MAIL_CHANGE_DELAY_SECONDS", DEFAULT_CHANGE_DELAY_SECONDS)
    return dt.timedelta(seconds=int(seconds))


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    index = max(attempts, 1) - 1
    minutes = BACKOFF_MINUTES[index] if index < len(BACKOFF_MINUTES) else 60
    return dt.timedelta(minutes=minutes)


# Creating a mailing ---------------------------------------------------------------------------


def create_mailing(*, actor, meeting: Meeting, reason: str) -> DraftMailing:
    """Log a mailing with a delivery for everyone called to the meeting on its date (its
    voters); the worker sends them after the commit. Older deliveries of the meeting not yet
    sent are superseded; a mailing caused by a change of the agenda waits
    ``COUNCIL_MAIL_CHANGE_DELAY_SECONDS`` so a burst of changes goes out as one e-mail."""
    from .tasks import send_mailing

    previous = DraftMailing.objects.filter(meeting=meeting).order_by("-pk").first()
    mailing = DraftMailing.objects.create(
        meeting=meeting,
        revision=meeting.agenda_revision,
        reason=reason[:500],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    # A new revision after an earlier mailing is a change; approval and «send again» go at once.
    is_change = previous is not None and previous.revision < mailing.revision
    # Only a backend that can defer a task can wait; the immediate one sends at once.
    can_wait = send_mailing.get_backend().supports_defer
    send_at = timezone.now() + change_delay() if is_change and can_wait else None
    deliveries = []
    for voter in meeting_voters(meeting):
        email = voter.person.email
        deliveries.append(
            Delivery(
                mailing=mailing,
                person=voter.person,
                email=email,
                status=DeliveryStatus.QUEUED if email else DeliveryStatus.NO_ADDRESS,
                next_attempt_at=send_at if email else None,
            )
        )
    Delivery.objects.bulk_create(deliveries)
    supersede_older(mailing)

    def enqueue():
        enqueue_task(send_mailing, mailing.pk, when=send_at)

    transaction.on_commit(enqueue)
    return mailing


def retry_now(meeting: Meeting) -> int:
    """Put the meeting's failed and waiting deliveries back in the queue, to be sent after
    the commit; returns how many."""
    from .tasks import send_delivery

    retry = Delivery.objects.select_for_update(of=("self",)).filter(
        mailing__meeting_id=meeting.pk,
        status__in=(DeliveryStatus.FAILED, DeliveryStatus.RETRYING),
    )
    ids = list(retry.values_list("pk", flat=True))
    if ids:
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.RETRYING, next_attempt_at=timezone.now()
        )
        transaction.on_commit(lambda: [enqueue_task(send_delivery, pk) for pk in ids])
    return len(ids)


def supersede_older(mailing: DraftMailing) -> int:
    """Mark superseded the deliveries of the meeting's earlier mailings not yet sent to the
    people this mailing goes to; returns how many."""
    return (
        Delivery.objects.filter(
            mailing__meeting_id=mailing.meeting_id,
            mailing_id__lt=mailing.pk,
            status__in=PENDING,
            person_id__in=Delivery.objects.filter(mailing=mailing).values("person_id"),
        )
        # One a worker is sending right now still ends as sent: its final write wins.
        .update(status=DeliveryStatus.SUPERSEDED, next_attempt_at=None)
    )


def enqueue_task(task, *args, when: dt.datetime | None = None):
    """Enqueue ``task`` now, or to run after ``when``. A backend that cannot defer (the
    immediate one) gets no future run: ``resend_pending_deliveries`` picks those up."""
    if when is not None and when > timezone.now():
        if not task.get_backend().supports_defer:
            logger.info("Backend cannot defer %s%r; left to the safety net", task.name, args)
            return None
        return task.using(run_after=when).enqueue(*args)
    return task.enqueue(*args)


# The content of the e-mail ----------------------------------------------------------------------


def site_root_url() -> str:
    """``https://rada.example.ua``: the default Wagtail site's root, for absolute links."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_url.rstrip("/")
    return str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")


def council_name() -> str:
    from wagtail.models import Site

    from ratusha.core.models import HromadaSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    return HromadaSettings.for_site(site).council_name


def cabinet_path() -> str:
    try:
        return reverse("council:cabinet")
    except NoReverseMatch:  # the public council URLs are not mounted
        return "/council/cabinet/"


def cabinet_file_path(act_id: int, file_id: int) -> str:
    try:
        return reverse("council:cabinet_file", kwargs={"act_id": act_id, "file_id": file_id})
    except NoReverseMatch:
        return f"/council/cabinet/drafts/{act_id}/files/{file_id}/"


@dataclass
class DraftFile:
    name: str
    size: int
    url: str
    file_format: str
    stored: object = None  # the ActFile


@dataclass
class DraftInfo:
    act: object
    label: str
    title: str
    url: str
    is_public: bool
    files: list[DraftFile] = field(default_factory=list)


@dataclass
class ItemInfo:
    position: int
    title: str
    rapporteur: str
    removed: bool
    draft: DraftInfo | None


@dataclass
class MailingContent:
    """What every recipient's e-mail of one mailing has in common (built once per mailing)."""

    mailing: DraftMailing
    meeting: Meeting
    council_name: str
    cabinet_url: str
    items: list[ItemInfo]
    attachments: list[tuple[str, bytes, str]]
    attachments_too_big: bool
    subject: str


def _current_files(act) -> tuple[object | None, list]:
    versions = list(act.versions.all())  # prefetched, newest first
    if not versions:
        return None, []
    return versions[0], list(versions[0].files.all())


def mailing_content(mailing: DraftMailing) -> MailingContent:
    from ratusha.acts.models import ActFile, ActVersion
    from ratusha.acts.views import CONTENT_TYPES, FALLBACK_CONTENT_TYPE

    from .choices import ItemResult

    meeting = Meeting.objects.select_related("convocation", "organization").get(
        pk=mailing.meeting_id
    )
    root = site_root_url()
    items_qs = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("draft__kind")
        .prefetch_related(
            Prefetch(
                "draft__versions",
                queryset=ActVersion.objects.order_by("-number").prefetch_related(
                    Prefetch("files", queryset=ActFile.objects.order_by("id"))
                ),
            )
        )
        .order_by("position", "id")
    )
    items: list[ItemInfo] = []
    all_files: list[DraftFile] = []
    for item in items_qs:
        draft = None
        if item.draft_id:
            act = item.draft
            version, files = _current_files(act)
            public_files = act.is_public and version is not None and version.published_at
            draft = DraftInfo(
                act=act,
                label=str(act),
                title=act.title,
                url=root
                + (act.get_absolute_url() if act.is_public else cabinet_path())
                + ("" if act.is_public else f"#draft-{act.pk}"),
                is_public=act.is_public,
            )
            for stored in files:
                if public_files:
                    path = reverse("acts:file", kwargs={"pk": act.pk, "file_id": stored.pk})
                else:
                    path = cabinet_file_path(act.pk, stored.pk)
                info = DraftFile(
                    name=stored.original_name,
                    size=stored.size,
                    url=root + path,
                    file_format=stored.file_format,
                    stored=stored,
                )
                draft.files.append(info)
                all_files.append(info)
        items.append(
            ItemInfo(
                position=item.position,
                title=item.title,
                rapporteur=item.rapporteur,
                removed=item.result == ItemResult.REMOVED,
                draft=draft,
            )
        )

    attachments: list[tuple[str, bytes, str]] = []
    total = sum(f.size for f in all_files)
    too_big = total > attachments_max_bytes()
    if all_files and not too_big:
        try:
            for info in all_files:
                with info.stored.file.open("rb") as handle:
                    content = handle.read()
                mimetype = CONTENT_TYPES.get(info.file_format.lower(), FALLBACK_CONTENT_TYPE)
                attachments.append((info.name, content, mimetype))
        except (OSError, ValueError):
            # A file missing from the storage: send the links, not a partial set of files.
            logger.exception("Draft files of mailing %s could not be read", mailing.pk)
            attachments, too_big = [], True

    with translation.override(MAIL_LANGUAGE):
        subject = _("Agenda: %(meeting)s (revision %(revision)s)") % {
            "meeting": str(meeting),
            "revision": mailing.revision,
        }
    return MailingContent(
        mailing=mailing,
        meeting=meeting,
        council_name=council_name(),
        cabinet_url=root + cabinet_path(),
        items=items,
        attachments=attachments,
        attachments_too_big=too_big and bool(all_files),
        subject=subject,
    )


def _address(name: str, address: str) -> str:
    """``"Name" <address>`` as Django expects it (it encodes a non-ASCII name itself)."""
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError):  # an address the header parser cannot split
        return address


def build_message(delivery: Delivery, content: MailingContent, connection=None):
    """The e-mail of one delivery: plain text with an HTML alternative and the attachments."""
    context = {
        "person": delivery.person,
        "mailing": content.mailing,
        "meeting": content.meeting,
        "council_name": content.council_name,
        "cabinet_url": content.cabinet_url,
        "items": content.items,
        "attached": bool(content.attachments),
        "attachments_too_big": content.attachments_too_big,
        "max_bytes": attachments_max_bytes(),
        "is_first": content.mailing.revision <= 1,
    }
    with translation.override(MAIL_LANGUAGE):
        text = render_to_string("council/email/agenda.txt", context)
        html = render_to_string("council/email/agenda.html", context)
    to = _address(delivery.person.full_name, delivery.email)
    headers = {"Auto-Submitted": "auto-generated"}
    address = settings.DEFAULT_FROM_EMAIL
    named = content.council_name and "<" not in address
    sender = _address(content.council_name, address) if named else address
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=text,
        from_email=sender,
        to=[to],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    for name, data, mimetype in content.attachments:
        message.attach(name, data, mimetype)
    return message


# Sending --------------------------------------------------------------------------------------


def _due(now: dt.datetime) -> Q:
    return Q(status__in=PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def _newer_exists(delivery: Delivery) -> bool:
    return Delivery.objects.filter(
        person_id=delivery.person_id,
        mailing__meeting_id=delivery.mailing.meeting_id,
        mailing_id__gt=delivery.mailing_id,
    ).exists()


def send_delivery_now(
    delivery_id: int, *, connection=None, content: MailingContent | None = None
) -> str:
    """Send one delivery if it is due and not sent; returns its status afterwards."""
    now = timezone.now()
    due = Delivery.objects.filter(_due(now), pk=delivery_id)
    delivery = due.select_related("mailing", "person").first()
    if delivery is None:
        return (
            Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or ""
        )
    if _newer_exists(delivery):
        if due.update(status=DeliveryStatus.SUPERSEDED, next_attempt_at=None):
            return DeliveryStatus.SUPERSEDED
        return Delivery.objects.get(pk=delivery_id).status
    # Claim it: only one worker's UPDATE matches; a sent delivery is never matched again.
    if not due.update(next_attempt_at=now + LEASE):
        return Delivery.objects.get(pk=delivery_id).status
    try:
        if content is None or content.mailing.pk != delivery.mailing_id:
            content = mailing_content(delivery.mailing)
        message = build_message(delivery, content, connection=connection or transport_connection())
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        return _failed(delivery, exc, connection)
    except Exception as exc:  # a bug or bad data: log it, keep the delivery and retry later
        logger.exception("Delivery %s could not be built or sent", delivery_id)
        return _failed(delivery, exc, connection)
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
        next_attempt_at=None,
    )
    return DeliveryStatus.SENT


def _failed(delivery: Delivery, exc: BaseException, connection) -> str:
    from .tasks import send_delivery

    if connection is not None:  # a broken session: the next message opens a new one
        with contextlib.suppress(Exception):  # closing a dead connection may fail any way
            connection.close()
    attempts = delivery.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:1000]
    if attempts >= MAX_ATTEMPTS:
        status, next_at = DeliveryStatus.FAILED, None
    else:
        status, next_at = DeliveryStatus.RETRYING, timezone.now() + backoff(attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, attempts=attempts, last_error=error, next_attempt_at=next_at
    )
    logger.warning(
        "Delivery %s to %s failed (attempt %s): %s", delivery.pk, delivery.email, attempts, error
    )
    if next_at is not None:
        enqueue_task(send_delivery, delivery.pk, when=next_at)
    return status


def send_mailing_now(mailing_id: int) -> int:
    """Send every due delivery of a mailing over one connection; returns how many went out."""
    mailing = DraftMailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return 0
    ids = list(
        Delivery.objects.filter(_due(timezone.now()), mailing_id=mailing_id)
        .order_by("person__full_name", "pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    content = None
    sent = 0
    connection = transport_connection()
    try:
        for pk in ids:
            if content is None:
                content = mailing_content(mailing)
            if send_delivery_now(pk, connection=connection, content=content) == DeliveryStatus.SENT:
                sent += 1
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return sent


def due_deliveries(now: dt.datetime | None = None) -> list[int]:
    """Deliveries waiting to be sent whose time has come (for the safety net)."""
    return list(
        Delivery.objects.filter(_due(now or timezone.now()))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )


def enqueue_due_deliveries() -> int:
    """Enqueue a send for every due delivery (lost tasks, worker restarts); returns how many."""
    from .tasks import send_delivery

    ids = due_deliveries()
    for pk in ids:
        enqueue_task(send_delivery, pk)
    return len(ids)


def send_due_deliveries() -> int:
    """Send every due delivery in this process; returns how many went out."""
    sent = 0
    contents: dict[int, MailingContent] = {}
    connection = transport_connection()
    try:
        for pk in due_deliveries():
            mailing = DraftMailing.objects.filter(deliveries__pk=pk).first()
            if mailing is None:
                continue
            if mailing.pk not in contents:
                contents[mailing.pk] = mailing_content(mailing)
            status = send_delivery_now(pk, connection=connection, content=contents[mailing.pk])
            if status == DeliveryStatus.SENT:
                sent += 1
    finally:
        connection.close()
    return sent
