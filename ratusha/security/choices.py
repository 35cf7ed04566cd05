from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginEventKind(models.TextChoices):
    SUCCESS = "success", _("signed in")
    FAILURE = "failure", _("wrong password")
    LOCKOUT = "lockout", _("locked out")
    OTP_SUCCESS = "otp_success", _("second factor passed")
    OTP_FAILURE = "otp_failure", _("wrong one-time code")
    LOGOUT = "logout", _("signed out")
    EXPIRED = "expired", _("session expired")
