"""The log of logins: every sign-in, wrong password, lockout, second-factor result, sign-out
and expiry of a staff session. Append-only, like ``core.AuditEntry``: updates and deletes raise,
and on PostgreSQL a trigger refuses them in the database too (migration 0002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LoginEventKind


class LoginEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The login log cannot be changed.")

    def delete(self):
        raise TypeError("The login log cannot be deleted.")


class LoginEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=16, choices=LoginEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("login as typed"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=512, blank=True)
    path = models.CharField(_("page"), max_length=255, blank=True)

    objects = LoginEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "-at"], name="login_username_idx")]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.username}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The login log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The login log cannot be deleted.")
