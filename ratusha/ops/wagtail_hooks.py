"""Admin of operations: the outbox (read-only, for administrators)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ratusha.core.permissions import is_administrator

from .models import OutgoingMessage


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """Administrators see the outbox; the worker alone changes it."""

    def user_has_permission(self, user, action):
        return action == "view" and is_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"] if "view" in actions else [])


register_permission_policy(OutgoingMessage, OutboxPermissionPolicy(OutgoingMessage))


class OutboxViewSet(ModelViewSet):
    name = "ops_outbox"
    url_prefix = "outbox"
    model = OutgoingMessage
    icon = "mail"
    menu_label = _("Outgoing e-mail")
    menu_order = 920
    add_to_settings_menu = True
    list_display = ["created_at", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "status",
        "from_email",
        "recipients",
        "subject",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    ]
    copy_view_enabled = False
    form_fields = []


@hooks.register("register_admin_viewset")
def register_outbox():
    return OutboxViewSet()
