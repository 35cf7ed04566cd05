from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuingBody(models.TextChoices):
    COUNCIL = "council", _("council")
    EXECUTIVE_COMMITTEE = "executive", _("executive committee")
    HEAD = "head", _("head")
    MILITARY_ADMINISTRATION = "mca", _("military administration")


class PublicationRule(models.TextChoices):
    """Which legal deadline applies to publishing an act of a kind (core/deadlines.py)."""

    DRAFT = "draft", _("draft: 10 working days before consideration")
    ADOPTED = "adopted", _("adopted act: 5 working days after adoption")
    NONE = "none", _("no legal deadline")


class ActStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    PUBLISHED = "published", _("published")
    ADOPTED = "adopted", _("adopted")
    REJECTED = "rejected", _("rejected")
    RETURNED = "returned", _("sent back for revision")
    AMENDED = "amended", _("amended")
    CANCELLED = "cancelled", _("cancelled")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ConsiderationResult(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    REJECTED = "rejected", _("rejected")
    RETURNED = "returned", _("sent back for revision")


class TextStatus(models.TextChoices):
    PENDING = "pending", _("waiting for text extraction")
    EXTRACTED = "extracted", _("text extracted")
    OCR_PENDING = "ocr", _("waiting for OCR")
    DONE_OCR = "ocr_done", _("text recognised (OCR)")
    FAILED = "failed", _("text could not be extracted")
    NONE = "none", _("no text")
