from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyType(models.TextChoices):
    VILLAGE_COUNCIL = "village", _("village council")
    SETTLEMENT_COUNCIL = "settlement", _("settlement council")
    CITY_COUNCIL = "city", _("city council")
    MILITARY_ADMINISTRATION = "mca", _("military-civil administration")
    MILITARY_ADMINISTRATION_SETTLEMENT = "mas", _("military administration of a settlement")


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    PUBLISH = "publish", _("published")
    UNPUBLISH = "unpublish", _("unpublished")
    MOVE = "move", _("moved")
    WITHDRAW = "withdraw", _("withdrawn")
    ARCHIVE = "archive", _("archived")
    RESTORE = "restore", _("restored")


class DayKind(models.TextChoices):
    DAY_OFF = "off", _("day off")
    WORKING_DAY = "work", _("working day")
