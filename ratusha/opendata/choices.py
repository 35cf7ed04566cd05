"""Choices of open data: the update frequencies of the passport (Cabinet Resolution 835), the
formats a resource may have, licences, themes (CKAN groups, DCAT themes) and generators."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _


class UpdateFrequency(models.TextChoices):
    """The update frequencies in use on data.gov.ua for the passport of a dataset."""

    MORE_THAN_DAILY = "more_than_daily", _("more than once a day")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("every half-year")
    YEARLY = "yearly", _("yearly")
    ON_CHANGE = "on_change", _("immediately after changes are made")
    NO_LONGER = "no_longer", _("no longer updated")


# The passport's words for each frequency (what data.gov.ua shows and its harvester reads):
# fixed Ukrainian text, whatever the interface language.
FREQUENCY_PASSPORT = {
    UpdateFrequency.MORE_THAN_DAILY: "більш як один раз на день",
    UpdateFrequency.WEEKLY: "щотижня",
    UpdateFrequency.MONTHLY: "щомісяця",
    UpdateFrequency.QUARTERLY: "щокварталу",
    UpdateFrequency.HALF_YEARLY: "кожного півріччя",
    UpdateFrequency.YEARLY: "щороку",
    UpdateFrequency.ON_CHANGE: "відразу після внесення змін",
    UpdateFrequency.NO_LONGER: "більше не оновлюється",
}

# How long a dataset of each frequency may go without an update. Frequencies without a period
# (on change, no longer updated) have no next-due date.
FREQUENCY_PERIOD: dict[str, relativedelta] = {
    UpdateFrequency.MORE_THAN_DAILY: relativedelta(days=1),
    UpdateFrequency.WEEKLY: relativedelta(weeks=1),
    UpdateFrequency.MONTHLY: relativedelta(months=1),
    UpdateFrequency.QUARTERLY: relativedelta(months=3),
    UpdateFrequency.HALF_YEARLY: relativedelta(months=6),
    UpdateFrequency.YEARLY: relativedelta(years=1),
}

# DCAT's frequency vocabulary (EU publications office) for each frequency.
FREQUENCY_EU = {
    UpdateFrequency.MORE_THAN_DAILY: "CONT",
    UpdateFrequency.WEEKLY: "WEEKLY",
    UpdateFrequency.MONTHLY: "MONTHLY",
    UpdateFrequency.QUARTERLY: "QUARTERLY",
    UpdateFrequency.HALF_YEARLY: "ANNUAL_2",
    UpdateFrequency.YEARLY: "ANNUAL",
    UpdateFrequency.ON_CHANGE: "IRREG",
    UpdateFrequency.NO_LONGER: "NEVER",
}


def next_due(frequency: str, last_update: dt.date | None) -> dt.date | None:
    """The day by which a dataset updated on ``last_update`` must be updated again."""
    period = FREQUENCY_PERIOD.get(frequency)
    if period is None or last_update is None:
        return None
    return last_update + period


class Language(models.TextChoices):
    UKRAINIAN = "uk", _("Ukrainian")
    ENGLISH = "en", _("English")


LANGUAGE_PASSPORT = {Language.UKRAINIAN: "Українська", Language.ENGLISH: "Англійська"}


class Compression(models.TextChoices):
    NONE = "", _("none")
    ZIP = "zip", "ZIP"
    GZIP = "gzip", "GZIP"


class ResourceFormat(models.TextChoices):
    """What a resource's file is, decided by its content (``opendata.files``)."""

    CSV = "CSV", "CSV"
    XLSX = "XLSX", "XLSX"
    JSON = "JSON", "JSON"
    XML = "XML", "XML"
    PDF = "PDF", "PDF"
    DOCX = "DOCX", "DOCX"
    ODS = "ODS", "ODS"


MEDIA_TYPES = {
    ResourceFormat.CSV: "text/csv",
    ResourceFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ResourceFormat.JSON: "application/json",
    ResourceFormat.XML: "application/xml",
    ResourceFormat.PDF: "application/pdf",
    ResourceFormat.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ResourceFormat.ODS: "application/vnd.oasis.opendocument.spreadsheet",
}
EXTENSIONS = {fmt: fmt.lower() for fmt in ResourceFormat.values}
TABULAR_FORMATS = frozenset({ResourceFormat.CSV, ResourceFormat.XLSX})


class License(models.TextChoices):
    CC_BY_4 = "cc-by-4.0", "Creative Commons Attribution 4.0"
    CC_BY_SA_4 = "cc-by-sa-4.0", "Creative Commons Attribution-ShareAlike 4.0"
    CC_ZERO = "cc-zero", "Creative Commons CCZero"
    ODC_BY = "odc-by", "Open Data Commons Attribution License"


LICENSE_URLS = {
    License.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    License.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    License.CC_ZERO: "https://creativecommons.org/publicdomain/zero/1.0/",
    License.ODC_BY: "https://opendatacommons.org/licenses/by/1-0/",
}


class Theme(models.TextChoices):
    """The data themes of DCAT-AP (EU vocabulary codes); CKAN clients see them as groups."""

    GOVE = "gove", _("Government and public sector")
    ECON = "econ", _("Economy and finance")
    EDUC = "educ", _("Education, culture and sport")
    HEAL = "heal", _("Health")
    SOCI = "soci", _("Population and society")
    ENVI = "envi", _("Environment")
    REGI = "regi", _("Regions and cities")
    TRAN = "tran", _("Transport")
    JUST = "just", _("Justice, legal system and public safety")
    AGRI = "agri", _("Agriculture, fisheries, forestry and food")
    ENER = "ener", _("Energy")


class Generator(models.TextChoices):
    """Registers of Ratusha that publish themselves as datasets (``opendata.generators``)."""

    NONE = "", _("uploaded by staff")
    ACTS = "acts", _("register of acts")
    COUNCIL_VOTES = "council_votes", _("roll-call votes of a meeting")
    DATASETS = "datasets", _("register of datasets")
