"""Middleware of the staff login: the second factor, the session's idle and absolute limits,
and the Content-Security-Policy (a stricter one on public pages than in the admin)."""

from __future__ import annotations

import time

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import login_log, two_factor
from .choices import LoginEventKind

SESSION_STARTED = "ratusha_session_started"
SESSION_SEEN = "ratusha_session_seen"
# The last-seen time is written at most this often, so a page view rarely saves the session.
SEEN_RESOLUTION = 60


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with ``ADMIN_CONTENT_SECURITY_POLICY`` under the admin's prefixes."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        prefixes = tuple(getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY_PREFIXES", ()))
        if not report_only and parts.config is None and request.path.startswith(prefixes):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class SessionExpiryMiddleware:
    """End a login after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and after
    ``SESSION_COOKIE_AGE`` seconds in any case (the cookie's own age is refreshed by
    "remember me" and by Django's session saves, so it is not relied on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN)
            idle = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0) or 0)
            lifetime = int(settings.SESSION_COOKIE_AGE)
            if started is None:
                session[SESSION_STARTED] = now
                session[SESSION_SEEN] = now
            elif (idle and seen is not None and now - seen > idle) or now - started > lifetime:
                login_log.record(kind=LoginEventKind.EXPIRED, request=request, user=user)
                logout(request)
                messages.info(
                    request, _("Your session has ended; please sign in again."), fail_silently=True
                )
            elif seen is None or now - seen >= SEEN_RESOLUTION:
                session[SESSION_SEEN] = now
        return self.get_response(request)


def _exempt_paths() -> tuple[str, ...]:
    """The pages a half-signed-in user may still load: the code and set-up pages, signing out,
    and what those pages themselves load (the admin's icon sprite and script translations,
    which Wagtail fetches and inserts into the page)."""
    return (
        reverse("security_2fa_verify"),
        reverse("security_2fa_setup"),
        reverse("wagtailadmin_sprite"),
        reverse("wagtailadmin_javascript_catalog"),
        reverse("wagtailadmin_logout"),
        reverse("admin:logout"),
        settings.STATIC_URL,
        "/i18n/",
        "/healthz",
    )


class TwoFactorMiddleware:
    """A signed-in user who has two factors reaches nothing but the code page until a code is
    accepted in this session; one whose role requires them and who has none yet reaches
    nothing but the set-up page. Public pages are included: a half-signed-in session is not
    signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not two_factor.is_verified(user)
            and not request.path.startswith(_exempt_paths())
        ):
            if two_factor.is_enabled(user):
                return self._to("security_2fa_verify", request)
            if two_factor.is_required(user):
                return self._to("security_2fa_setup", request)
        return self.get_response(request)

    @staticmethod
    def _to(name: str, request):
        target = reverse(name)
        next_url = request.get_full_path()
        if request.method == "GET" and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            from urllib.parse import urlencode

            target = f"{target}?{urlencode({'next': next_url})}"
        return redirect(target)
