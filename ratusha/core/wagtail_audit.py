"""The audit log of Wagtail's own records: pages, documents and images.

Pages, documents and images are not written through our services (Wagtail's admin and actions
write them), so their audit entries come from two receivers connected in ``CoreConfig.ready``:

- **Pages**: every entry Wagtail writes to its page log (``PageLogEntry``) is copied to the
  audit log. Wagtail writes one for every create, edit (a revision saved in the admin), publish
  (now or scheduled), unpublish (by hand or on expiry), move, reorder, rename, revert, copy,
  deletion (one per page of a deleted subtree) and change of view restriction — wherever it
  happens: the admin, the worker's ``publish_scheduled``, the album's bulk upload or code. The
  log entry carries the user, so the audit entry names who did it (``система`` for the
  worker). Locks, comments and workflow steps are not changes of what the public sees and are
  not copied; a workflow's approval is followed by its publish entry.
- **Documents and images**: ``post_save`` and ``post_delete`` of the document and image models
  (the multiple-upload views of Wagtail write no log entry). The actor is the user of the admin
  request (Wagtail's log context, set for every admin view), else the uploader on creation.

The entries are written in the transaction of the change: rolled back with it, never without
it. ``AuditEntry`` stays append-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from .audit import _plain, actor_repr
from .choices import AuditAction
from .models import AuditEntry

# Wagtail's page log actions → the audit log's actions. Anything not named is not copied.
PAGE_ACTIONS: dict[str, str] = {
    "wagtail.create": AuditAction.CREATE,
    "wagtail.copy": AuditAction.CREATE,
    "wagtail.copy_for_translation": AuditAction.CREATE,
    "wagtail.create_alias": AuditAction.CREATE,
    "wagtail.edit": AuditAction.UPDATE,
    "wagtail.revert": AuditAction.UPDATE,
    "wagtail.rename": AuditAction.UPDATE,
    "wagtail.convert_alias": AuditAction.UPDATE,
    "wagtail.publish.schedule": AuditAction.UPDATE,
    "wagtail.schedule.cancel": AuditAction.UPDATE,
    "wagtail.view_restriction.create": AuditAction.UPDATE,
    "wagtail.view_restriction.edit": AuditAction.UPDATE,
    "wagtail.view_restriction.delete": AuditAction.UPDATE,
    "wagtail.publish": AuditAction.PUBLISH,
    "wagtail.publish.scheduled": AuditAction.PUBLISH,
    "wagtail.unpublish": AuditAction.UNPUBLISH,
    "wagtail.unpublish.scheduled": AuditAction.UNPUBLISH,
    "wagtail.move": AuditAction.MOVE,
    "wagtail.reorder": AuditAction.MOVE,
    "wagtail.delete": AuditAction.DELETE,
}


def _changes(log_entry) -> dict[str, list]:
    """``{field: [before, after]}`` from what Wagtail's log entry holds."""
    data: dict[str, Any] = log_entry.data or {}
    changes: dict[str, list] = {}
    if log_entry.revision_id:
        changes["revision"] = [None, log_entry.revision_id]
    if "source" in data and "destination" in data:  # move, reorder
        changes["parent"] = [data["source"].get("id"), data["destination"].get("id")]
    if "title" in data and isinstance(data["title"], dict):  # rename
        changes["title"] = [data["title"].get("old"), data["title"].get("new")]
    if "revision" in data and isinstance(data["revision"], dict):  # revert, schedule
        for key, value in data["revision"].items():
            changes[f"revision_{key}"] = [None, _plain(value)]
    if "restriction" in data and isinstance(data["restriction"], dict):
        changes["view_restriction"] = [None, _plain(data["restriction"].get("type"))]
    return changes


def _write(*, actor, action: str, content_type, object_id, object_repr: str, changes, reason=""):
    real_user = actor if getattr(actor, "pk", None) is not None else None
    return AuditEntry.objects.create(
        actor=real_user,
        actor_repr=actor_repr(actor)[:255],
        action=action,
        content_type=content_type,
        object_id=str(object_id),
        object_repr=(object_repr or "")[:255],
        changes=changes,
        reason=reason,
    )


def page_log_entry_saved(sender, instance, created, **kwargs) -> None:
    """Copy a new Wagtail page log entry to the audit log."""
    if not created or kwargs.get("raw"):
        return
    action = PAGE_ACTIONS.get(instance.action)
    if action is None:
        return
    reason = "" if instance.action in ("wagtail.edit", "wagtail.create") else instance.action
    _write(
        actor=instance.user,
        action=action,
        content_type=instance.content_type,
        object_id=instance.page_id,
        object_repr=instance.label,
        changes=_changes(instance),
        reason=reason,
    )


def _request_user(fallback=None):
    from wagtail.log_actions import get_active_log_context

    return get_active_log_context().user or fallback


FILE_FIELDS = ("title", "file", "file_size", "file_hash", "collection_id")


def _file_snapshot(instance) -> dict[str, Any]:
    return {
        name: _plain(getattr(instance, name, None))
        for name in FILE_FIELDS
        if hasattr(instance, name)
    }


def file_saved(sender, instance, created, **kwargs) -> None:
    """A document or image uploaded or changed."""
    if kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"file_size", "file_hash"}:
        return  # Wagtail filling in the file's metadata after the upload: not a new change
    after = _file_snapshot(instance)
    _write(
        actor=_request_user(getattr(instance, "uploaded_by_user", None) if created else None),
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance),
        changes={key: [None, value] for key, value in after.items() if value not in (None, "")},
    )


def file_deleted(sender, instance, **kwargs) -> None:
    before = _file_snapshot(instance)
    _write(
        actor=_request_user(),
        action=AuditAction.DELETE,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance),
        changes={key: [value, None] for key, value in before.items() if value not in (None, "")},
    )


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageLogEntry

    post_save.connect(
        page_log_entry_saved, sender=PageLogEntry, dispatch_uid="ratusha.audit.page_log"
    )
    for model in (get_document_model(), get_image_model()):
        post_save.connect(
            file_saved, sender=model, dispatch_uid=f"ratusha.audit.{model._meta.label}.saved"
        )
        post_delete.connect(
            file_deleted, sender=model, dispatch_uid=f"ratusha.audit.{model._meta.label}.deleted"
        )
