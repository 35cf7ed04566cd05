from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RETRYING = "retrying", _("waiting to retry")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
