"""The e-mail that tells a unit (or the general office) about a new message."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _hromada():
    from wagtail.models import Site

    from ratusha.core.models import HromadaSettings

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return HromadaSettings.for_site(site) if site is not None else None


def recipients_for(message) -> list[str]:
    """The unit's e-mail when the message is addressed to a unit that has one; otherwise the
    council's e-mail (hromada settings); plus ``FEEDBACK_NOTIFY_EMAILS`` always."""
    addresses: list[str] = []
    if message.unit is not None and message.unit.email:
        addresses.append(message.unit.email)
    else:
        hromada = _hromada()
        if hromada is not None and hromada.email:
            addresses.append(hromada.email)
    for extra in getattr(settings, "FEEDBACK_NOTIFY_EMAILS", ()):
        if extra and extra not in addresses:
            addresses.append(extra)
    return addresses


def notify_department(message_id: int) -> int:
    """Send the notice of message ``message_id`` (after its commit). Returns how many
    messages were handed to the mail backend (the outbox)."""
    from .models import FeedbackMessage

    message = FeedbackMessage.objects.select_related("unit").filter(pk=message_id).first()
    if message is None:
        return 0
    to = recipients_for(message)
    if not to:
        logger.warning("Feedback %s: no e-mail to notify (unit or hromada settings)", message)
        return 0
    with translation.override("uk"):
        subject = _("New message from the site: %(reference)s") % {"reference": message.reference}
        body = render_to_string(
            "feedback/email/notify.txt",
            {"message": message, "admin_url": _admin_url(message)},
        )
    email = EmailMessage(subject=subject, body=body, to=to, reply_to=[message.email])
    return email.send()


def _admin_url(message) -> str:
    from django.urls import reverse

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + reverse("feedback_messages:edit", args=[message.pk])
