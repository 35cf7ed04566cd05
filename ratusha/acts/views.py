"""The public registry of legal acts: the list with filters, an act's page, file downloads,
an Atom feed per kind and the export of any filtered list as CSV or JSON.

Only published, non-internal acts are ever shown (``selectors.public_acts``); everything else
answers 404, as if it did not exist.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ratusha.core.site_urls import UrlPattern
from ratusha.core.text import transliterate

from . import extensions, selectors
from .choices import ActStatus, IssuingBody
from .forms import ActFilterForm
from .models import Act, ActFile, ActKind

# Content types by the format the upload check established from the file's content (never by
# the visitor's or uploader's say-so); anything else is served as opaque bytes.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"

# Sortable columns: (sort key, the order a first click on the column asks for).
SORTABLE_COLUMNS = (("number", "number"), ("date", "-date"), ("title", "title"))
# Status whose reason the act page shows next to it.
STATUSES_WITH_REASON = {
    ActStatus.WITHDRAWN,
    ActStatus.CANCELLED,
    ActStatus.AMENDED,
    ActStatus.REJECTED,
    ActStatus.RETURNED,
}

EXPORT_FIELDS = (
    "id",
    "kind",
    "number",
    "date",
    "title",
    "issuingBody",
    "status",
    "publishedAt",
    "updatedAt",
    "url",
)
EXPORT_CHUNK_ROWS = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class DetailUrls(UrlPattern):
    """Addresses of act pages (absolute with ``request``), the pattern reversed once."""

    def __init__(self, request=None):
        root = request.build_absolute_uri("/") if request is not None else ""
        super().__init__("acts:detail", prefix=root)


def _list_rows(acts: list[dict]) -> list[dict[str, str]]:
    """The table's rows with their text ready: plain dicts, because a hundred rows of model
    lookups in the template cost several milliseconds more."""
    url = DetailUrls()
    statuses = {value: str(label) for value, label in ActStatus.choices}
    return [
        {
            "url": url(act["id"]),
            "kind": act["kind_name"],
            "number": act["number"],
            "date_iso": act["date"].isoformat(),
            "date": act["date"].strftime("%d.%m.%Y"),
            "title": act["title"],
            "status": statuses.get(act["status"], act["status"]),
        }
        for act in acts
    ]


def _filter_form(request) -> ActFilterForm:
    return ActFilterForm(
        request.GET, kinds=list(selectors.kind_list()), units=selectors.unit_choices()
    )


def _query_without(request, *names: str, **changes: str) -> str:
    """The current query string without ``names`` and with ``changes``, as ``?a=1&b=2``."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


def _sort_columns(request, current: str) -> dict[str, dict[str, str]]:
    """Header links for the sortable columns: a click sorts by the column, a second click
    reverses it; ``aria_sort`` tells screen readers the current order."""
    columns = {}
    for key, first in SORTABLE_COLUMNS:
        if current == key:
            target, aria_sort = f"-{key}", "ascending"
        elif current == f"-{key}":
            target, aria_sort = key, "descending"
        else:
            target, aria_sort = first, ""
        columns[key] = {
            "url": _query_without(request, "page", sort=target),
            "aria_sort": aria_sort,
        }
    return columns


@require_safe
def act_list(request):
    """The registry: filters in the URL, sorted, paginated. Five queries whatever the page
    size: the kinds, the units, the count, the page's ids, the page's rows."""
    form = _filter_form(request)
    filters = form.filters()
    paginator = Paginator(selectors.act_list_ids(filters), form.page_size())
    page = paginator.get_page(request.GET.get("page"))
    export_query = _query_without(request, "page", "per_page", "format")
    context = {
        "form": form,
        "controls": form.controls(),
        "filters": filters,
        "page_obj": page,
        "rows": _list_rows(selectors.act_rows(list(page.object_list))) if paginator.count else [],
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        if paginator.num_pages > 1
        else [],
        "sort_columns": _sort_columns(request, filters.sort),
        "export_csv_url": reverse("acts:export") + export_query,
        "export_json_url": reverse("acts:export")
        + _query_without(request, "page", "per_page", format="json"),
        "feed_url": reverse("acts:feed", kwargs={"code": filters.kind}) if filters.kind else "",
    }
    return render(request, "acts/act_list.html", context)


@require_safe
def act_detail(request, pk: int):
    """An act's page: its card, current text and files, history of versions and links."""
    try:
        act = selectors.act_get(pk)
    except Act.DoesNotExist as exc:
        raise Http404(_("No such act in the registry.")) from exc
    versions = list(act.versions.all())
    adopted_as = act.adopted_as if act.adopted_as and act.adopted_as.is_public else None
    context = {
        "act": act,
        "current_version": versions[0] if versions else None,
        "versions": versions,
        "adopted_as": adopted_as,
        "show_reason": act.status in STATUSES_WITH_REASON and bool(act.status_reason),
        "was_updated": bool(
            act.updated_at_public and act.published_at and act.updated_at_public > act.published_at
        ),
        "links": [
            (label, related)
            for label, related in (
                (_("Drafts of this act"), list(act.drafts.all())),
                (_("Amends"), list(act.amends.all())),
                (_("Amended by"), list(act.amended_by.all())),
                (_("Cancels"), list(act.cancels.all())),
                (_("Cancelled by"), list(act.cancelled_by.all())),
            )
            if related
        ],
        "extra_sections": extensions.act_page_sections(act),
    }
    return render(request, "acts/act_detail.html", context)


def attachment_disposition(name: str) -> str:
    """``Content-Disposition`` for a download named ``name``: an ASCII (transliterated)
    ``filename`` for old clients and the exact UTF-8 name as ``filename*`` (RFC 5987/6266)."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name).strip() or "file"
    fallback = transliterate(name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ ()\[\]-]", "_", fallback).strip() or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_safe
def act_file(request, pk: int, file_id: int):
    """A file of a public act, served through Django as a download with a content type taken
    from the verified format (never sniffed), so a hostile file is not rendered by the browser."""
    try:
        stored = selectors.act_file_get(act_id=pk, file_id=file_id)
    except ActFile.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    return file_download(stored)


def file_download(stored: ActFile) -> FileResponse:
    """An act's file as a download: the content type from its verified format (never
    sniffed), the original name, and a sandbox so a hostile file is not rendered."""
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("No such file.")) from exc
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(stored.file_format.lower(), FALLBACK_CONTENT_TYPE),
    )
    response["Content-Disposition"] = attachment_disposition(stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class KindFeed(Feed):
    """Atom feed of the latest published acts of one kind: ``/acts/feed/<kind code>/``."""

    feed_type = Atom1Feed

    def get_object(self, request, code: str):
        return get_object_or_404(ActKind, code=code)

    def title(self, kind: ActKind) -> str:
        return _("%(kind)s: registry of legal acts") % {"kind": kind.name_plural}

    def subtitle(self, kind: ActKind) -> str:
        return _("The latest %(count)s published acts of this kind.") % {
            "count": selectors.FEED_SIZE
        }

    def link(self, kind: ActKind) -> str:
        return reverse("acts:list") + "?" + f"kind={quote(kind.code)}"

    def items(self, kind: ActKind) -> list[Act]:
        return selectors.kind_feed_acts(kind)

    def item_title(self, act: Act) -> str:
        return f"{act}: {act.title}"

    def item_description(self, act: Act) -> str:
        return act.title

    def item_pubdate(self, act: Act):
        return act.published_at

    def item_updateddate(self, act: Act):
        return act.updated_at_public or act.published_at

    def item_categories(self, act: Act) -> list[str]:
        return [str(act.get_status_display())]


act_feed = KindFeed()


class _Echo:
    """A file-like object whose ``write`` returns what it is given (for ``csv.writer``)."""

    def write(self, value: str) -> str:
        return value


def _safe_cell(value: str) -> str:
    """A text cell spreadsheets will not run as a formula."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _isoformat(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _export_records(request, filters: selectors.ActFilters) -> Iterator[dict[str, object]]:
    """Rows of the export as dicts keyed by ``EXPORT_FIELDS``. Labels are resolved now, in
    the visitor's language, before the response is streamed."""
    kinds = {kind.pk: kind.name for kind in selectors.kind_list()}
    bodies = {value: str(label) for value, label in IssuingBody.choices}
    statuses = {value: str(label) for value, label in ActStatus.choices}
    url = DetailUrls(request)
    rows = selectors.act_export_rows(filters)

    def records():
        for pk, kind_id, number, date, title, body, status, published, updated in rows.iterator(
            chunk_size=2000
        ):
            yield {
                "id": pk,
                "kind": kinds.get(kind_id, ""),
                "number": number,
                "date": date.isoformat(),
                "title": title,
                "issuingBody": bodies.get(body, body),
                "status": statuses.get(status, status),
                "publishedAt": _isoformat(published),
                "updatedAt": _isoformat(updated),
                "url": url(pk),
            }

    return records()


def _csv_stream(records: Iterable[dict[str, object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_FIELDS)  # the BOM makes Excel read UTF-8
    chunk = []
    for record in records:
        record["title"] = _safe_cell(record["title"])
        record["number"] = _safe_cell(record["number"])
        chunk.append(writer.writerow([record[field] for field in EXPORT_FIELDS]))
        if len(chunk) >= EXPORT_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _json_stream(records: Iterable[dict[str, object]]) -> Iterator[str]:
    yield "["
    separator = "\n"
    chunk = []
    for record in records:
        chunk.append(separator + json.dumps(record, ensure_ascii=False))
        separator = ",\n"
        if len(chunk) >= EXPORT_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "\n]\n"


@require_safe
def act_export(request):
    """The filtered list (all its pages) as CSV, or JSON with ``?format=json``, streamed."""
    form = _filter_form(request)
    records = _export_records(request, form.filters())
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    if request.GET.get("format") == "json":
        response = StreamingHttpResponse(
            _json_stream(records), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="acts-{stamp}.json"'
    else:
        response = StreamingHttpResponse(
            _csv_stream(records), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="acts-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
