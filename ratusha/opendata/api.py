"""The CKAN Action API, read-only, at ``/api/3/action/<name>`` and ``/api/action/<name>``.

It answers as CKAN 2.9+ does, so CKAN clients (``ckanapi``) and harvesters (data.gov.ua's,
ckanext-harvest) read the community's datasets as they read a CKAN portal:

- GET with the parameters in the query string, or POST with a JSON object (or a form) in the
  body; ``{"help", "success", "result"}`` on success.
- Errors in CKAN's shapes and codes: an unknown action 400 (``"Bad request - Action name not
  known: …"``), a missing record 404 (``Not Found Error``), an invalid parameter 409
  (``Validation Error``, ``{"field": ["message"]}``), a query Solr would refuse 400
  (``Search Query Error``), unknown parameters of ``package_search`` 409 (``Search Error``).
- ``package_search``: ``q`` (words, or ``field:value`` terms), ``fq`` (``name``, ``id``,
  ``organization``, ``groups``, ``tags``, ``res_format``, ``license_id``, ``update_frequency``,
  ``metadata_modified``/``metadata_created`` with ``[X TO Y]`` ranges, ``NOW``, ``*``),
  ``sort`` (``id``, ``name``, ``title_string``, ``metadata_modified``, ``metadata_created``,
  ``score``), ``rows`` (default 10, at most 1000: a larger value is cut to 1000 as CKAN's
  ``limit_to_configured_maximum`` does), ``start``, ``facet.field``, ``facet.limit``,
  ``facet.mincount``.

Every package carries the passport of Cabinet Resolution 835 at the top level, with the fields
data.gov.ua's harvester reads: ``purpose_of_collecting_information``, ``update_frequency``,
``language`` and ``tag_string``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ratusha.core.models import StructuralUnit

from . import selectors
from .choices import (
    FREQUENCY_PASSPORT,
    LANGUAGE_PASSPORT,
    LICENSE_URLS,
    License,
    Theme,
)
from .models import Dataset, Resource, Tag

ROWS_DEFAULT = 10
ROWS_MAX = 1000
LIST_LIMIT_MAX = 1000
INTEGER_MAX = 2**31 - 1
CKAN_VERSION = "2.9.0"
UNIT_NAMESPACE = uuid.UUID("5b0f7a8e-3d0c-4f7e-9a51-7d1e5f9c2a10")


class ActionError(Exception):
    status = 400

    def __init__(self, error: Any):
        super().__init__(error)
        self.error = error


class NotFound(ActionError):
    status = 404

    def __init__(self, detail: str = ""):
        message = "Not found" + (f": {detail}" if detail else "")
        super().__init__({"__type": "Not Found Error", "message": message})


class Invalid(ActionError):
    status = 409

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__({**errors, "__type": "Validation Error"})


class SearchQueryError(ActionError):
    status = 400

    def __init__(self, detail: str):
        super().__init__(
            {"__type": "Search Query Error", "message": f"Search Query is invalid: {detail!r}"}
        )


class SearchError(ActionError):
    status = 409

    def __init__(self, detail: str):
        super().__init__({"__type": "Search Error", "message": f"Search error: {detail!r}"})


# --- parameters -------------------------------------------------------------------------------


def _natural(params: dict, name: str, default: int | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise Invalid({name: ["Invalid integer"]})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid({name: ["Invalid integer"]}) from None
    if number < 0:
        raise Invalid({name: ["Must be a natural number"]})
    if number > INTEGER_MAX:  # beyond what a database's OFFSET or COUNT compares with
        raise Invalid({name: [f"Must be at most {INTEGER_MAX}"]})
    return number


def _text(params: dict, name: str, default: str = "") -> str:
    """A text parameter; a JSON body may hold anything, a list or an object is refused."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise Invalid({name: ["Must be a string"]})
    return value


def _boolean(params: dict, name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes", "on"}:
        return True
    if text in {"false", "0", "no", "off"}:
        return False
    raise Invalid({name: ["Value must be one of: true, false"]})


def _required(params: dict, *names: str) -> str:
    for name in names:
        value = params.get(name)
        if value not in (None, ""):
            return str(value)
    raise Invalid({names[-1]: ["Missing value"]})


def _json_list(params: dict, name: str) -> list[str]:
    value = params.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid({name: ["Not a list of strings"]})
    return value


# --- building the dicts -----------------------------------------------------------------------


class Urls:
    """Absolute addresses for one request, each pattern reversed once."""

    PLACEHOLDER = "zzplaceholderzz"

    def __init__(self, request: HttpRequest):
        self.root = request.build_absolute_uri("/").rstrip("/")
        self._dataset = reverse("opendata:dataset", kwargs={"identifier": self.PLACEHOLDER})
        self._package = reverse("opendata:datapackage", kwargs={"identifier": self.PLACEHOLDER})
        self._download = reverse(
            "opendata:download",
            kwargs={"identifier": self.PLACEHOLDER, "resource": uuid.UUID(int=0)},
        )
        self._schema = reverse(
            "opendata:schema",
            kwargs={"identifier": self.PLACEHOLDER, "resource": uuid.UUID(int=0)},
        )
        self.help_base = self.root + "/api/3/action/help_show?name="
        self._download_parts = self._parts(self._download)
        self._schema_parts = self._parts(self._schema)

    def dataset(self, identifier: str) -> str:
        return self.root + self._dataset.replace(self.PLACEHOLDER, identifier)

    def datapackage(self, identifier: str) -> str:
        return self.root + self._package.replace(self.PLACEHOLDER, identifier)

    def download(self, identifier: str, resource_uuid) -> str:
        start, middle, end = self._download_parts
        return f"{start}{identifier}{middle}{resource_uuid}{end}"

    def schema(self, identifier: str, resource_uuid) -> str:
        start, middle, end = self._schema_parts
        return f"{start}{identifier}{middle}{resource_uuid}{end}"

    def _parts(self, pattern: str) -> tuple[str, str, str]:
        start, rest = (self.root + pattern).split(self.PLACEHOLDER)
        middle, end = rest.split(str(uuid.UUID(int=0)))
        return start, middle, end


def _ckan_time(moment) -> str | None:
    """CKAN's timestamps: UTC without an offset, with microseconds."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _local_time(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


COUNCIL_CACHE_KEY = "ratusha:opendata:council-org"
COUNCIL_CACHE_SECONDS = 60


def council_org() -> dict:
    """The council as a CKAN organisation (from ``HromadaSettings``; kept a minute in the
    cache, so a renamed council shows in the API within a minute)."""
    from django.core.cache import cache

    cached = cache.get(COUNCIL_CACHE_KEY)
    if cached is not None:
        return cached
    from ratusha.opendata.generators import _hromada

    hromada = _hromada()
    name = (hromada.council_name if hromada else "") or "Рада громади"
    edrpou = hromada.edrpou if hromada else ""
    slug = f"council-{edrpou}" if edrpou else "council"
    org = {
        "id": str(uuid.uuid5(UNIT_NAMESPACE, "council")),
        "name": slug,
        "title": name,
        "description": "",
        "created": None,
        "email": (hromada.email if hromada else "") or "",
    }
    cache.set(COUNCIL_CACHE_KEY, org, COUNCIL_CACHE_SECONDS)
    return org


def unit_org(unit: dict) -> dict:
    return {
        "id": str(uuid.uuid5(UNIT_NAMESPACE, f"unit:{unit['id']}")),
        "name": unit["slug"],
        "title": unit["name"],
        "description": unit.get("functions") or "",
        "created": unit.get("created_at"),
        "email": unit.get("email") or "",
    }


def organization_dict(org: dict, *, package_count: int | None = None) -> dict:
    data = {
        "id": org["id"],
        "name": org["name"],
        "title": org["title"],
        "display_name": org["title"],
        "description": org["description"],
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": _ckan_time(org["created"]),
        "revision_id": None,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(theme: str, *, package_count: int | None = None) -> dict:
    title = str(Theme(theme).label)
    data = {
        "id": theme,
        "name": theme,
        "title": title,
        "display_name": title,
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": None,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def tag_dict(name: str) -> dict:
    return {
        "id": name,
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def license_dict(code: str) -> dict:
    return {
        "id": code,
        "title": str(License(code).label),
        "url": LICENSE_URLS.get(code, ""),
        "status": "active",
        "maintainer": "",
        "family": "",
        "od_conformance": "approved",
        "osd_conformance": "not reviewed",
        "domain_content": True,
        "domain_data": True,
        "domain_software": False,
        "is_okd_compliant": True,
        "is_osi_compliant": False,
    }


def resource_dict(row: dict, identifier: str, package_id: str, urls: Urls) -> dict:
    schema = urls.schema(identifier, row["uuid"])
    return {
        "id": row["uuid"],
        "package_id": package_id,
        "name": row["title"],
        "description": row["description"],
        "format": row["format"],
        "mimetype": row["current__media_type"],
        "mimetype_inner": None,
        "size": row["current__size"],
        "hash": f"sha256:{row['current__sha256']}" if row["current__sha256"] else "",
        "url": urls.download(identifier, row["uuid"]),
        "url_type": None,
        "resource_type": None,
        "position": row["position"],
        "state": "active",
        "created": row["created"],
        "last_modified": row["modified"],
        "metadata_modified": row["modified"],
        "cache_url": None,
        "cache_last_updated": None,
        "datastore_active": False,
        "version": row["current__number"],
        "rows": row["current__row_count"],
        "schema": schema,
        "link_to_structure": schema,
    }


class Context:
    """What every package dict of one response shares: the addresses and the organisations."""

    def __init__(self, request: HttpRequest):
        self.urls = Urls(request)
        self._council: dict | None = None
        self._units: dict[int, dict] = {}
        self._organizations: dict[int | None, dict] = {}
        self.license_titles = {code: str(label) for code, label in License.choices}
        self.groups = {code: group_dict(code) for code in Theme.values}

    @property
    def council(self) -> dict:
        if self._council is None:
            self._council = council_org()
        return self._council

    def organization(self, holder: dict | None) -> dict:
        if not holder:
            return self.council
        org = self._units.get(holder["id"])
        if org is None:
            org = self._units[holder["id"]] = unit_org(holder)
        return org

    def organization_data(self, holder: dict | None) -> dict:
        key = holder["id"] if holder else None
        data = self._organizations.get(key)
        if data is None:
            data = self._organizations[key] = organization_dict(self.organization(holder))
        return data


def package_dict(row: dict, context: Context) -> dict:
    urls = context.urls
    identifier = row["identifier"]
    org = context.organization(row["holder"])
    tags = row["tags"]
    package_id = str(row["uuid"])
    resources = [resource_dict(r, identifier, package_id, urls) for r in row["resources"]]
    formats = sorted({r["format"] for r in row["resources"]})
    license_code = row["license"]
    frequency = row["update_frequency"]
    page = urls.dataset(identifier)
    return {
        "id": package_id,
        "name": identifier,
        "title": row["title"],
        "notes": row["description"],
        "url": page,
        "type": "dataset",
        "state": "active",
        "private": False,
        "version": None,
        "author": org["title"],
        "author_email": org["email"] or None,
        "maintainer": row["maintainer_name"],
        "maintainer_email": row["maintainer_email"],
        "license_id": license_code,
        "license_title": context.license_titles.get(license_code, license_code),
        "license_url": LICENSE_URLS.get(license_code, ""),
        "isopen": True,
        "metadata_created": _ckan_time(row["metadata_created_at"]),
        "metadata_modified": _ckan_time(row["metadata_modified_at"]),
        "owner_org": org["id"],
        "organization": context.organization_data(row["holder"]),
        "groups": [context.groups[row["theme"]]] if row["theme"] in context.groups else [],
        "tags": [tag_dict(name) for name in tags],
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        # The passport of Cabinet Resolution 835.
        "identifier": identifier,
        "language": LANGUAGE_PASSPORT.get(row["language"], row["language"]),
        "formats": ", ".join(formats),
        "compression": row["compression"] or "",
        "date_published": _local_time(row["published_at"]),
        "date_modified": _local_time(row["data_modified_at"] or row["metadata_modified_at"]),
        "date_actual": row["actuality_date"].isoformat() if row["actuality_date"] else None,
        "update_frequency": FREQUENCY_PASSPORT.get(frequency, frequency),
        "update_frequency_code": frequency,
        "next_update_due": row["next_due"].isoformat() if row["next_due"] else None,
        "keywords": ", ".join(tags),
        "tag_string": ",".join(tags),
        "link_to_data": row["data_url"] or page,
        "link_to_structure": urls.datapackage(identifier),
        "basis_of_collecting_information": row["basis"],
        "purpose_of_collecting_information": row["purpose"],
        "responsible_person": row["maintainer_name"],
        "responsible_person_email": row["maintainer_email"],
        "generated": bool(row["generator"]),
    }


def packages(ids: list[int], context: Context) -> list[dict]:
    return [package_dict(row, context) for row in selectors.package_data(ids)]


# --- lookups -----------------------------------------------------------------------------------


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError):
        return None


def _dataset_id(name_or_id: str) -> int:
    public = selectors.public_datasets()
    key = _as_uuid(name_or_id)
    match = Q(identifier=name_or_id)
    if key is not None:
        match |= Q(uuid=key)
    pk = public.filter(match).values_list("id", flat=True).first()
    if pk is None:
        raise NotFound()
    return pk


def _organizations() -> list[tuple[dict, int, int | None]]:
    """``(organisation, dataset count, unit id)`` of every holder with public datasets."""
    result = []
    for holder in selectors.holders_with_datasets():
        if holder["id"] is None:
            result.append((council_org(), holder["count"], None))
        else:
            result.append((unit_org(holder), holder["count"], holder["id"]))
    return result


def _find_organization(name_or_id: str) -> tuple[dict, int, int | None]:
    for org, count, unit_id in _organizations():
        if name_or_id in (org["id"], org["name"]):
            return org, count, unit_id
    raise NotFound("Organization was not found.")


def _organization_filter(value: str) -> Q:
    council = council_org()
    if value in (council["id"], council["name"]):
        return Q(holder__isnull=True)
    units = StructuralUnit.objects.all().values_list("id", "slug")
    for pk, slug in units:
        if value == slug or value == str(uuid.uuid5(UNIT_NAMESPACE, f"unit:{pk}")):
            return Q(holder_id=pk)
    return Q(pk__in=[])


# --- search ------------------------------------------------------------------------------------

_TERM = re.compile(
    r"""(?P<sign>[+-]?)(?P<field>[A-Za-z_][\w.]*):(?P<value>"[^"]*"|\[[^\]]*\]|\{[^}]*\}|\S+)"""
    r"""|(?P<word>"[^"]*"|\S+)"""
)
_DATE_MATH = re.compile(
    r"^NOW(?:(?P<sign>[+-])(?P<amount>\d+)(?P<unit>YEARS?|MONTHS?|DAYS?|HOURS?|MINUTES?))?"
    r"(?:/(?P<round>DAY|HOUR|MONTH|YEAR))?$"
)
SEARCH_PARAMETERS = {
    "q",
    "fq",
    "fl",
    "rows",
    "start",
    "sort",
    "facet",
    "facet.field",
    "facet.limit",
    "facet.mincount",
    "include_private",
    "include_drafts",
    "include_deleted",
    "use_default_schema",
    "qf",
    "defType",
    "wt",
    "fq_list",
    "extras",
}
SORT_FIELDS = {
    "id": "uuid",
    "name": "identifier",
    "title_string": "title",
    "title": "title",
    "metadata_modified": "metadata_modified_at",
    "metadata_created": "metadata_created_at",
    "score": None,
}
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "update_frequency")


def _parse_moment(text: str) -> dt.datetime | None:
    text = text.strip()
    if text == "*":
        return None
    match = _DATE_MATH.match(text)
    if match:
        moment = timezone.now()
        if match["sign"]:
            amount = int(match["amount"]) * (1 if match["sign"] == "+" else -1)
            unit = match["unit"].rstrip("S").lower()
            if unit == "year":
                moment = moment.replace(year=moment.year + amount)
            elif unit == "month":
                from dateutil.relativedelta import relativedelta

                moment += relativedelta(months=amount)
            else:
                moment += dt.timedelta(**{f"{unit}s": amount})
        if match["round"]:
            moment = moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
            if match["round"] in {"DAY", "MONTH", "YEAR"}:
                moment = moment.replace(hour=0)
            if match["round"] in {"MONTH", "YEAR"}:
                moment = moment.replace(day=1)
            if match["round"] == "YEAR":
                moment = moment.replace(month=1)
        return moment
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SearchQueryError(f"Invalid date in range: {text}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _range(field: str, value: str) -> Q:
    inclusive = value.startswith("[")
    body = value[1:-1]
    parts = re.split(r"\s+TO\s+", body.strip())
    if len(parts) != 2:
        raise SearchQueryError(f"{field}:{value}")
    low, high = (_parse_moment(part) for part in parts)
    query = Q()
    if low is not None:
        query &= Q(**{f"{field}__gte" if inclusive else f"{field}__gt": low})
    if high is not None:
        query &= Q(**{f"{field}__lte" if inclusive else f"{field}__lt": high})
    return query


def _field_query(field: str, value: str) -> Q:
    raw = value
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        value = value[1:-1]
    if field in {"metadata_modified", "metadata_created"}:
        column = SORT_FIELDS[field]
        if raw.startswith(("[", "{")):
            return _range(column, raw)
        moment = _parse_moment(value)
        return Q(**{column: moment}) if moment else Q()
    if field == "name":
        return Q(identifier=value)
    if field == "id":
        key = _as_uuid(value)
        return Q(uuid=key) if key else Q(pk__in=[])
    if field in {"organization", "owner_org"}:
        return _organization_filter(value)
    if field == "groups":
        return Q(theme=value)
    if field == "tags":
        return Q(pk__in=Dataset.tags.through.objects.filter(tag__name=value).values("dataset_id"))
    if field == "res_format":
        return Q(pk__in=Resource.objects.filter(format__iexact=value).values("dataset_id"))
    if field == "license_id":
        return Q(license=value)
    if field == "update_frequency":
        codes = [code for code, words in FREQUENCY_PASSPORT.items() if words == value]
        return Q(update_frequency__in=[value, *codes])
    if field in {"title", "notes", "text"}:
        column = {"title": "title", "notes": "description"}.get(field)
        if column is None:
            return Q(pk__in=selectors.search_words(Dataset.objects.all(), value).values("pk"))
        return selectors.word_matches(value, (column,))
    if field in {"state", "dataset_type", "capacity", "type"}:
        accepted = {"state": "active", "dataset_type": "dataset", "capacity": "public"}
        return Q() if value in {accepted.get(field, "dataset"), "*"} else Q(pk__in=[])
    raise SearchQueryError(f"undefined field {field}")


def _apply_terms(datasets: QuerySet, text: str, *, words_allowed: bool) -> QuerySet:
    words = []
    for match in _TERM.finditer(text or ""):
        if match["field"]:
            query = _field_query(match["field"], match["value"])
            datasets = datasets.exclude(query) if match["sign"] == "-" else datasets.filter(query)
        else:
            word = match["word"].strip('"')
            if word in {"*:*", "*", "AND", "OR"}:
                continue
            if not words_allowed:
                raise SearchQueryError(text)
            words.append(word)
    if words:
        datasets = selectors.search_words(datasets, " ".join(words))
    return datasets


def _order(sort: str) -> list[str]:
    order: list[str] = []
    for part in (sort or "").split(","):
        bits = part.split()
        if not bits:
            continue
        if len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in {"asc", "desc"}):
            raise SearchQueryError(f"Invalid sort: {sort}")
        name = bits[0]
        if name not in SORT_FIELDS:
            raise SearchQueryError(f"Invalid sort field: {name}")
        column = SORT_FIELDS[name]
        if column is None:
            continue
        descending = len(bits) == 2 and bits[1].lower() == "desc"
        order.append(f"-{column}" if descending else column)
    if not order:
        order = ["-metadata_modified_at"]
    tie = "-id" if order[-1].startswith("-") else "id"
    return [*order, tie]


def _facets(datasets: QuerySet, fields: list[str], limit: int, mincount: int) -> dict:
    facets: dict[str, dict[str, int]] = {}
    ids = datasets.values("pk")
    for name in fields:
        if name == "organization":
            counts: dict[str, int] = {}
            rows = (
                Dataset.objects.filter(pk__in=ids)
                .values("holder_id")
                .annotate(n=Count("id"))
                .values_list("holder_id", "n")
            )
            holders = selectors.holder_data({pk for pk, _n in rows if pk})
            council_name = None
            for pk, n in rows:
                if pk is None:
                    council_name = council_name or council_org()["name"]
                    counts[council_name] = n
                elif pk in holders:
                    counts[holders[pk]["slug"]] = n
        elif name == "groups":
            counts = dict(
                Dataset.objects.filter(pk__in=ids)
                .values("theme")
                .annotate(n=Count("id"))
                .values_list("theme", "n")
            )
        elif name == "tags":
            counts = dict(
                Dataset.tags.through.objects.filter(dataset_id__in=ids)
                .values("tag__name")
                .annotate(n=Count("dataset_id"))
                .values_list("tag__name", "n")
            )
        elif name == "res_format":
            counts = dict(
                Resource.objects.filter(dataset_id__in=ids)
                .values("format")
                .annotate(n=Count("dataset_id", distinct=True))
                .values_list("format", "n")
            )
        elif name == "license_id":
            counts = dict(
                Dataset.objects.filter(pk__in=ids)
                .values("license")
                .annotate(n=Count("id"))
                .values_list("license", "n")
            )
        elif name == "update_frequency":
            counts = {
                FREQUENCY_PASSPORT.get(code, code): n
                for code, n in Dataset.objects.filter(pk__in=ids)
                .values("update_frequency")
                .annotate(n=Count("id"))
                .values_list("update_frequency", "n")
            }
        else:
            raise SearchQueryError(f"undefined field {name}")
        ordered = sorted(
            ((key, n) for key, n in counts.items() if n >= mincount),
            key=lambda item: (-item[1], item[0]),
        )
        if limit >= 0:
            ordered = ordered[:limit]
        facets[name] = dict(ordered)
    return facets


def package_search(request, params: dict) -> dict:
    """Search the datasets (Solr's parameters, as CKAN takes them)."""
    unknown = sorted(
        key for key in params if key not in SEARCH_PARAMETERS and not key.startswith("ext_")
    )
    if unknown:
        raise SearchError(f"Invalid search parameters: {unknown}")
    rows = min(_natural(params, "rows", ROWS_DEFAULT), ROWS_MAX)
    start = _natural(params, "start", 0)
    facet_limit = params.get("facet.limit", 50)
    try:
        facet_limit = int(facet_limit)
    except (TypeError, ValueError):
        raise Invalid({"facet.limit": ["Invalid integer"]}) from None
    if abs(facet_limit) > INTEGER_MAX:
        raise Invalid({"facet.limit": [f"Must be at most {INTEGER_MAX}"]})
    facet_mincount = _natural(params, "facet.mincount", 1)
    facet_fields = _json_list(params, "facet.field")
    sort = params.get("sort") or "score desc, metadata_modified desc"
    if not isinstance(sort, str):
        raise Invalid({"sort": ["Must be a string"]})
    datasets = selectors.public_datasets()
    q = params.get("q") or ""
    fq = params.get("fq") or ""
    if not isinstance(q, str) or not isinstance(fq, str):
        raise Invalid({"q" if not isinstance(q, str) else "fq": ["Must be a string"]})
    datasets = _apply_terms(datasets, q, words_allowed=True)
    datasets = _apply_terms(datasets, fq, words_allowed=False)
    order = _order(sort)
    count = datasets.count()
    ids = list(datasets.order_by(*order).values_list("id", flat=True)[start : start + rows])
    context = Context(request)
    result = {
        "count": count,
        "sort": sort,
        "results": packages(ids, context) if rows else [],
        "facets": {},
        "search_facets": {},
    }
    if facet_fields and str(params.get("facet", "true")).lower() != "false":
        facets = _facets(datasets, facet_fields, facet_limit, facet_mincount)
        result["facets"] = facets
        titles = _facet_titles(facets)
        result["search_facets"] = {
            name: {
                "title": name,
                "items": [
                    {"name": key, "display_name": titles.get((name, key), key), "count": n}
                    for key, n in values.items()
                ],
            }
            for name, values in facets.items()
        }
    return result


def _facet_titles(facets: dict) -> dict[tuple[str, str], str]:
    titles: dict[tuple[str, str], str] = {}
    if "organization" in facets:
        council = council_org()
        titles[("organization", council["name"])] = council["title"]
        for slug, name in StructuralUnit.objects.filter(
            slug__in=list(facets["organization"])
        ).values_list("slug", "name"):
            titles[("organization", slug)] = name
    for theme in facets.get("groups", {}):
        if theme in Theme.values:
            titles[("groups", theme)] = str(Theme(theme).label)
    return titles


# --- the actions ------------------------------------------------------------------------------


def site_read(request, params: dict) -> bool:
    """Whether the site may be read: always."""
    return True


def status_show(request, params: dict) -> dict:
    """The site's title, address, CKAN version it answers as, and locale."""
    council = council_org()
    return {
        "site_title": council["title"],
        "site_description": "Відкриті дані громади",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "uk",
        "extensions": ["ratusha"],
    }


def package_list(request, params: dict) -> list[str]:
    """The names of all public datasets, sorted by name (``limit``, ``offset``)."""
    limit = _natural(params, "limit")
    offset = _natural(params, "offset", 0)
    names = selectors.public_datasets().order_by("identifier").values_list("identifier", flat=True)
    if limit is not None:
        return list(names[offset : offset + limit])
    return list(names[offset:])


def current_package_list_with_resources(request, params: dict) -> list[dict]:
    """Full datasets, the most recently changed first (``limit``, ``offset``, ``page``)."""
    limit = _natural(params, "limit", ROWS_MAX)
    offset = _natural(params, "offset", 0)
    page = _natural(params, "page")
    if page is not None:
        if page < 1:
            raise Invalid({"page": ["Must be larger than 0"]})
        offset = (page - 1) * limit
    ids = list(
        selectors.public_datasets()
        .order_by("-metadata_modified_at", "-id")
        .values_list("id", flat=True)[offset : offset + min(limit, ROWS_MAX)]
    )
    return packages(ids, Context(request))


def package_show(request, params: dict) -> dict:
    """One dataset by its name or id."""
    name_or_id = _required(params, "id", "name_or_id")
    return packages([_dataset_id(name_or_id)], Context(request))[0]


def resource_show(request, params: dict) -> dict:
    """One resource by its id."""
    key = _as_uuid(_required(params, "id"))
    resource = (
        Resource.objects.filter(uuid=key, dataset__in=selectors.public_datasets())
        .values_list("dataset_id", flat=True)
        .first()
        if key
        else None
    )
    if resource is None:
        raise NotFound("Resource was not found.")
    package = packages([resource], Context(request))[0]
    return next(r for r in package["resources"] if r["id"] == str(key))


def _list_slice(items: list, params: dict) -> list:
    limit = _natural(params, "limit")
    offset = _natural(params, "offset", 0)
    if limit is not None:
        limit = min(limit, LIST_LIMIT_MAX)
        return items[offset : offset + limit]
    return items[offset:]


def _sorted(items: list[tuple[dict, int]], sort: str) -> list[tuple[dict, int]]:
    field, _space, direction = (sort or "name asc").partition(" ")
    descending = direction.strip().lower() == "desc"
    if field not in {"name", "title", "package_count"}:
        raise Invalid({"sort": [f"Cannot sort by field `{field}`"]})
    if field == "package_count":
        return sorted(items, key=lambda item: (item[1], item[0]["name"]), reverse=descending)
    return sorted(items, key=lambda item: item[0][field], reverse=descending)


def organization_list(request, params: dict) -> list:
    """The holders of public datasets (``all_fields``, ``sort``, ``limit``, ``offset``,
    ``organizations``)."""
    items = [(org, count) for org, count, _unit in _organizations()]
    wanted = _json_list(params, "organizations")
    if wanted:
        items = [item for item in items if item[0]["name"] in wanted]
    items = _list_slice(_sorted(items, _text(params, "sort", "name asc")), params)
    if _boolean(params, "all_fields"):
        return [organization_dict(org, package_count=count) for org, count in items]
    return [org["name"] for org, _count in items]


def organization_show(request, params: dict) -> dict:
    """One holder; with ``include_datasets`` its datasets (at most 1000)."""
    org, count, unit_id = _find_organization(_required(params, "id"))
    data = organization_dict(org, package_count=count)
    data["users"] = []
    data["extras"] = []
    data["tags"] = []
    data["groups"] = []
    if _boolean(params, "include_datasets"):
        datasets = selectors.public_datasets().filter(holder_id=unit_id)
        ids = list(datasets.order_by("identifier").values_list("id", flat=True)[:ROWS_MAX])
        data["packages"] = packages(ids, Context(request))
    return data


def group_list(request, params: dict) -> list:
    """The themes of public datasets (CKAN groups)."""
    counts = dict(
        selectors.public_datasets()
        .values("theme")
        .annotate(n=Count("id"))
        .values_list("theme", "n")
    )
    items = [(group_dict(theme), counts[theme]) for theme in Theme.values if counts.get(theme)]
    wanted = _json_list(params, "groups")
    if wanted:
        items = [item for item in items if item[0]["name"] in wanted]
    items = _list_slice(_sorted(items, _text(params, "sort", "name asc")), params)
    if _boolean(params, "all_fields"):
        return [{**group, "package_count": count} for group, count in items]
    return [group["name"] for group, _count in items]


def group_show(request, params: dict) -> dict:
    """One theme (CKAN group)."""
    theme = _required(params, "id")
    if theme not in Theme.values:
        raise NotFound("Group was not found.")
    datasets = selectors.public_datasets().filter(theme=theme)
    data = group_dict(theme, package_count=datasets.count())
    if _boolean(params, "include_datasets"):
        ids = list(datasets.order_by("identifier").values_list("id", flat=True)[:ROWS_MAX])
        data["packages"] = packages(ids, Context(request))
    return data


def tag_list(request, params: dict) -> list:
    """The keywords of public datasets (``query`` filters them, ``all_fields``)."""
    tags = Tag.objects.filter(
        pk__in=Dataset.tags.through.objects.filter(dataset__in=selectors.public_datasets()).values(
            "tag_id"
        )
    ).order_by("name")
    query = _text(params, "query") or _text(params, "q")
    if query:
        tags = tags.filter(selectors.word_matches(str(query), ("name",)))
    names = list(tags.values_list("name", flat=True))
    if _boolean(params, "all_fields"):
        return [tag_dict(name) for name in names]
    return names


def license_list(request, params: dict) -> list[dict]:
    """The licences datasets may carry."""
    return [license_dict(code) for code in License.values]


def help_show(request, params: dict) -> str:
    """The help text of an action."""
    name = _required(params, "name")
    action = ACTIONS.get(name)
    if action is None:
        raise NotFound(f"Action function not found: {name}")
    return (action.__doc__ or "").strip()


ACTIONS: dict[str, Callable[[HttpRequest, dict], Any]] = {
    "site_read": site_read,
    "status_show": status_show,
    "package_list": package_list,
    "current_package_list_with_resources": current_package_list_with_resources,
    "package_show": package_show,
    "package_search": package_search,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "license_list": license_list,
    "help_show": help_show,
}


# --- the view ---------------------------------------------------------------------------------


def _response(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, default=str)
    response = HttpResponse(body, status=status, content_type="application/json;charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def _bad_request(message: str) -> HttpResponse:
    return _response(f"Bad request - {message}", status=400)


def _request_data(request: HttpRequest) -> dict:
    if request.method == "GET":
        data: dict[str, Any] = {}
        for key in request.GET:
            values = request.GET.getlist(key)
            data[key] = values[0] if len(values) == 1 else values
        return data
    content_type = request.content_type or ""
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        try:
            form = request.POST
        except MultiPartParserError as exc:  # e.g. multipart without its boundary
            raise ValueError(f"Could not read the form: {exc}") from None
    else:
        form = None
    if form:
        values = list(form.values())
        if len(values) == 1 and values[0] in {"1", ""}:
            # ckanapi and old clients send the JSON as the form's only key.
            return _json_object(next(iter(form.keys())))
        return {key: form.get(key) for key in form}
    if content_type == "multipart/form-data":
        return {}  # an empty form: its stream is read, there is no body left
    body = request.body
    if not body:
        return {}
    return _json_object(body.decode("utf-8", errors="replace"))


def _json_object(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"Error decoding JSON data. Error: {exc!r}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"Request data JSON decoded to {data!r} but it needs to be a dictionary.")
    return data


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


@csrf_exempt
def action(request: HttpRequest, name: str, version: str = "3") -> HttpResponse:
    """``/api/[3/]action/<name>``: run a read-only CKAN action."""
    function = ACTIONS.get(name)
    if function is None:
        return _bad_request(f"Action name not known: {name}")
    if request.method not in {"GET", "POST", "HEAD", "OPTIONS"}:
        return _bad_request("Invalid request. Please use the GET or POST method.")
    if request.method == "OPTIONS":
        response = HttpResponse(status=200)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, Authorization, X-CKAN-API-Key"
        return response
    help_url = request.build_absolute_uri("/").rstrip("/") + f"/api/3/action/help_show?name={name}"
    try:
        params = _request_data(request)
    except ValueError as exc:
        return _bad_request(f"JSON Error: {exc}")
    if _holds_nul(params):  # PostgreSQL's text cannot hold it: refused before any query
        return _bad_request("Invalid character: NUL (0x00) in the parameters")
    params.pop("callback", None)
    params.pop("_", None)
    try:
        result = function(request, params)
    except ActionError as exc:
        return _response({"help": help_url, "success": False, "error": exc.error}, exc.status)
    return _response({"help": help_url, "success": True, "result": result})
