"""Reads of core records. Templates and views get their data here, with related rows joined."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import AuditEntry, Employee, StructuralUnit
from .permissions import unit_records


def unit_list(*, active_only: bool = True) -> QuerySet[StructuralUnit]:
    """Units in their order, each with its staff (head first) prefetched."""
    units = StructuralUnit.objects.all()
    if active_only:
        units = units.filter(is_active=True)
    return units.prefetch_related(
        Prefetch("staff", queryset=Employee.objects.order_by("-is_head", "sort_order", "full_name"))
    )


def unit_get(*, slug: str) -> StructuralUnit:
    return unit_list(active_only=False).get(slug=slug)


def unit_head(unit: StructuralUnit) -> Employee | None:
    """The head of ``unit`` from its prefetched staff (no query when prefetched)."""
    return next((person for person in unit.staff.all() if person.is_head), None)


def units_editable_by(user) -> QuerySet[StructuralUnit]:
    """The units whose records ``user`` may change: all, their own, or none."""
    return unit_records(user, StructuralUnit.objects.all(), "pk")


def employees_editable_by(user) -> QuerySet[Employee]:
    return Employee.objects.filter(unit__in=units_editable_by(user)).select_related("unit", "user")


def audit_list(
    *,
    content_type_id: int | None = None,
    object_id: str | None = None,
    actor_id: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, filtered by record, user and period."""
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if content_type_id is not None:
        entries = entries.filter(content_type_id=content_type_id)
    if object_id is not None:
        entries = entries.filter(object_id=str(object_id))
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if start is not None:
        entries = entries.filter(at__gte=start)
    if end is not None:
        entries = entries.filter(at__lt=end)
    return entries


def period_stats(start: dt.date, end: dt.date) -> dict[str, int]:
    """What core contributes to the activity report for [start, end]: units and staff now, and
    how many recorded changes were made in the period."""
    units = StructuralUnit.objects.aggregate(
        units=Count("pk", filter=Q(is_active=True)),
    )
    changes = AuditEntry.objects.filter(at__date__gte=start, at__date__lte=end).count()
    return {
        "units": units["units"],
        "staff": Employee.objects.filter(unit__is_active=True).count(),
        "recorded_changes": changes,
    }
