"""Core records: the hromada's settings, structural units and their staff, the local working
calendar and the audit log. Every change of these records goes through ``core.services``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .choices import AuditAction, BodyType, DayKind

edrpou_validator = RegexValidator(
    r"^\d{8}$", _("The ЄДРПОУ code has exactly 8 digits."), code="edrpou"
)
katottg_validator = RegexValidator(
    r"^UA\d{17}$",
    _("The КАТОТТГ code is «UA» followed by 17 digits, e.g. UA63120070000050311."),
    code="katottg",
)


@register_setting(icon="site")
class HromadaSettings(BaseSiteSetting):
    """Who this installation speaks for: names, codes, contacts and logo of the council."""

    council_name = models.CharField(
        _("official name of the council"),
        max_length=255,
        default="",
        help_text=_("As in the statute, e.g. «Вербівська селищна рада»."),
    )
    community_name = models.CharField(
        _("official name of the community"),
        max_length=255,
        default="",
        help_text=_("E.g. «Вербівська селищна територіальна громада»."),
    )
    body_type = models.CharField(
        _("type of body"),
        max_length=16,
        choices=BodyType.choices,
        default=BodyType.SETTLEMENT_COUNCIL,
    )
    edrpou = models.CharField(
        _("ЄДРПОУ code"), max_length=8, blank=True, validators=[edrpou_validator]
    )
    katottg = models.CharField(
        _("КАТОТТГ code"), max_length=19, blank=True, validators=[katottg_validator]
    )
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    working_hours = models.CharField(_("working hours"), max_length=255, blank=True)
    head_name = models.CharField(_("head's full name"), max_length=255, blank=True)
    head_title = models.CharField(
        _("head's title"),
        max_length=255,
        blank=True,
        help_text=_("E.g. «селищний голова» or «начальник військової адміністрації»."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    telegram_url = models.URLField(_("Telegram channel"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    viber_url = models.URLField(_("Viber community"), blank=True)

    class Meta:
        verbose_name = _("hromada settings")
        verbose_name_plural = _("hromada settings")

    def __str__(self):
        return self.council_name or str(_("hromada settings"))

    @property
    def social_links(self) -> list[tuple[str, str]]:
        pairs = [
            ("Facebook", self.facebook_url),
            ("Telegram", self.telegram_url),
            ("YouTube", self.youtube_url),
            ("Instagram", self.instagram_url),
            ("Viber", self.viber_url),
        ]
        return [(name, url) for name, url in pairs if url]


class StructuralUnit(models.Model):
    """A structural unit (структурний підрозділ) of the council or its executive bodies."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    functions = models.TextField(_("functions"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("structural unit")
        verbose_name_plural = _("structural units")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Employee(models.Model):
    """A member of a unit's staff; linked to a login when the person works in Ratusha."""

    unit = models.ForeignKey(
        StructuralUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff"
    )
    full_name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255)
    is_head = models.BooleanField(_("head of the unit"), default=False)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["unit", "-is_head", "sort_order", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(is_head=True), name="one_head_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.position})"


class CalendarException(models.Model):
    """A local exception to the working calendar, e.g. a day the head declared off."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y}: {self.get_kind_display()}"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log cannot be changed.")

    def delete(self):
        raise TypeError("The audit log cannot be deleted.")


class AuditEntry(models.Model):
    """Who changed which record, when, and from what to what. Append-only."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_repr = models.CharField(_("who (as recorded)"), max_length=255)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_record_idx")]
        default_permissions = ("view",)

    def __str__(self):
        action = self.get_action_display()
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_repr}: {action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log cannot be deleted.")
