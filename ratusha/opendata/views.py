"""The public open data catalogue at ``/opendata/``: the list (search, filters by holder,
format, keyword and frequency, pages), a dataset's page (passport, resources with previews and
every version, downloads with SHA-256), downloads streamed from storage, the structure of each
file (Table Schema) and of each dataset (Data Package), and DCAT. Works without JavaScript."""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from . import dcat, selectors
from .choices import (
    EXTENSIONS,
    FREQUENCY_PASSPORT,
    LANGUAGE_PASSPORT,
    LICENSE_URLS,
    License,
    ResourceFormat,
    UpdateFrequency,
)
from .models import Dataset, Resource, ResourceVersion

PER_PAGE = 20


class CatalogueForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words"), required=False, max_length=200)
    holder = forms.ChoiceField(label=gettext_lazy("Data holder"), required=False)
    format = forms.ChoiceField(label=gettext_lazy("Format"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("Keyword"), required=False)
    frequency = forms.ChoiceField(
        label=gettext_lazy("Update frequency"),
        required=False,
        choices=[("", gettext_lazy("any"))] + list(UpdateFrequency.choices),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("title", gettext_lazy("name")),
            ("-modified", gettext_lazy("last changed first")),
            ("-published", gettext_lazy("newest first")),
        ],
    )

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", _("any"))]
        self.fields["holder"].choices = (
            any_choice
            + [(selectors.COUNCIL_HOLDER, _("the council itself"))]
            + list(options["holders"])
        )
        self.fields["format"].choices = any_choice + [(f, f) for f in options["formats"]]
        self.fields["tag"].choices = any_choice + [(t, t) for t in options["tags"]]

    def filters(self) -> selectors.CatalogueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        if not self.is_valid():
            # Keep what can be used: each valid field on its own.
            data = {}
            for name, field in self.fields.items():
                try:
                    data[name] = field.clean(self.data.get(name, ""))
                except forms.ValidationError:
                    data[name] = ""
        return selectors.CatalogueFilters(
            words=data.get("q") or "",
            holder=data.get("holder") or "",
            format=data.get("format") or "",
            tag=data.get("tag") or "",
            frequency=data.get("frequency") or "",
            sort=data.get("sort") or "title",
        )


@require_safe
def catalogue(request):
    """The list of datasets with search, filters and pages."""
    options = selectors.filter_options()
    form = CatalogueForm(request.GET or None, options=options)
    filters = form.filters() if request.GET else selectors.CatalogueFilters()
    paginator = Paginator(selectors.catalogue_ids(filters), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = selectors.catalogue_rows(list(page_obj.object_list))
    frequencies = dict(UpdateFrequency.choices)
    for row in rows:
        row["frequency_label"] = frequencies.get(row["update_frequency"], "")
    return render(
        request,
        "opendata/catalogue.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page_obj,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page_obj.number),
            "rows": rows,
            "has_errors": bool(request.GET) and not form.is_valid(),
        },
    )


def _dataset_or_404(identifier: str, *, public: bool = True) -> Dataset:
    try:
        return selectors.dataset_get(identifier, public=public)
    except Dataset.DoesNotExist:
        raise Http404(_("No such dataset.")) from None


@require_safe
def dataset(request, identifier: str):
    """A dataset's page: the passport, its resources with previews, versions and downloads."""
    item = _dataset_or_404(identifier)
    resources = list(item.resources.all())
    formats = sorted({r.format for r in resources})
    passport = [
        (_("Identifier"), item.identifier),
        (_("Name of the dataset"), item.title),
        (_("Data holder"), item.holder.name if item.holder else _("the council itself")),
        (_("Language"), LANGUAGE_PASSPORT.get(item.language, item.language)),
        (_("Formats"), ", ".join(formats)),
        (_("Compression"), item.get_compression_display() if item.compression else _("none")),
        (_("First published"), item.published_at),
        (_("Last changed"), item.data_modified_at or item.metadata_modified_at),
        (_("Actuality date"), item.actuality_date),
        (_("Update frequency"), FREQUENCY_PASSPORT.get(item.update_frequency, "")),
        (_("Next update due"), item.next_due),
        (_("Keywords"), ", ".join(t.name for t in item.tags.all())),
        (_("Basis of collection"), item.basis),
        (_("Purpose of collection"), item.purpose),
        (_("Responsible person"), item.maintainer_name),
    ]
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": item,
            "resources": resources,
            "passport": passport,
            "license_label": License(item.license).label,
            "license_url": LICENSE_URLS.get(item.license, ""),
            "datapackage_url": reverse("opendata:datapackage", args=[item.identifier]),
        },
    )


def _version(identifier: str, resource: str, number: str | None) -> ResourceVersion:
    try:
        return selectors.resource_version_get(
            identifier=identifier,
            resource_uuid=resource,
            number=int(number) if number else None,
        )
    except (Resource.DoesNotExist, ResourceVersion.DoesNotExist, ValueError):
        raise Http404(_("No such file.")) from None


def _download_name(identifier: str, version: ResourceVersion, resource) -> str:
    extension = EXTENSIONS.get(version.format, "bin")
    position = resource.position + 1
    return f"{identifier}-{position}-v{version.number}.{extension}"


@require_safe
def download(request, identifier: str, resource: str, number: str | None = None):
    """A resource's file (the current version, or version ``number``), streamed from storage
    a block at a time: the memory stays flat whatever the file's size."""
    version = _version(identifier, resource, number)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The file is missing from storage.")) from None
    content_type = version.media_type or mimetypes.guess_type(version.file.name)[0]
    if version.format in {ResourceFormat.CSV, ResourceFormat.JSON, ResourceFormat.XML}:
        content_type = f"{content_type}; charset=utf-8"
    item = version.resource
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=True,
        filename=_download_name(identifier, version, item),
    )
    response["Content-Length"] = str(version.size)
    response["ETag"] = f'"{version.sha256}"'
    digest = base64.b64encode(bytes.fromhex(version.sha256)).decode("ascii")
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def schema(request, identifier: str, resource: str):
    """The structure of a resource's current file: a Table Schema (frictionless) for a table."""
    version = _version(identifier, resource, request.GET.get("version"))
    data = {
        "profile": "tableschema" if version.schema.get("fields") else "data-resource",
        **version.schema,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def datapackage(request, identifier: str):
    """The structure of a dataset: a Data Package (frictionless) with each resource's path,
    format, size, SHA-256 and schema."""
    item = _dataset_or_404(identifier)
    root = request.build_absolute_uri("/").rstrip("/")
    resources = []
    for number, resource in enumerate(item.resources.all(), start=1):
        current = resource.current
        if current is None:
            continue
        entry = {
            "name": f"resource-{number}",
            "title": resource.title,
            "path": root
            + reverse(
                "opendata:download",
                kwargs={"identifier": item.identifier, "resource": resource.uuid},
            ),
            "format": resource.format.lower(),
            "mediatype": current.media_type,
            "encoding": "utf-8"
            if resource.format in {ResourceFormat.CSV, ResourceFormat.JSON}
            else None,
            "bytes": current.size,
            "hash": f"sha256:{current.sha256}",
        }
        if current.schema.get("fields"):
            entry["profile"] = "tabular-data-resource"
            entry["schema"] = current.schema
            delimiter = (current.preview or {}).get("delimiter")
            if delimiter:
                entry["dialect"] = {"delimiter": delimiter, "header": True}
        resources.append({k: v for k, v in entry.items() if v is not None})
    data = {
        "profile": "data-package",
        "name": item.identifier,
        "id": str(item.uuid),
        "title": item.title,
        "description": item.description,
        "licenses": [{"name": item.license, "path": LICENSE_URLS.get(item.license, "")}],
        "keywords": [t.name for t in item.tags.all()],
        "created": item.published_at.isoformat() if item.published_at else None,
        "homepage": root + item.get_absolute_url(),
        "resources": resources,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _rdf_response(graph, fmt: str) -> HttpResponse:
    data, content_type = dcat.serialise(graph, fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalog_rdf(request, fmt: str):
    """The DCAT catalogue, paged (``?page=N``, ``?modified_since=…``)."""
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        return HttpResponseBadRequest(_("The page must be a whole number."))
    modified_since = None
    if request.GET.get("modified_since"):
        try:
            modified_since = dt.datetime.fromisoformat(
                request.GET["modified_since"].replace("Z", "+00:00")
            )
        except ValueError:
            return HttpResponseBadRequest(
                _("modified_since must be a date and time in ISO 8601, e.g. 2024-05-01T00:00:00.")
            )
        if modified_since.tzinfo is None:
            modified_since = modified_since.replace(tzinfo=dt.UTC)
    try:
        graph = dcat.catalog_graph(request, page=page, modified_since=modified_since, fmt=fmt)
    except dcat.PageOutOfRange:
        raise Http404(_("No such page of the catalogue.")) from None
    return _rdf_response(graph, fmt)


@require_safe
def dataset_rdf(request, identifier: str, fmt: str):
    """One dataset in DCAT."""
    pk = (
        selectors.public_datasets()
        .filter(identifier=identifier)
        .values_list("id", flat=True)
        .first()
    )
    if pk is None:
        raise Http404(_("No such dataset."))
    return _rdf_response(dcat.dataset_graph(request, pk), fmt)
