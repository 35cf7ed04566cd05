"""Open data in the admin: datasets (through services), the action page of a dataset and the
board of overdue and due-soon updates."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ratusha.core.admin_views import ServiceModelViewSet

from . import services
from .admin_forms import DatasetAdminForm
from .admin_views import (
    DatasetActionsView,
    DatasetCreateView,
    DatasetEditView,
    DatasetIndexView,
    DueBoardView,
)
from .models import Dataset

DATASET_FORM_FIELDS = list(services.DATASET_FIELDS)


class DatasetViewSet(ServiceModelViewSet):
    model = Dataset
    name = "opendata_admin"
    url_prefix = "opendata"
    icon = "table"
    menu_label = _("Open data")
    menu_order = 240
    add_to_admin_menu = True
    index_view_class = DatasetIndexView
    add_view_class = DatasetCreateView
    edit_view_class = DatasetEditView
    delete_view_enabled = False
    form_fields = DATASET_FORM_FIELDS
    list_display = ["title", "holder", "update_frequency", "next_due", "published_at"]
    list_filter = ["update_frequency", "holder", "generator"]
    search_fields = ["title", "identifier"]
    search_backend_name = None
    list_per_page = 50

    def get_form_class(self, for_update=False):
        from django.forms import modelform_factory

        return modelform_factory(Dataset, form=DatasetAdminForm, fields=DATASET_FORM_FIELDS)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/actions/", DatasetActionsView.as_view(), name="actions"),
        ]


@hooks.register("register_admin_viewset")
def register_opendata_viewset():
    return DatasetViewSet()


@hooks.register("register_admin_urls")
def register_opendata_admin_urls():
    return [path("opendata-due/", DueBoardView.as_view(), name="opendata_due")]


class _ReaderMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("opendata.view_dataset")


@hooks.register("register_admin_menu_item")
def due_menu_item():
    return _ReaderMenuItem(
        _("Open data updates"), reverse("opendata_due"), icon_name="time", order=241
    )
