"""Open data of roll-call votes: motions, votings and deputies as CSV and JSON, for a whole
convocation or one meeting, and the public page listing the downloads (``/council/opendata/``).

The files are built by ``council.opendata`` row by row and streamed; only published votes
are open data: a meeting without any answers 404, as does an unknown convocation or table.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ratusha.core.site_urls import UrlPattern

from . import opendata
from .models import Convocation, Meeting

FILE = r"(?P<table>motions|votings|deputies)\.(?P<fmt>csv|json)"

TABLE_LABELS = {
    "motions": gettext_lazy("Motions"),
    "votings": gettext_lazy("Deputies' votes"),
    "deputies": gettext_lazy("Deputies"),
}
TABLE_DESCRIPTIONS = {
    "motions": gettext_lazy(
        "One row per vote: its identifier, date and time, the council, convocation and "
        "session, the vote's number and motion, the draft's number, the totals (for, against, "
        "abstained, did not vote, absent), the result and the address of the draft's text."
    ),
    "votings": gettext_lazy(
        "One row per deputy per vote: the vote's identifier, the deputy's identifier and name, "
        "the motion and the deputy's choice (За, Проти, Утримався, Не голосував, Відсутній)."
    ),
    "deputies": gettext_lazy(
        "The deputies: identifier in the voting system, full name, convocation, faction, "
        "electoral district and the dates of the mandate."
    ),
}


def _response(table: str, fmt: str, scope: opendata.Scope, request) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        opendata.stream(table, fmt, scope, base_url=request.build_absolute_uri("/")),
        content_type=opendata.CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{opendata.filename(table, fmt, scope)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def convocation_file(request, number: str, table: str, fmt: str):
    """``motions``, ``votings`` or ``deputies`` of a whole convocation as CSV or JSON."""
    convocation = Convocation.objects.filter(number=int(number)).first()
    if convocation is None:
        raise Http404(_("No such convocation."))
    return _response(table, fmt, opendata.Scope(convocation=convocation), request)


@require_safe
def meeting_file(request, pk: str, table: str, fmt: str):
    """The same tables for one meeting (a council session) with published votes."""
    meeting = (
        Meeting.objects.filter(pk=int(pk), vote_events__in=opendata.published_events())
        .select_related("convocation")
        .first()
    )
    if meeting is None:
        raise Http404(_("No published votes of such a meeting."))
    scope = opendata.Scope(convocation=meeting.convocation, meeting=meeting)
    return _response(table, fmt, scope, request)


class _Downloads:
    """The six links of a scope (each table as CSV and as JSON), with every pattern reversed
    once for the page rather than once per meeting."""

    def __init__(self, name: str, key: str):
        self.urls = {
            (table, fmt): UrlPattern(name, key, table=table, fmt=fmt)
            for table in opendata.TABLES
            for fmt in opendata.FORMATS
        }

    def __call__(self, value: int) -> list[dict[str, object]]:
        return [
            {
                "table": table,
                "label": TABLE_LABELS[table],
                "files": [
                    {
                        "format": fmt.upper(),
                        "url": self.urls[(table, fmt)](value),
                    }
                    for fmt in opendata.FORMATS
                ],
            }
            for table in opendata.TABLES
        ]


def meeting_downloads(pk: int) -> list[dict[str, object]]:
    """The six files of one meeting's published votes (for its page)."""
    return _Downloads("council:opendata_meeting", "pk")(pk)


def convocation_downloads(number: int) -> list[dict[str, object]]:
    """The six files of a whole convocation (for the council's and the convocation's page)."""
    return _Downloads("council:opendata_convocation", "number")(number)


@require_safe
def opendata_page(request):
    """Every convocation and every meeting with published votes, with their downloads."""
    published = Q(meetings__vote_events__published_at__isnull=False)
    convocations = list(
        Convocation.objects.annotate(published=Count("meetings__vote_events", filter=published))
        .order_by("-number")
        .values("pk", "number", "start_date", "end_date", "published")
    )
    meetings = (
        Meeting.objects.filter(vote_events__published_at__isnull=False)
        .annotate(published=Count("vote_events"))
        .order_by("-date", "-number")
        .values("pk", "convocation_id", "number", "title", "date", "published")
    )
    by_convocation: dict[int, list[dict]] = {row["pk"]: [] for row in convocations}
    meeting_downloads = _Downloads("council:opendata_meeting", "pk")
    convocation_downloads = _Downloads("council:opendata_convocation", "number")
    for meeting in meetings:
        meeting["downloads"] = meeting_downloads(meeting["pk"])
        by_convocation.setdefault(meeting["convocation_id"], []).append(meeting)
    for convocation in convocations:
        convocation["roman"] = Convocation(number=convocation["number"]).roman
        convocation["downloads"] = convocation_downloads(convocation["number"])
        convocation["meetings"] = by_convocation.get(convocation["pk"], [])
    tables = [
        {
            "name": table,
            "label": TABLE_LABELS[table],
            "description": TABLE_DESCRIPTIONS[table],
            "fields": opendata.FIELDS[table],
        }
        for table in opendata.TABLES
    ]
    return render(
        request, "council/opendata.html", {"convocations": convocations, "tables": tables}
    )


urlpatterns = [
    re_path(r"^opendata/$", opendata_page, name="opendata"),
    re_path(
        r"^opendata/convocations/(?P<number>[0-9]{1,9})/" + FILE + "$",
        convocation_file,
        name="opendata_convocation",
    ),
    re_path(
        r"^opendata/meetings/(?P<pk>[0-9]{1,18})/" + FILE + "$",
        meeting_file,
        name="opendata_meeting",
    ),
]
