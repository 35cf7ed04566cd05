"""The outbox: every e-mail the project sends waits here until the mail server took it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import OutgoingStatus


class OutgoingMessage(models.Model):
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OutgoingStatus.choices, default=OutgoingStatus.QUEUED
    )
    from_email = models.CharField(_("from"), max_length=320)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    # The whole message as the mail server will get it (MIME, with attachments).
    raw = models.BinaryField(_("message"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["queued", "retrying"]),
                name="outbox_due_idx",
            )
        ]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipients)}"
