from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
