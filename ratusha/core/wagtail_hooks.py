"""Admin for core records: units, staff, the local calendar (through services) and the audit log
(read-only, for administrators)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import selectors, services
from .admin_views import ServiceModelViewSet
from .models import AuditEntry, CalendarException, Employee, StructuralUnit
from .permissions import is_administrator


class UnitIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.units_editable_by(self.request.user)


class UnitViewSet(ServiceModelViewSet):
    name = "core_units"
    url_prefix = "units"
    model = StructuralUnit
    icon = "group"
    menu_label = _("Structural units")
    add_to_admin_menu = False
    index_view_class = UnitIndexView
    list_display = ["name", "short_name", "phone", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name"]
    search_backend_name = None
    form_fields = list(services.UNIT_FIELDS)
    create_service = staticmethod(services.unit_create)
    update_service = staticmethod(
        lambda *, actor, instance, data: services.unit_update(actor=actor, unit=instance, data=data)
    )
    delete_service = staticmethod(
        lambda *, actor, instance: services.unit_delete(actor=actor, unit=instance)
    )


class EmployeeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.employees_editable_by(self.request.user)


class EmployeeViewSet(ServiceModelViewSet):
    name = "core_staff"
    url_prefix = "staff"
    model = Employee
    icon = "user"
    menu_label = _("Staff")
    index_view_class = EmployeeIndexView
    list_display = ["full_name", "position", "unit", "is_head"]
    list_filter = ["unit", "is_head"]
    search_fields = ["full_name", "position"]
    search_backend_name = None
    form_fields = list(services.EMPLOYEE_FIELDS)
    create_service = staticmethod(services.employee_create)
    update_service = staticmethod(
        lambda *, actor, instance, data: services.employee_update(
            actor=actor, employee=instance, data=data
        )
    )
    delete_service = staticmethod(
        lambda *, actor, instance: services.employee_delete(actor=actor, employee=instance)
    )


class CalendarExceptionViewSet(ServiceModelViewSet):
    name = "core_calendar"
    url_prefix = "calendar"
    model = CalendarException
    icon = "date"
    menu_label = _("Working calendar")
    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
    form_fields = list(services.CALENDAR_FIELDS)
    create_service = staticmethod(services.calendar_exception_create)
    update_service = staticmethod(
        lambda *, actor, instance, data: services.calendar_exception_update(
            actor=actor, day=instance, data=data
        )
    )
    delete_service = staticmethod(
        lambda *, actor, instance: services.calendar_exception_delete(actor=actor, day=instance)
    )


class AuditPermissionPolicy(ModelPermissionPolicy):
    """Administrators read the audit log; nobody adds, changes or deletes entries."""

    def user_has_permission(self, user, action):
        return action == "view" and is_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return (
            super().users_with_any_permission(["view"])
            if "view" in actions
            else (super().users_with_any_permission([]))
        )


register_permission_policy(AuditEntry, AuditPermissionPolicy(AuditEntry))


class AuditFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(label=_("when"), widget=DateRangePickerWidget)
    object_id = django_filters.CharFilter(label=_("record id"))

    class Meta:
        model = AuditEntry
        fields = ["content_type", "object_id", "actor", "action", "at"]


class AuditIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.audit_list()


class AuditEntryViewSet(ModelViewSet):
    name = "core_audit"
    url_prefix = "audit"
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    index_view_class = AuditIndexView
    list_display = ["at", "actor_repr", "action", "content_type", "object_repr"]
    filterset_class = AuditFilterSet
    search_fields = ["object_repr", "actor_repr", "reason"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "at",
        "actor_repr",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes",
        "reason",
    ]
    copy_view_enabled = False
    form_fields = []


class CoreGroup(ViewSetGroup):
    menu_label = _("Administration")
    menu_icon = "cogs"
    menu_order = 900
    items = (UnitViewSet, EmployeeViewSet, CalendarExceptionViewSet, AuditEntryViewSet)


@hooks.register("register_admin_viewset")
def register_core_viewsets():
    return CoreGroup()
