"""The demo administrator's second factor for ``make run`` (local mode only).

``ensure_admin`` calls ``demo_second_factor`` on every start: it makes sure the administrator
has an authenticator (a confirmed TOTP device, its key printed for an app) and adds one fresh
single-use recovery code, printed too, so the first sign-in works without a phone. Refused in
production, where the administrator sets up the authenticator on first sign-in."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .two_factor import RECOVERY_NAME, TOTP_NAME, secret_for_typing


def demo_second_factor(user) -> tuple[str, str]:
    """(authenticator key, one-time code) for the local demo administrator."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo second factor is for the local mode only.")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    recovery, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    code = StaticToken.random_token()
    StaticToken.objects.create(device=recovery, token=code)
    return secret_for_typing(device), code
