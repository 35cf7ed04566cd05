"""Messages sent by residents through the site's feedback form (зворотний зв'язок).

They hold personal data (name, e-mail, phone, what the person wrote): never shown on a public
page, feed, API, sitemap or in the search index; read in the admin by the staff the role rules
allow (``selectors.messages_visible_to``). Every write goes through ``feedback.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FeedbackStatus

NAME_MAX = 150
EMAIL_MAX = 254
PHONE_MAX = 32
TEXT_MAX = 5000
NOTE_MAX = 5000


class FeedbackMessage(models.Model):
    reference = models.CharField(_("reference number"), max_length=32, unique=True, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("e-mail"), max_length=EMAIL_MAX)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX, blank=True)
    unit = models.ForeignKey(
        "core.StructuralUnit",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_messages",
        help_text=_("Empty: to the general office."),
    )
    text = models.TextField(_("message"), max_length=TEXT_MAX)
    consent_at = models.DateTimeField(_("consent to personal data processing given"))
    status = models.CharField(
        _("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    staff_note = models.TextField(
        _("staff note"),
        max_length=NOTE_MAX,
        blank=True,
        help_text=_("For the staff only: what was done, when and how the person was answered."),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("feedback message")
        verbose_name_plural = _("feedback messages")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "-received_at"], name="feedback_status_idx")]

    def __str__(self):
        return self.reference or f"#{self.pk}"
