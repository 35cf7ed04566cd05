"""Acts in the admin: the registry (through services), kinds (administrators), an act's action
page, the deadline dashboard and the ZIP import."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from ratusha.core.admin_views import ServiceModelViewSet
from ratusha.core.permissions import has_role
from ratusha.core.roles import Role

from . import admin_import, services
from .admin_forms import ActAdminForm
from .admin_views import (
    ActActionsView,
    ActCreateView,
    ActEditView,
    ActFromFileView,
    ActIndexView,
    DeadlineDashboardView,
)
from .models import Act, ActKind

ACT_FORM_FIELDS = list(services.ACT_FIELDS)


class ActViewSet(ServiceModelViewSet):
    model = Act
    name = "acts_admin"
    url_prefix = "acts"
    icon = "doc-full"
    menu_label = _("Acts")
    index_view_class = ActIndexView
    add_view_class = ActCreateView
    edit_view_class = ActEditView
    delete_view_enabled = False
    form_fields = ACT_FORM_FIELDS
    list_display = ["kind", "number", "date", "title", "status", "publication_due", "published_at"]
    list_filter = ["kind", "status", "year", "is_internal"]
    search_fields = ["title", "number"]
    search_backend_name = None
    list_per_page = 50

    def get_form_class(self, for_update=False):
        from django.forms import modelform_factory

        return modelform_factory(Act, form=ActAdminForm, fields=ACT_FORM_FIELDS)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/actions/", ActActionsView.as_view(), name="actions"),
            path("from-file/", ActFromFileView.as_view(), name="from_file"),
        ]


class ActKindViewSet(ServiceModelViewSet):
    model = ActKind
    name = "acts_kinds"
    url_prefix = "act-kinds"
    icon = "tag"
    menu_label = _("Kinds of acts")
    form_fields = [
        "code",
        "name",
        "name_plural",
        "issuing_body",
        "is_draft",
        "final_kind",
        "publication_rule",
        "sort_order",
    ]
    list_display = ["name", "issuing_body", "is_draft", "publication_rule"]
    delete_view_enabled = False
    create_service = staticmethod(services.act_kind_create)
    update_service = staticmethod(
        lambda *, actor, instance, data: services.act_kind_update(
            actor=actor, kind=instance, data=data
        )
    )


class ActsGroup(ViewSetGroup):
    menu_label = _("Legal acts")
    menu_icon = "doc-full-inverse"
    menu_order = 200
    items = (ActViewSet, ActKindViewSet)


@hooks.register("register_admin_viewset")
def register_acts_viewsets():
    return ActsGroup()


@hooks.register("register_admin_urls")
def register_acts_admin_urls():
    return [
        path("acts-deadlines/", DeadlineDashboardView.as_view(), name="acts_deadlines"),
        path("acts-import/", include((admin_import.urlpatterns, "acts_import"))),
    ]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.ADMINISTRATOR) or has_role(
            request.user, Role.DEPARTMENT_STAFF
        )


class _ActsReaderMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("acts.view_act")


@hooks.register("register_admin_menu_item")
def deadlines_menu_item():
    return _ActsReaderMenuItem(
        _("Publication deadlines"), reverse("acts_deadlines"), icon_name="time", order=210
    )


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return _StaffMenuItem(
        _("Import acts (ZIP)"), reverse("acts_import:upload"), icon_name="upload", order=220
    )
