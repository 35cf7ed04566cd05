"""The one write path for core records: structural units, their staff and the local calendar.

Each service takes keyword-only arguments, runs in one transaction, checks the actor's right,
writes an audit entry and leaves side effects for after the commit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import workdays
from .audit import audit_record, snapshot
from .choices import AuditAction
from .models import CalendarException, Employee, StructuralUnit
from .permissions import require_role, require_unit_records
from .records import create_audited as _create
from .records import update_audited as _update
from .roles import Role
from .text import ukrainian_slug

UNIT_FIELDS = (
    "name",
    "short_name",
    "slug",
    "functions",
    "address",
    "phone",
    "email",
    "sort_order",
    "is_active",
)
EMPLOYEE_FIELDS = (
    "unit",
    "full_name",
    "position",
    "is_head",
    "phone",
    "email",
    "user",
    "sort_order",
)
CALENDAR_FIELDS = ("date", "kind", "reason")


# Structural units ------------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor, data: dict[str, Any]) -> StructuralUnit:
    """Register a structural unit (administrators and department staff)."""
    require_role(actor, Role.ADMINISTRATOR, Role.DEPARTMENT_STAFF)

    def default_slug(unit):
        unit.slug = unit.slug or ukrainian_slug(unit.short_name or unit.name)

    return _create(actor, StructuralUnit(), data, UNIT_FIELDS, check=default_slug)


@transaction.atomic
def unit_update(*, actor, unit: StructuralUnit, data: dict[str, Any]) -> StructuralUnit:
    """Change a unit's card; a unit editor may change only their own unit."""
    current = StructuralUnit.objects.select_for_update().get(pk=unit.pk)
    require_unit_records(actor, current.pk, record=current)
    return _update(actor, current, data, UNIT_FIELDS)


@transaction.atomic
def unit_delete(*, actor, unit: StructuralUnit) -> None:
    """Delete a unit that has no staff (otherwise archive it with ``is_active=False``)."""
    require_role(actor, Role.ADMINISTRATOR, Role.DEPARTMENT_STAFF)
    if unit.staff.exists():
        raise ValidationError(
            _("The unit «%(unit)s» has staff; mark it inactive instead of deleting it.")
            % {"unit": unit}
        )
    before = snapshot(unit)
    audit_record(actor=actor, action=AuditAction.DELETE, instance=unit, before=before)
    unit.delete()


# Staff -------------------------------------------------------------------------------------------


@transaction.atomic
def employee_create(*, actor, data: dict[str, Any]) -> Employee:
    return _create(
        actor,
        Employee(),
        data,
        EMPLOYEE_FIELDS,
        check=lambda new: require_unit_records(actor, new.unit_id, record=new.unit),
    )


@transaction.atomic
def employee_update(*, actor, employee: Employee, data: dict[str, Any]) -> Employee:
    current = Employee.objects.select_for_update().get(pk=employee.pk)
    require_unit_records(actor, current.unit_id, record=current)
    # Moving a person to another unit needs the right over the new unit too.
    return _update(
        actor,
        current,
        data,
        EMPLOYEE_FIELDS,
        check=lambda changed: require_unit_records(actor, changed.unit_id, record=changed),
    )


@transaction.atomic
def employee_delete(*, actor, employee: Employee) -> None:
    require_unit_records(actor, employee.unit_id, record=employee)
    audit_record(
        actor=actor, action=AuditAction.DELETE, instance=employee, before=snapshot(employee)
    )
    employee.delete()


# Local working calendar -----------------------------------------------------------------------


@transaction.atomic
def calendar_exception_create(*, actor, data: dict[str, Any]) -> CalendarException:
    """Declare a local day off or working day (administrators and approvers)."""
    require_role(actor, Role.ADMINISTRATOR, Role.APPROVER)
    day = _create(actor, CalendarException(), data, CALENDAR_FIELDS)
    transaction.on_commit(workdays.reset_cache)
    return day


@transaction.atomic
def calendar_exception_update(
    *, actor, day: CalendarException, data: dict[str, Any]
) -> CalendarException:
    require_role(actor, Role.ADMINISTRATOR, Role.APPROVER)
    current = CalendarException.objects.select_for_update().get(pk=day.pk)
    _update(actor, current, data, CALENDAR_FIELDS)
    transaction.on_commit(workdays.reset_cache)
    return current


@transaction.atomic
def calendar_exception_delete(*, actor, day: CalendarException) -> None:
    require_role(actor, Role.ADMINISTRATOR, Role.APPROVER)
    audit_record(actor=actor, action=AuditAction.DELETE, instance=day, before=snapshot(day))
    day.delete()
    transaction.on_commit(workdays.reset_cache)
