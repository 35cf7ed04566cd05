"""The open data admin: datasets through services (a unit editor sees and changes only their
unit's), a dataset's action page (upload a resource, a new version of a file, publish,
withdraw, regenerate) and the board of overdue and due-soon updates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ratusha.core.admin_views import ServiceCreateView, ServiceEditView, _form_data
from ratusha.core.admin_views import run_service_action as _run
from ratusha.core.permissions import can_change_unit_records, unit_records, user_roles, user_unit_id
from ratusha.core.roles import ALL_UNITS_ROLES

from . import selectors, services
from .admin_forms import ReplaceForm, UploadForm, WithdrawForm
from .models import Dataset


def datasets_visible_to(user):
    """Every dataset for staff and approvers; a unit editor's own unit's datasets."""
    return unit_records(user, Dataset.objects.select_related("holder"), "holder_id")


class DatasetIndexView(generic.IndexView):
    def get_base_queryset(self):
        return datasets_visible_to(self.request.user)

    def get_edit_url(self, instance):
        return reverse("opendata_admin:actions", args=[instance.pk])


class DatasetCreateView(ServiceCreateView):
    def save_instance(self):
        data = {k: v for k, v in _form_data(self.form).items() if k in services.DATASET_FIELDS}
        return services.dataset_create(
            actor=self.request.user, data=data, tags=self.form.tag_list()
        )

    def get_success_url(self):
        return reverse("opendata_admin:actions", args=[self.object.pk])


class DatasetEditView(ServiceEditView):
    def get_base_queryset(self):
        return datasets_visible_to(self.request.user)

    def get_queryset(self):
        # Wagtail's edit view finds its object through Django's ``get_queryset``, not
        # ``get_base_queryset``: another unit's dataset is a 404 (security/tests/test_attacks.py).
        return datasets_visible_to(self.request.user)

    def save_instance(self):
        data = {
            k: v
            for k, v in _form_data(self.form).items()
            if k in services.DATASET_FIELDS and k in self.form.changed_data
        }
        return services.dataset_update(
            actor=self.request.user,
            dataset=self.object,
            data=data,
            tags=self.form.tag_list(),
        )

    def get_success_url(self):
        return reverse("opendata_admin:actions", args=[self.object.pk])


class DatasetActionsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "opendata/admin/actions.html"
    header_icon = "table"
    page_title = gettext_lazy("Dataset")

    def dispatch(self, request, pk):
        self.dataset = get_object_or_404(datasets_visible_to(request.user), pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.dataset.title

    def forms(self, data=None, files=None, bound: str = ""):
        resources = list(self.dataset.resources.all())

        def make(name, cls, **kwargs):
            if bound == name:
                return cls(data, files, prefix=name, **kwargs)
            return cls(prefix=name, **kwargs)

        return {
            "upload": make("upload", UploadForm),
            "replace": make("replace", ReplaceForm, resources=resources),
            "withdraw": make("withdraw", WithdrawForm),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dataset = selectors.dataset_get(self.dataset.identifier, public=False)
        context.update(
            dataset=dataset,
            resources=list(dataset.resources.all()),
            can_change=can_change_unit_records(self.request.user, dataset.holder_id),
            edit_url=reverse("opendata_admin:edit", args=[dataset.pk]),
            public_url=dataset.get_absolute_url() if dataset.is_public else "",
        )
        context.update(kwargs.get("forms") or self.forms())
        return context

    def post(self, request, pk):
        action = request.POST.get("action", "")
        user, dataset = request.user, self.dataset
        if action == "publish":
            _run(
                request,
                lambda: services.dataset_publish(actor=user, dataset=dataset),
                _("The dataset is published."),
            )
            return redirect("opendata_admin:actions", pk=pk)
        if action == "regenerate":
            _run(
                request,
                lambda: services.dataset_regenerate(actor=user, dataset=dataset),
                _("The dataset is regenerated from its register."),
            )
            return redirect("opendata_admin:actions", pk=pk)
        forms = self.forms(request.POST, request.FILES, bound=action)
        form = forms.get(action)
        if form is None:
            messages.error(request, _("Unknown action."))
            return self.render_to_response(self.get_context_data(forms=forms))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(forms=forms))
        data = form.cleaned_data
        if action == "upload":
            ok = _run(
                request,
                lambda: services.resource_upload(
                    actor=user,
                    dataset=dataset,
                    inspected=data["file"],
                    title=data.get("title") or "",
                    description=data.get("description") or "",
                ),
                _("The resource is added."),
            )
        elif action == "replace":
            resource = get_object_or_404(dataset.resources, pk=data["resource"])
            ok = _run(
                request,
                lambda: services.resource_replace(
                    actor=user,
                    resource=resource,
                    inspected=data["file"],
                    note=data.get("note") or "",
                ),
                _("A new version of the file is saved; the previous one stays available."),
            )
        else:
            ok = _run(
                request,
                lambda: services.dataset_withdraw(
                    actor=user, dataset=dataset, reason=data["reason"]
                ),
                _("The dataset is withdrawn."),
            )
        if not ok:
            return self.render_to_response(self.get_context_data(forms=forms))
        return redirect("opendata_admin:actions", pk=pk)


class DueBoardView(WagtailAdminTemplateMixin, TemplateView):
    """Datasets whose update is overdue or due within two weeks."""

    template_name = "opendata/admin/due.html"
    header_icon = "time"
    page_title = gettext_lazy("Open data updates")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("opendata.view_dataset"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit_id = None if user_roles(user) & ALL_UNITS_ROLES else (user_unit_id(user) or -1)
        board = selectors.due_board(unit_id=unit_id)
        context.update(
            board=board,
            sections=[
                (_("Update overdue"), "overdue", board.overdue),
                (_("Due within two weeks"), "soon", board.due_soon),
            ],
        )
        return context
