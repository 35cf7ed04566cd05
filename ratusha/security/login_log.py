"""Writes the login log (``LoginEvent``). Django's and django-axes's authentication signals are
the only place a sign-in, a wrong password or a lockout can be seen, so the receivers here call
``record``; the second factor's results are recorded by the views that check it."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from .choices import LoginEventKind
from .models import LoginEvent
from .network import client_ip

logger = logging.getLogger(__name__)


def record(*, kind: str, request=None, user=None, username: str = "") -> LoginEvent:
    """Append one event: who (the account, or the login as typed), when, from where, with
    which browser."""
    if user is not None and not getattr(user, "pk", None):
        user = None
    if not username and user is not None:
        username = user.get_username()
    meta = getattr(request, "META", {}) if request is not None else {}
    return LoginEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:255],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:512],
        path=(getattr(request, "path", "") or "")[:255],
    )


def _on_logged_in(sender, request, user, **kwargs):
    record(kind=LoginEventKind.SUCCESS, request=request, user=user)


def _on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(kind=LoginEventKind.LOGOUT, request=request, user=user)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # recorded as a lockout
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD, "") or ""
    user = get_user_model()._default_manager.filter(**{"username": username}).first()
    record(kind=LoginEventKind.FAILURE, request=request, user=user, username=username)


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    user = get_user_model()._default_manager.filter(username=username).first()
    record(kind=LoginEventKind.LOCKOUT, request=request, user=user, username=username or "")
    logger.warning("Login locked out: %r from %s", username, ip_address)


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(_on_logged_in, dispatch_uid="ratusha.security.logged_in")
    user_logged_out.connect(_on_logged_out, dispatch_uid="ratusha.security.logged_out")
    user_login_failed.connect(_on_login_failed, dispatch_uid="ratusha.security.login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="ratusha.security.locked_out")
