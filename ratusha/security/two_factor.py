"""Two-factor authentication (TOTP, RFC 6238) with recovery codes, on django-otp.

- A user *has* two factors when they hold a confirmed ``TOTPDevice``; recovery codes are a
  ``StaticDevice`` of single-use tokens, made with it and shown once.
- Administrators and approvers (``RATUSHA_2FA_REQUIRED_ROLES``) *must* have it: until they
  do, every page but the set-up page sends them to set it up. Others may turn it on and off.
- A session is *verified* once a code was accepted in it (``django_otp.login``); a user who has
  two factors reaches no page but the code page until then (``TwoFactorMiddleware``).

The changes of a user's devices are made here (one transaction, an audit entry each).
"""

from __future__ import annotations

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.core.audit import audit_record
from ratusha.core.choices import AuditAction
from ratusha.core.permissions import RecordPermissionDenied, user_roles

from . import login_log
from .choices import LoginEventKind

RECOVERY_CODES = 10
TOTP_NAME = "TOTP"
RECOVERY_NAME = "recovery"


def is_required(user) -> bool:
    """Whether ``user``'s role makes the second factor compulsory."""
    required = set(getattr(settings, "RATUSHA_2FA_REQUIRED_ROLES", ()))
    return bool(user_roles(user) & required)


def is_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def pending_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (made on first call; its key stays the same
    while the user scans the code, so a reload does not invalidate the phone's entry)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no style)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#000")


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for an app that cannot scan."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_enable(*, actor, request, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the phone; returns the recovery codes (to
    be shown once), or None if the code is wrong. The session becomes verified."""
    device = pending_device(actor)
    if not device.verify_token(_digits(token)):
        login_log.record(kind=LoginEventKind.OTP_FAILURE, request=request, user=actor)
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=device,
            after={"two_factor": "on"},
            reason=_("Two-factor authentication turned on."),
        )
    django_otp.login(request, device)
    return codes


def two_factor_disable(*, actor, request, token: str) -> bool:
    """Turn two factors off (only for whom it is optional), confirmed by a current code."""
    if is_required(actor):
        raise RecordPermissionDenied(
            _("Two-factor authentication is required for your role and cannot be turned off.")
        )
    if not verify(request=request, user=actor, token=token):
        return False
    with transaction.atomic():
        for device in TOTPDevice.objects.filter(user=actor):
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                instance=device,
                before={"two_factor": "on"},
                reason=_("Two-factor authentication turned off."),
            )
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    return True


def recovery_codes_renew(*, actor, request, token: str) -> list[str] | None:
    """New recovery codes (the old ones stop working), confirmed by a current code."""
    if not verify(request=request, user=actor, token=token):
        return None
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
        if device is not None:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=device,
                before={"recovery_codes": "old"},
                after={"recovery_codes": "new"},
                reason=_("Recovery codes renewed."),
            )
    return codes


def _digits(token: str) -> str:
    return "".join((token or "").split())


def verify(*, request, user, token: str) -> bool:
    """Check a code from the phone or a recovery code; the session becomes verified. Each
    result goes to the login log; django-otp slows down repeated failures per device."""
    token = _digits(token).lower()
    device = None
    if token:
        for candidate in [
            *TOTPDevice.objects.filter(user=user, confirmed=True),
            *StaticDevice.objects.filter(user=user, confirmed=True),
        ]:
            with transaction.atomic():
                if candidate.verify_token(token):
                    device = candidate
                    break
    if device is None:
        login_log.record(kind=LoginEventKind.OTP_FAILURE, request=request, user=user)
        return False
    request.session.cycle_key()
    django_otp.login(request, device)
    login_log.record(kind=LoginEventKind.OTP_SUCCESS, request=request, user=user)
    return True
