"""Audited create and update of a record from a dict of fields: the shape every app's
services share (assign only the allowed fields, let a check refuse, validate, save, audit)."""

from __future__ import annotations

from typing import Any

from .audit import audit_record, snapshot
from .choices import AuditAction


def assign(instance, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields for {type(instance).__name__}: {sorted(unknown)}")
    for key, value in data.items():
        setattr(instance, key, value)


def save_validated(instance) -> None:
    instance.full_clean()
    instance.save()


def create_audited(actor, instance, data: dict[str, Any], fields: tuple[str, ...], *, check=None):
    """Fill a new record from ``data``, let ``check`` refuse it, save it validated, audit it."""
    assign(instance, data, fields)
    if check is not None:
        check(instance)
    save_validated(instance)
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=instance, after=snapshot(instance)
    )
    return instance


def update_audited(actor, current, data: dict[str, Any], fields: tuple[str, ...], *, check=None):
    """Change a locked record from ``data``, let ``check`` refuse the new state, save, audit."""
    before = snapshot(current)
    assign(current, data, fields)
    if check is not None:
        check(current)
    save_validated(current)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=current,
        before=before,
        after=snapshot(current),
    )
    return current


def delete_audited(actor, instance, *, reason: str = "") -> None:
    """Audit the deletion of ``instance`` with its last state, then delete it."""
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=instance,
        before=snapshot(instance),
        reason=reason,
    )
    instance.delete()
