"""The registry of legal acts: kinds, acts with their versions and files.

An act is a plain model (not a Wagtail page): the registry holds up to 100,000 of them. Every
change goes through ``acts.services``; a published act is never overwritten — a correction is a
new ``ActVersion``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import ActStatus, IssuingBody, PublicationRule, TextStatus


class ActKind(models.Model):
    """A kind of act (draft council decision, head's order…). Administrators add kinds."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255, unique=True)
    name_plural = models.CharField(_("name in plural"), max_length=255)
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=16,
        choices=IssuingBody.choices,
        default=IssuingBody.COUNCIL,
    )
    is_draft = models.BooleanField(_("draft"), default=False)
    final_kind = models.ForeignKey(
        "self",
        verbose_name=_("becomes, when adopted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="draft_kinds",
        limit_choices_to={"is_draft": False},
    )
    publication_rule = models.CharField(
        _("publication deadline"),
        max_length=16,
        choices=PublicationRule.choices,
        default=PublicationRule.ADOPTED,
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("kind of act")
        verbose_name_plural = _("kinds of acts")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


# What the public sees: published and not internal (selectors.public_acts repeats it, so the
# database can use the partial indexes below).
PUBLIC_ACT = models.Q(published_at__isnull=False, is_internal=False)


class Act(models.Model):
    kind = models.ForeignKey(
        ActKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="acts"
    )
    number = models.CharField(
        _("number"),
        max_length=64,
        blank=True,
        help_text=_("As the body writes it, e.g. «1234-VIII» or «45-од»."),
    )
    number_key = models.CharField(
        _("number (normalised)"), max_length=64, blank=True, editable=False
    )
    date = models.DateField(
        _("date"), help_text=_("Date of adoption or signing; for a draft, of registration.")
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    title = models.CharField(_("title"), max_length=1000)
    issuing_body = models.CharField(_("issuing body"), max_length=16, choices=IssuingBody.choices)
    unit = models.ForeignKey(
        "core.StructuralUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acts",
    )
    convocation = models.CharField(_("convocation"), max_length=16, blank=True)
    session = models.CharField(_("session"), max_length=128, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActStatus.choices, default=ActStatus.REGISTERED
    )
    is_regulatory = models.BooleanField(_("regulatory act"), default=False)
    is_internal = models.BooleanField(
        _("internal organisational act"),
        default=False,
        help_text=_("Internal organisational acts are not published."),
    )
    consideration_date = models.DateField(_("planned consideration date"), null=True, blank=True)
    publication_due = models.DateField(_("publication deadline"), null=True, blank=True)
    publish_at = models.DateTimeField(_("scheduled publication"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at_public = models.DateTimeField(_("public text updated"), null=True, blank=True)
    published_late = models.BooleanField(_("published late"), default=False)
    text = models.TextField(_("text"), blank=True)
    adopted_as = models.ForeignKey(
        "self",
        verbose_name=_("adopted as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
    )
    amends = models.ManyToManyField(
        "self",
        verbose_name=_("amends"),
        symmetrical=False,
        blank=True,
        related_name="amended_by",
    )
    cancels = models.ManyToManyField(
        "self",
        verbose_name=_("cancels"),
        symmetrical=False,
        blank=True,
        related_name="cancelled_by",
    )
    status_reason = models.TextField(_("reason of the status"), blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["kind", "-date", "-id"], name="act_kind_date_idx"),
            models.Index(fields=["-date", "-id"], name="act_date_idx"),
            models.Index(fields=["status", "publication_due"], name="act_due_idx"),
            models.Index(fields=["number_key"], name="act_number_idx"),
            models.Index(fields=["year", "kind"], name="act_year_kind_idx"),
            # The public registry always asks for public acts ordered by date: with the
            # condition inside the index, counts and deep pages are answered from it alone.
            models.Index(
                fields=["kind", "-date", "-id"],
                condition=PUBLIC_ACT,
                name="act_pub_kind_date_idx",
            ),
            models.Index(fields=["-date", "-id"], condition=PUBLIC_ACT, name="act_pub_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number_key"],
                condition=~models.Q(number_key=""),
                name="act_unique_number_in_kind_year",
            )
        ]

    def __str__(self):
        number = f" № {self.number}" if self.number else ""
        return f"{self.kind.name}{number} від {self.date:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("acts:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and not self.is_internal


class ActVersion(models.Model):
    """One text of an act. The first is the act as registered; each correction adds one."""

    act = models.ForeignKey(
        Act, verbose_name=_("act"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=1000)
    text = models.TextField(_("text"), blank=True)
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("version of an act")
        verbose_name_plural = _("versions of acts")
        ordering = ["act", "-number"]
        constraints = [models.UniqueConstraint(fields=["act", "number"], name="act_version_unique")]

    def __str__(self):
        return f"{self.act} (версія {self.number})"


class ActFile(models.Model):
    version = models.ForeignKey(
        ActVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="acts/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    text_status = models.CharField(
        _("text"), max_length=16, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text = models.TextField(_("extracted text"), blank=True)
    error = models.CharField(_("extraction error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("file of an act")
        verbose_name_plural = _("files of acts")
        ordering = ["version", "id"]

    def __str__(self):
        return self.original_name
