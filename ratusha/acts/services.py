"""The one write path for legal acts: registration, publication (now or scheduled),
consideration of drafts, adoption, corrections as new versions, amendments, cancellation and
withdrawal. Each service checks the actor's right, runs in one transaction and writes the audit
log; a published act is never overwritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusha.core import deadlines
from ratusha.core.audit import audit_record, snapshot
from ratusha.core.choices import AuditAction
from ratusha.core.permissions import require_role, require_unit_records
from ratusha.core.roles import Role

from .choices import ActStatus, ConsiderationResult, PublicationRule, TextStatus
from .documents import InspectedDocument
from .models import Act, ActFile, ActKind, ActVersion
from .numbers import number_key

ACT_FIELDS = (
    "kind",
    "number",
    "date",
    "title",
    "issuing_body",
    "unit",
    "convocation",
    "session",
    "is_regulatory",
    "is_internal",
    "consideration_date",
    "text",
)
# Fields that may still change after publication without a new version (card, not text).
CARD_FIELDS = ("unit", "convocation", "session", "is_regulatory", "consideration_date")
FINAL_STATUSES = {ActStatus.CANCELLED, ActStatus.WITHDRAWN}


def publication_deadline(act: Act) -> dt.date | None:
    """The legal publication deadline of ``act`` from its kind's rule (core/deadlines.py)."""
    if act.is_internal:
        return None
    rule = act.kind.publication_rule
    if rule == PublicationRule.DRAFT:
        if act.consideration_date is None:
            return None
        return deadlines.draft_publication_deadline(act.consideration_date)
    if rule == PublicationRule.ADOPTED:
        return deadlines.act_publication_deadline(act.date)
    return None


def _act_snapshot(act: Act, *, links: bool = False) -> dict[str, Any]:
    """The act's fields for the audit log; with ``links``, also what it amends and cancels
    (two queries, so only the services that change links ask for them)."""
    data = snapshot(act)
    if links:
        data["amends"] = sorted(act.amends.values_list("pk", flat=True))
        data["cancels"] = sorted(act.cancels.values_list("pk", flat=True))
    return data


def _record_change(
    actor,
    act: Act,
    before: dict[str, Any],
    *,
    action: str = AuditAction.UPDATE,
    reason: str = "",
    links: bool = False,
) -> None:
    """Audit a change of ``act`` (its state now against ``before``) and, after the commit, tell
    those who follow acts (search, open data) that it changed."""
    audit_record(
        actor=actor,
        action=action,
        instance=act,
        before=before,
        after=_act_snapshot(act, links=links),
        reason=reason,
    )
    _after_commit_changed(act)


def _validate_act(act: Act) -> None:
    errors: dict[str, list[str]] = {}
    if not (act.title or "").strip():
        errors.setdefault("title", []).append(_("The title is required."))
    if act.date and act.date > timezone.localdate() + dt.timedelta(days=366):
        errors.setdefault("date", []).append(_("The date is more than a year ahead."))
    if act.consideration_date and not act.kind.is_draft:
        errors.setdefault("consideration_date", []).append(
            _("Only a draft has a planned consideration date.")
        )
    if act.number_key:
        duplicate = Act.objects.filter(
            kind_id=act.kind_id, year=act.year, number_key=act.number_key
        ).exclude(pk=act.pk)
        if duplicate.exists():
            errors.setdefault("number", []).append(
                _("%(kind)s № %(number)s of %(year)s is already registered.")
                % {"kind": act.kind.name, "number": act.number, "year": act.year}
            )
    if errors:
        raise ValidationError(errors)


def _prepare(act: Act) -> None:
    act.number = (act.number or "").strip().lstrip("№").strip()
    act.number_key = number_key(act.number)
    act.year = act.date.year
    if not act.issuing_body:
        act.issuing_body = act.kind.issuing_body
    act.publication_due = publication_deadline(act)


def _save(act: Act) -> None:
    _prepare(act)
    _validate_act(act)
    try:
        with transaction.atomic():
            act.save()
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise ValidationError(
            {"number": [_("This number is already registered for the kind and year.")]}
        ) from exc


def _attach_files(version: ActVersion, documents: Iterable[InspectedDocument]) -> list[ActFile]:
    attached = []
    for document in documents:
        stored = ActFile(
            version=version,
            original_name=document.name[:255],
            file_format=document.file_format,
            size=document.size,
            sha256=document.sha256,
            text_status=document.text_status,
            text=document.text,
        )
        stored.file.save(document.name, ContentFile(document.content), save=False)
        stored.save()
        if stored.text_status == TextStatus.OCR_PENDING:
            from .tasks import ocr_act_file

            transaction.on_commit(lambda pk=stored.pk: ocr_act_file.enqueue(pk))
        attached.append(stored)
    return attached


def _version_text(data_text: str, documents: list[InspectedDocument]) -> str:
    if data_text:
        return data_text
    return "\n\n".join(document.text for document in documents if document.text)


@transaction.atomic
def act_register(
    *, actor, data: dict[str, Any], documents: Iterable[InspectedDocument] = ()
) -> Act:
    """Register an act (a draft, or an adopted act) with its first version and files."""
    unknown = set(data) - set(ACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown act fields: {sorted(unknown)}")
    documents = list(documents)
    act = Act(**{key: value for key, value in data.items()})
    require_unit_records(actor, act.unit_id, record=act.title)
    act.text = _version_text(act.text, documents)
    _save(act)
    version = ActVersion.objects.create(
        act=act,
        number=1,
        title=act.title,
        text=act.text,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _attach_files(version, documents)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=act, after=_act_snapshot(act))
    _after_commit_changed(act)
    return act


@transaction.atomic
def act_update(*, actor, act: Act, data: dict[str, Any]) -> Act:
    """Change an act's card. Before publication any field; after it, only card fields — the
    text and title change only through ``act_correct`` (a new version)."""
    current = Act.objects.select_for_update().select_related("kind").get(pk=act.pk)
    require_unit_records(actor, current.unit_id, record=current)
    if current.published_at is not None:
        locked = set(data) - set(CARD_FIELDS)
        if locked:
            raise ValidationError(
                _("The act is published: correct it as a new version instead of changing %(f)s.")
                % {"f": ", ".join(sorted(locked))}
            )
    unknown = set(data) - set(ACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown act fields: {sorted(unknown)}")
    before = _act_snapshot(current)
    for key, value in data.items():
        setattr(current, key, value)
    if "unit" in data:
        require_unit_records(actor, current.unit_id, record=current)
    _save(current)
    if current.published_at is None and {"title", "text"} & set(data):
        ActVersion.objects.filter(act=current, number=1).update(
            title=current.title, text=current.text
        )
    _record_change(actor, current, before)
    return current


@transaction.atomic
def act_publish(
    *, actor, act: Act, at: dt.datetime | None = None, as_of: dt.datetime | None = None
) -> Act:
    """Publish an act on the site now, or schedule it for ``at`` (a future date-time; the task
    worker publishes it then). A draft is published for public review.

    ``as_of`` records a publication that already happened (a past date-time), for acts brought
    over from an earlier site with their real publication dates."""
    current = Act.objects.select_for_update().select_related("kind").get(pk=act.pk)
    require_unit_records(actor, current.unit_id, record=current)
    if current.is_internal:
        raise ValidationError(_("An internal organisational act is not published."))
    if current.published_at is not None:
        raise ValidationError(_("The act is already published."))
    if current.status in FINAL_STATUSES:
        raise ValidationError(_("A cancelled or withdrawn act cannot be published."))
    now = timezone.now()
    if as_of is not None:
        if as_of > now:
            raise ValidationError(_("A recorded publication date cannot be in the future."))
        now = as_of
    before = _act_snapshot(current)
    if at is not None and at > now:
        current.publish_at = at
        current.save(update_fields=["publish_at", "updated_at"])
        _record_change(actor, current, before, reason=_("publication scheduled"))
        from .tasks import publish_scheduled_act

        transaction.on_commit(
            lambda: publish_scheduled_act.using(run_after=at).enqueue(current.pk, at.isoformat())
        )
        return current
    current.published_at = now
    current.updated_at_public = now
    current.publish_at = None
    if current.status == ActStatus.REGISTERED:
        current.status = ActStatus.PUBLISHED
    current.published_late = current.publication_due is not None and deadlines.is_late(
        current.publication_due, now
    )
    current.save()
    current.versions.filter(published_at__isnull=True).update(published_at=now)
    _record_change(actor, current, before, action=AuditAction.PUBLISH)
    return current


@transaction.atomic
def act_publish_due(*, actor, now: dt.datetime | None = None) -> list[Act]:
    """Publish every act whose scheduled time has come (the worker's safety net)."""
    now = now or timezone.now()
    due = Act.objects.filter(publish_at__lte=now, published_at__isnull=True)
    return [act_publish(actor=actor, act=act) for act in due]


@transaction.atomic
def draft_consider(
    *,
    actor,
    draft: Act,
    result: str,
    reason: str = "",
    adopted: dict[str, Any] | None = None,
    documents: Iterable[InspectedDocument] = (),
) -> Act:
    """Record the outcome of a draft's consideration: adopted (registers the adopted act of the
    draft kind's final kind, linked to the draft), rejected or sent back for revision."""
    documents = list(documents)
    current = Act.objects.select_for_update().select_related("kind").get(pk=draft.pk)
    require_unit_records(actor, current.unit_id, record=current)
    if not current.kind.is_draft:
        raise ValidationError(_("Only a draft is considered."))
    if current.status not in {ActStatus.REGISTERED, ActStatus.PUBLISHED, ActStatus.RETURNED}:
        raise ValidationError(_("The draft has already been considered."))
    if result not in ConsiderationResult.values:
        raise ValidationError(_("Unknown result of consideration: %(r)s") % {"r": result})
    before = _act_snapshot(current)
    adopted_act = None
    if result == ConsiderationResult.ADOPTED:
        if current.kind.final_kind is None:
            raise ValidationError(_("The kind «%(k)s» has no adopted kind.") % {"k": current.kind})
        values = {
            "kind": current.kind.final_kind,
            "title": current.title,
            "unit": current.unit,
            "convocation": current.convocation,
            "session": current.session,
            "is_regulatory": current.is_regulatory,
            "text": "" if documents else current.text,
            **(adopted or {}),
        }
        adopted_act = act_register(actor=actor, data=values, documents=documents)
        current.adopted_as = adopted_act
    current.status = result
    current.status_reason = reason
    current.save()
    _record_change(actor, current, before, reason=reason)
    return adopted_act or current


@transaction.atomic
def act_correct(
    *,
    actor,
    act: Act,
    reason: str,
    title: str | None = None,
    text: str | None = None,
    documents: Iterable[InspectedDocument] = (),
) -> ActVersion:
    """Correct an act as a new version (its earlier versions stay and stay visible). On a
    published act the new version is published at once and the update date is shown."""
    current = Act.objects.select_for_update().select_related("kind").get(pk=act.pk)
    require_unit_records(actor, current.unit_id, record=current)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the act is corrected.")]})
    if current.status in FINAL_STATUSES:
        raise ValidationError(_("A cancelled or withdrawn act is not corrected."))
    documents = list(documents)
    if title is None and text is None and not documents:
        raise ValidationError(_("A correction changes the title, the text or the files."))
    before = _act_snapshot(current)
    last = current.versions.order_by("-number").first()
    now = timezone.now()
    version = ActVersion.objects.create(
        act=current,
        number=last.number + 1,
        title=title if title is not None else current.title,
        text=text if text is not None else (_version_text("", documents) or current.text),
        reason=reason.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
        published_at=now if current.published_at else None,
    )
    _attach_files(version, documents)
    current.title = version.title
    current.text = version.text
    if current.published_at:
        current.updated_at_public = now
    _save(current)
    _record_change(actor, current, before, reason=reason)
    return version


@transaction.atomic
def act_link(*, actor, act: Act, amends: Iterable[Act] = (), cancels: Iterable[Act] = ()) -> Act:
    """Record that ``act`` amends or cancels earlier acts; their status follows."""
    current = Act.objects.select_for_update().get(pk=act.pk)
    require_unit_records(actor, current.unit_id, record=current)
    before = _act_snapshot(current, links=True)
    for target in amends:
        current.amends.add(target)
        if target.status not in FINAL_STATUSES:
            _set_status(actor, target, ActStatus.AMENDED, _("amended by %(a)s") % {"a": current})
    for target in cancels:
        current.cancels.add(target)
        _set_status(actor, target, ActStatus.CANCELLED, _("cancelled by %(a)s") % {"a": current})
    _record_change(actor, current, before, links=True)
    return current


def _set_status(actor, act: Act, status: str, reason: str) -> None:
    before = _act_snapshot(act)
    act.status = status
    act.status_reason = reason
    act.save(update_fields=["status", "status_reason", "updated_at"])
    _record_change(actor, act, before, reason=reason)


@transaction.atomic
def act_withdraw(*, actor, act: Act, reason: str) -> Act:
    """Withdraw an act (the published record stays, marked withdrawn, with the reason)."""
    current = Act.objects.select_for_update().get(pk=act.pk)
    require_unit_records(actor, current.unit_id, record=current)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the act is withdrawn.")]})
    before = _act_snapshot(current)
    current.status = ActStatus.WITHDRAWN
    current.status_reason = reason.strip()
    current.publish_at = None
    current.save()
    _record_change(actor, current, before, action=AuditAction.WITHDRAW, reason=reason)
    return current


@transaction.atomic
def act_kind_create(*, actor, data: dict[str, Any]) -> ActKind:
    """Add a kind of act (e.g. lustration notices) without code: administrators only."""
    require_role(actor, Role.ADMINISTRATOR)
    kind = ActKind(**data)
    kind.full_clean()
    kind.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=kind, after=snapshot(kind))
    return kind


@transaction.atomic
def act_kind_update(*, actor, kind: ActKind, data: dict[str, Any]) -> ActKind:
    require_role(actor, Role.ADMINISTRATOR)
    before = snapshot(kind)
    for key, value in data.items():
        setattr(kind, key, value)
    kind.full_clean()
    kind.save()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=kind, before=before, after=snapshot(kind)
    )
    return kind


def _after_commit_changed(act: Act) -> None:
    """Side effects of a changed act, after the commit (search reindex hooks in here)."""
    from . import signals_out

    transaction.on_commit(lambda: signals_out.act_changed.send(sender=Act, act_id=act.pk))


@transaction.atomic
def act_file_set_text(*, actor, act_file: ActFile, text: str, status: str, error: str = "") -> None:
    """Store the text extracted (or recognised by OCR) from a file; the act's text follows when
    the file belongs to its current version and the act had no text of its own."""
    current = ActFile.objects.select_for_update().select_related("version__act").get(pk=act_file.pk)
    current.text = text
    current.text_status = status
    current.error = error[:500]
    current.save(update_fields=["text", "text_status", "error"])
    act = current.version.act
    latest = act.versions.order_by("-number").values_list("pk", flat=True).first()
    if text and current.version_id == latest:
        texts = [f.text for f in ActFile.objects.filter(version_id=latest).order_by("id") if f.text]
        before = _act_snapshot(act)
        act.text = "\n\n".join(texts)
        ActVersion.objects.filter(pk=latest).update(text=act.text)
        act.save(update_fields=["text", "updated_at"])
        _record_change(actor, act, before, reason=_("text recognised from the file"))
