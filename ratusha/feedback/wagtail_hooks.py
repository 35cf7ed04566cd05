"""The staff's view of feedback messages in the Wagtail admin.

Who sees which messages is ``selectors.messages_visible_to`` everywhere: the list, and every
view of one message (edit, inspect, history, usage), so a unit editor who types another unit's
message's address gets a 404. Nobody adds or deletes a message here (they come from the public
form); staff change only the status and their note, through ``services.message_process``."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ratusha.core.admin_views import ServiceEditView, ServiceModelViewSet, _form_data

from . import selectors, services
from .models import FeedbackMessage


class FeedbackPermissionPolicy(ModelPermissionPolicy):
    """Viewing and changing as the roles give (``core.roles``); adding and deleting never."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and selectors.messages_visible_to(user).filter(pk=instance.pk).exists()
        )


register_permission_policy(FeedbackMessage, FeedbackPermissionPolicy(FeedbackMessage))


class _Scoped:
    """One message, only if the user may see it (404 otherwise)."""

    def get_object(self, queryset=None):
        pk = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk"))
        return get_object_or_404(
            selectors.messages_visible_to(self.request.user), pk=unquote(str(pk))
        )


class FeedbackIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.messages_visible_to(self.request.user)


class FeedbackEditView(_Scoped, ServiceEditView):
    def save_instance(self):
        data = {k: v for k, v in _form_data(self.form).items() if k in services.PROCESS_FIELDS}
        return services.message_process(actor=self.request.user, message=self.object, data=data)


class FeedbackInspectView(_Scoped, generic.InspectView):
    pass


class FeedbackHistoryView(_Scoped, HistoryView):
    pass


class FeedbackUsageView(_Scoped, UsageView):
    pass


class FeedbackViewSet(ServiceModelViewSet):
    name = "feedback_messages"
    url_prefix = "feedback"
    model = FeedbackMessage
    icon = "mail"
    menu_label = _("Feedback")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = FeedbackIndexView
    edit_view_class = FeedbackEditView
    inspect_view_class = FeedbackInspectView
    history_view_class = FeedbackHistoryView
    usage_view_class = FeedbackUsageView
    inspect_view_enabled = True
    list_display = ["reference", "received_at", "unit", "name", "status"]
    list_filter = ["status", "unit"]
    search_fields = ["reference", "name", "email", "text"]
    search_backend_name = None
    inspect_view_fields = [
        "reference",
        "received_at",
        "unit",
        "name",
        "email",
        "phone",
        "text",
        "consent_at",
        "status",
        "staff_note",
        "handled_by",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("reference", read_only=True),
                FieldPanel("received_at", read_only=True),
                FieldPanel("unit", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("phone", read_only=True),
                FieldPanel("text", read_only=True),
                FieldPanel("consent_at", read_only=True),
            ],
            heading=_("Message"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("staff_note"),
                FieldPanel("handled_by", read_only=True),
            ],
            heading=_("Handling"),
        ),
    ]
    update_service = staticmethod(
        lambda *, actor, instance, data: services.message_process(
            actor=actor, message=instance, data=data
        )
    )


@hooks.register("register_admin_viewset")
def register_feedback_viewset():
    return FeedbackViewSet()
