"""Open data: datasets with the passport of Cabinet Resolution 835, their resources and every
version of every resource's file.

Datasets are plain models (not pages). Every change goes through ``opendata.services``; a new
file of a resource is a new ``ResourceVersion`` — the previous files stay stored and listed.
Files are stored by their SHA-256 (``opendata/ab/abcdef….csv``), so a version whose content
did not change costs no new file.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import (
    Compression,
    Generator,
    Language,
    License,
    ResourceFormat,
    Theme,
    UpdateFrequency,
)

TITLE_MAX = 254  # Resolution 835: the name of a dataset, at most 254 characters
DESCRIPTION_MAX = 4000  # Resolution 835: the description, at most 4000 characters

identifier_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{1,99}$",
    _(
        "The identifier is 2 to 100 Latin lower-case letters, digits, hyphens or underscores, "
        "starting with a letter or digit."
    ),
)

# What the public sees: published and not withdrawn (selectors repeat it for the indexes).
PUBLIC_DATASET = models.Q(published_at__isnull=False, withdrawn_at__isnull=True)


class Tag(models.Model):
    """A keyword of the passport (CKAN's tag)."""

    name = models.CharField(_("keyword"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Dataset(models.Model):
    # CKAN's ``id``: stable, never reused.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    identifier = models.CharField(
        _("identifier"),
        max_length=100,
        unique=True,
        validators=[identifier_validator],
        help_text=_("The passport's identifier; also the dataset's name in the CKAN API."),
    )
    title = models.CharField(_("name"), max_length=TITLE_MAX)
    description = models.TextField(
        _("description"), validators=[MaxLengthValidator(DESCRIPTION_MAX)]
    )
    holder = models.ForeignKey(
        "core.StructuralUnit",
        verbose_name=_("data holder (unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datasets",
        help_text=_("Empty when the holder is the council itself."),
    )
    theme = models.CharField(_("theme"), max_length=8, choices=Theme.choices, default=Theme.GOVE)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.UKRAINIAN
    )
    compression = models.CharField(
        _("compression"), max_length=8, choices=Compression.choices, blank=True, default=""
    )
    update_frequency = models.CharField(
        _("update frequency"), max_length=16, choices=UpdateFrequency.choices
    )
    actuality_date = models.DateField(_("actuality date"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("keywords"), blank=True, related_name="+")
    data_url = models.URLField(
        _("link to the data (API)"),
        blank=True,
        help_text=_("Only when the data is served by an API elsewhere; files need no link."),
    )
    basis = models.TextField(_("basis of collection"), blank=True)
    purpose = models.TextField(_("purpose of collection"), blank=True)
    maintainer_name = models.CharField(_("responsible person"), max_length=255)
    maintainer_email = models.EmailField(_("responsible person's e-mail"))
    license = models.CharField(
        _("licence"), max_length=16, choices=License.choices, default=License.CC_BY_4
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    data_modified_at = models.DateTimeField(_("data last changed"), null=True, blank=True)
    metadata_created_at = models.DateTimeField(_("created"), auto_now_add=True)
    metadata_modified_at = models.DateTimeField(_("last changed"), db_index=True)
    next_due = models.DateField(_("next update due"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason of withdrawal"), blank=True)
    generator = models.CharField(
        _("generated from"), max_length=16, choices=Generator.choices, blank=True, default=""
    )
    generator_key = models.CharField(_("generator key"), max_length=64, blank=True)
    # When a regeneration was last asked for and not yet started (``services.
    # regeneration_request``): the debounce of a burst of changes.
    regeneration_requested_at = models.DateTimeField(
        _("regeneration requested"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["holder", "title"], name="od_dataset_holder_idx"),
            models.Index(fields=["next_due"], name="od_dataset_due_idx"),
            models.Index(
                fields=["-metadata_modified_at", "-id"],
                condition=PUBLIC_DATASET,
                name="od_dataset_pub_mod_idx",
            ),
            models.Index(fields=["uuid"], condition=PUBLIC_DATASET, name="od_dataset_pub_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["generator", "generator_key"],
                condition=~models.Q(generator=""),
                name="od_dataset_unique_generator",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("opendata:dataset", kwargs={"identifier": self.identifier})

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None

    @property
    def is_generated(self) -> bool:
        return bool(self.generator)


class Resource(models.Model):
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(_("name"), max_length=TITLE_MAX)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX)]
    )
    format = models.CharField(_("format"), max_length=8, choices=ResourceFormat.choices)
    position = models.PositiveIntegerField(_("order"), default=0)
    # For a generated resource: which table and format it holds («motions.csv»).
    key = models.CharField(_("generated file"), max_length=64, blank=True)
    current = models.ForeignKey(
        "ResourceVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("last changed"))

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["dataset", "position", "id"]
        indexes = [models.Index(fields=["dataset", "position", "id"], name="od_res_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "key"], condition=~models.Q(key=""), name="od_res_unique_key"
            )
        ]

    def __str__(self):
        return self.title


def version_path(instance: ResourceVersion, filename: str) -> str:
    """Files are named by their content: ``opendata/ab/<sha256>.<ext>``."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"opendata/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class ResourceVersion(models.Model):
    """One file of a resource. The newest is the resource's ``current``; none is deleted."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=8, choices=ResourceFormat.choices)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    source_encoding = models.CharField(
        _("encoding of the uploaded file"),
        max_length=32,
        blank=True,
        help_text=_("Set when the file was converted to UTF-8 on upload."),
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("uploaded"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The big JSON columns come last: a row is read up to the columns asked for, so lists
    # that do not ask for them never walk through them (SQLite keeps a row in one piece).
    # The structure description: a Table Schema (frictionless) of a table, or a note of the
    # structure of another file.
    schema = models.JSONField(_("structure"), default=dict, blank=True)
    # The first rows of a table, computed once on upload: {"fields": [...], "rows": [[...]]}.
    preview = models.JSONField(_("preview"), null=True, blank=True)

    class Meta:
        verbose_name = _("version of a resource")
        verbose_name_plural = _("versions of resources")
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="od_version_unique")
        ]

    def __str__(self):
        return f"{self.original_name} (версія {self.number})"
