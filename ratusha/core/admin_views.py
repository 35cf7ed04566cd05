"""Wagtail admin views whose writes go through services.

A ``ServiceModelViewSet`` names the service functions for create, update and delete; its views
call them with the admin user as the actor, so the admin obeys the same permission checks and
writes the same audit entries as every other door. A refusal or validation error from a service
is shown on the form instead of a crash.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .permissions import RecordPermissionDenied


def _form_data(form) -> dict:
    """The cleaned values of the form's model fields."""
    model_fields = {f.name for f in form._meta.model._meta.get_fields()}
    return {k: v for k, v in form.cleaned_data.items() if k in model_fields}


def _error_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


def run_service_action(request, action, success: str) -> bool:
    """Run a service call from an admin page; show its refusal or validation error as a
    message instead of failing, or ``success`` when it went through."""
    try:
        action()
    except (RecordPermissionDenied, ValidationError) as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


class _RefusalOnForm:
    """Show a service's refusal or validation error on the form, keeping what was typed."""

    def _refused(self, form, exc):
        for message in _error_messages(exc):
            form.add_error(None, message)
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class ServiceCreateView(_RefusalOnForm, generic.CreateView):
    service = None

    def save_instance(self):
        return self.service(actor=self.request.user, data=_form_data(self.form))

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (RecordPermissionDenied, ValidationError) as exc:
            return self._refused(form, exc)


class ServiceEditView(_RefusalOnForm, generic.EditView):
    service = None

    def save_instance(self):
        return self.service(
            actor=self.request.user, instance=self.object, data=_form_data(self.form)
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (RecordPermissionDenied, ValidationError) as exc:
            return self._refused(form, exc)


class ServiceDeleteView(generic.DeleteView):
    service = None

    def delete_action(self):
        self.service(actor=self.request.user, instance=self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (RecordPermissionDenied, ValidationError) as exc:
            for message in _error_messages(exc):
                messages.error(self.request, message)
            return HttpResponseRedirect(self.get_success_url())


class ServiceModelViewSet(ModelViewSet):
    """A model viewset that writes through ``create_service``/``update_service``/
    ``delete_service`` (callables with keyword-only ``actor``, ``instance``, ``data``)."""

    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    delete_view_class = ServiceDeleteView
    copy_view_enabled = False
    create_service = None
    update_service = None
    delete_service = None

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(service=self.create_service, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(service=self.update_service, **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(service=self.delete_service, **kwargs)
