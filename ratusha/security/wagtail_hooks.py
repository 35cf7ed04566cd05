"""Admin of the staff login: the two-factor pages, the account menu's entry and the login log
(read-only, for administrators)."""

from __future__ import annotations

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ratusha.core.permissions import is_administrator

from . import views
from .models import LoginEvent


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/", views.manage, name="security_2fa_manage"),
        path("two-factor/verify/", views.verify, name="security_2fa_verify"),
        path("two-factor/setup/", views.setup, name="security_2fa_setup"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("security_2fa_manage"),
        "label": _("Two-factor authentication"),
        "help_text": _("A code from your phone after the password; recovery codes."),
    }


class LoginLogPermissionPolicy(ModelPermissionPolicy):
    """Administrators read the login log; nobody adds, changes or deletes events."""

    def user_has_permission(self, user, action):
        return action == "view" and is_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"] if "view" in actions else [])


register_permission_policy(LoginEvent, LoginLogPermissionPolicy(LoginEvent))


class LoginEventFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(label=_("when"), widget=DateRangePickerWidget)
    username = django_filters.CharFilter(label=_("login as typed"), lookup_expr="iexact")
    ip_address = django_filters.CharFilter(label=_("address"))

    class Meta:
        model = LoginEvent
        fields = ["kind", "username", "ip_address", "at"]


class LoginEventViewSet(ModelViewSet):
    name = "security_logins"
    url_prefix = "login-log"
    model = LoginEvent
    icon = "key"
    menu_label = _("Login log")
    menu_order = 910
    add_to_settings_menu = True
    list_display = ["at", "kind", "username", "ip_address", "user_agent"]
    filterset_class = LoginEventFilterSet
    search_fields = ["username", "user_agent"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = ["at", "kind", "user", "username", "ip_address", "user_agent", "path"]
    copy_view_enabled = False
    form_fields = []


@hooks.register("register_admin_viewset")
def register_login_log():
    return LoginEventViewSet()
