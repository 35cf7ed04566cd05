"""Editorial work on the site: the approval workflow and the unit editors' part of the tree.

- ``ensure_workflow()`` keeps the workflow «Погодження публікації»: one group approval task for
  department staff, approvers and administrators, assigned to the root of the page tree, so a
  unit editor (who may not publish) submits a page and one of them approves and publishes it.
- ``sync_unit_page_groups()`` keeps a Wagtail group per unit page, «Редактори сторінки: …»,
  with the right to add and change pages (never to publish) in that page's subtree; its members
  are the unit's employees whose login is a unit editor. Both run after every ``migrate`` and
  by ``manage.py sync_unit_editors``; the unit groups also whenever a unit page is saved
  (created in the admin or by the demo, published, its unit changed) or deleted, a unit is
  renamed, and an employee or a user's groups change (``connect_signals``), whatever the
  order in which units, employees, logins and pages come to exist.

Role and permission sync is the one thing signals may do (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from ratusha.core.roles import ROLE_GROUPS, Role

# Names are data shown in the admin, so they are Ukrainian (like the role groups).
WORKFLOW_NAME = "Погодження публікації"
TASK_NAME = "Погодження працівниками відділу"
UNIT_GROUP_PREFIX = "Редактори сторінки: "
APPROVING_ROLES = (Role.DEPARTMENT_STAFF, Role.APPROVER, Role.ADMINISTRATOR)
# What a unit editor may do on their unit's page and below it: write drafts and submit them.
UNIT_PAGE_PERMISSIONS = ("add_page", "change_page")
_GROUP_NAME_MAX = 150  # auth.Group.name


@transaction.atomic
def ensure_workflow():
    """Create (or repair) the approval workflow and assign it to the root of the page tree.

    Idempotent. Replaces Wagtail's default «Moderators approval» on the root, which the role
    groups do not use. Returns the workflow, or ``None`` before the page tree exists."""
    from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

    root = Page.get_first_root_node()
    if root is None:
        return None
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True)
    groups = [Group.objects.get_or_create(name=ROLE_GROUPS[role])[0] for role in APPROVING_ROLES]
    task.groups.add(*groups)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


def unit_group_name(unit) -> str:
    return f"{UNIT_GROUP_PREFIX}{unit.short_name or unit.name}"[:_GROUP_NAME_MAX]


@transaction.atomic
def sync_unit_page_groups(unit_ids: Iterable[int] | None = None) -> None:
    """Give each unit page its editors' group, with exactly its unit's unit editors in it.

    Idempotent. ``unit_ids`` limits the work to those units' pages; a full run also deletes
    the groups whose page is gone. A renamed unit's group is renamed."""
    from wagtail.models import GroupPagePermission

    from .models import UnitPage

    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=UNIT_PAGE_PERMISSIONS
        )
    )
    if len(permissions) != len(UNIT_PAGE_PERMISSIONS):
        return  # before wagtailcore has migrated
    unit_editor_group = Group.objects.filter(name=ROLE_GROUPS[Role.UNIT_EDITOR]).first()
    users = get_user_model().objects.filter(is_active=True)
    kept: set[int] = set()
    pages = UnitPage.objects.select_related("unit").order_by("path")
    if unit_ids is not None:
        pages = pages.filter(unit_id__in=list(unit_ids))
    for page in pages:
        group = (
            Group.objects.filter(
                name__startswith=UNIT_GROUP_PREFIX, page_permissions__page=page
            ).first()
            or Group.objects.get_or_create(name=unit_group_name(page.unit))[0]
        )
        name = unit_group_name(page.unit)
        if group.name != name and not Group.objects.filter(name=name).exists():
            group.name = name
            group.save(update_fields=["name"])
        kept.add(group.pk)
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        # Only the rights above, and only on this page (an administrator's extra rights too).
        GroupPagePermission.objects.filter(group=group).exclude(page=page).delete()
        GroupPagePermission.objects.filter(group=group, page=page).exclude(
            permission__in=permissions
        ).delete()
        if unit_editor_group is None:
            members = users.none()
        else:
            members = users.filter(employee__unit_id=page.unit_id, groups=unit_editor_group)
        group.user_set.set(members)
    if unit_ids is not None:
        return
    Group.objects.filter(name__startswith=UNIT_GROUP_PREFIX).exclude(pk__in=kept).exclude(
        page_permissions__isnull=False
    ).delete()


# Keeping the groups in step (role/permission sync: the one job signals may do) -----------


def _after_migrate(sender, **kwargs):
    # post_migrate is sent once per app; every app's tables exist only at the last one.
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    ensure_workflow()
    sync_unit_page_groups()


def _employee_changed(sender, instance, **kwargs):
    unit_ids = {instance.unit_id}
    previous = getattr(instance, "_portal_previous_unit_id", None)
    if previous:
        unit_ids.add(previous)
    sync_unit_page_groups(unit_ids)


def _employee_loaded(sender, instance, **kwargs):
    instance._portal_previous_unit_id = instance.unit_id


def _unit_page_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the rows come as they are
        return
    sync_unit_page_groups({instance.unit_id})


def _unit_page_deleted(sender, instance, **kwargs):
    # The page's permissions go with it; drop its group once the deletion is committed.
    transaction.on_commit(sync_unit_page_groups)


def _unit_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:  # a new unit has no page yet
        sync_unit_page_groups({instance.pk})


def _user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # A group's members changed; the sync itself changes the unit page groups this way.
        if isinstance(instance, Group) and instance.name == ROLE_GROUPS[Role.UNIT_EDITOR]:
            sync_unit_page_groups()
        return
    editor_group = Group.objects.filter(name=ROLE_GROUPS[Role.UNIT_EDITOR]).first()
    if action == "post_clear" or (editor_group and pk_set and editor_group.pk in pk_set):
        employee = getattr(instance, "employee", None) if instance.pk else None
        if employee is not None:
            sync_unit_page_groups({employee.unit_id})


def connect_signals() -> None:
    from django.db.models.signals import (
        m2m_changed,
        post_delete,
        post_init,
        post_migrate,
        post_save,
    )

    post_migrate.connect(_after_migrate, dispatch_uid="ratusha.portal.editorial")
    post_init.connect(_employee_loaded, sender="core.Employee", dispatch_uid="portal.emp_init")
    for signal in (post_save, post_delete):
        signal.connect(_employee_changed, sender="core.Employee", dispatch_uid="portal.employee")
    post_save.connect(_unit_saved, sender="core.StructuralUnit", dispatch_uid="portal.unit")
    post_save.connect(_unit_page_saved, sender="portal.UnitPage", dispatch_uid="portal.unit_page")
    post_delete.connect(
        _unit_page_deleted, sender="portal.UnitPage", dispatch_uid="portal.unit_page_deleted"
    )
    m2m_changed.connect(
        _user_groups_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="ratusha.portal.user_groups",
    )
