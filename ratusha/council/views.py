"""The council's public pages: the current convocation, deputies and bodies, the calendar of
meetings (with iCalendar feeds), a meeting's agenda and votes, a roll-call vote, and the
projector page for the session hall (staff and deputies only).

Reads go through ``selectors``; only published votes are ever shown to the public.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ratusha.core.permissions import user_roles
from ratusha.core.site_urls import UrlPattern

from . import selectors
from .choices import MeetingKind, MeetingStatus, OrganizationKind, VoteChoice, VoteResult
from .models import Convocation, Deputy, Meeting, Organization, Person, VoteEvent
from .selectors.voters import meeting_voters
from .services import COUNCIL_ROLES
from .views_opendata import convocation_downloads, meeting_downloads

KYIV = ZoneInfo("Europe/Kyiv")
INDEX_UPCOMING = 5
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _page_range(paginator: Paginator, page) -> list:
    if paginator.num_pages <= 1:
        return []
    return list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _phone_href(phone: str) -> str:
    """A ``tel:`` address of a phone number as people write it: «(04599) 2-17-40» →
    ``tel:0459921740``; empty when there are no digits."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"


def _int_param(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


# The council and its people ---------------------------------------------------------------


@require_safe
def index(request):
    """The council today: the convocation in office, upcoming meetings, latest votes."""
    convocation = selectors.current_convocation()
    context = {
        "convocation": convocation,
        "overview": selectors.convocation_overview(convocation) if convocation else None,
        "upcoming": selectors.upcoming_meetings(limit=INDEX_UPCOMING),
        "latest_votes": selectors.latest_votes(),
        "convocations": selectors.convocation_list(),
        "downloads": convocation_downloads(convocation.number) if convocation else [],
    }
    return render(request, "council/index.html", context)


@require_safe
def convocation(request, number: int):
    try:
        found = selectors.convocation_get(number)
    except Convocation.DoesNotExist as exc:
        raise Http404(_("No such convocation.")) from exc
    context = {
        "convocation": found,
        "overview": selectors.convocation_overview(found),
        "convocations": selectors.convocation_list(),
        "downloads": convocation_downloads(found.number),
    }
    return render(request, "council/convocation.html", context)


def _deputy_vote_rows(rows: list[dict]) -> list[dict]:
    """The deputy's votes with their text ready: a page of fifty rows rendered from plain
    strings costs a fraction of what template lookups, filters and ``{% url %}`` would."""
    vote_url, meeting_url = UrlPattern("council:vote"), UrlPattern("council:meeting")
    choices = {value: capfirst(str(label)) for value, label in VoteChoice.choices}
    results = {value: capfirst(str(label)) for value, label in VoteResult.choices}
    tz = timezone.get_current_timezone()
    out = []
    for row in rows:
        voted = row["voted_at"].astimezone(tz)
        out.append(
            {
                "number": row["number"],
                "title": row["title"],
                "url": vote_url(row["event_id"]),
                "meeting_title": row["meeting_title"],
                "meeting_url": meeting_url(row["meeting_id"]),
                "voted_iso": voted.isoformat(timespec="seconds"),
                "voted": voted.strftime("%d.%m.%Y %H:%M"),
                "choice": row["choice"],
                "choice_label": choices.get(row["choice"], row["choice"]),
                "result_label": results.get(row["result"], row["result"]),
            }
        )
    return out


@require_safe
def deputy(request, pk: int):
    """A deputy's page: the person, the mandate, memberships, attendance and votes (paged,
    filtered by choice). A fixed number of queries however many votes there are."""
    try:
        found = selectors.deputy_get(pk)
    except Deputy.DoesNotExist as exc:
        raise Http404(_("No such deputy.")) from exc
    choice = request.GET.get("choice", "")
    if choice not in VoteChoice.values:
        choice = ""
    attendance = selectors.deputy_attendance(found)
    paginator = Paginator(
        selectors.deputy_votes(found, attendance, choice), selectors.DEPUTY_VOTES_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    memberships = [
        {"membership": m, "current": selectors.is_current(m, today)}
        for m in selectors.deputy_memberships(found)
    ]
    context = {
        "deputy": found,
        "person": found.person,
        "phone_href": _phone_href(found.person.phone),
        "in_office": found.start_date <= today
        and (found.end_date is None or found.end_date >= today),
        "memberships": memberships,
        "faction": next(
            (
                row["membership"].organization
                for row in memberships
                if row["current"]
                and row["membership"].organization.kind == OrganizationKind.FACTION
            ),
            None,
        ),
        "other_mandates": selectors.deputy_other_mandates(found),
        "attendance": attendance,
        "choice": choice,
        "choices": VoteChoice.choices,
        "page_obj": page,
        "page_range": _page_range(paginator, page),
        "votes": _deputy_vote_rows(page.object_list),
    }
    return render(request, "council/deputy.html", context)


@require_safe
def person(request, pk: int):
    """A person's permanent address: the page of their latest mandate, or, for someone who
    never was a deputy (a member of the executive committee), their own page."""
    try:
        found, mandate = selectors.person_latest_mandate(pk)
    except Person.DoesNotExist as exc:
        raise Http404(_("No such person.")) from exc
    if mandate is not None:
        return redirect("council:deputy", pk=mandate.pk)
    today = timezone.localdate()
    context = {
        "person": found,
        "phone_href": _phone_href(found.phone),
        "memberships": [
            {"membership": m, "current": selectors.is_current(m, today)}
            for m in selectors.person_memberships(found)
        ],
    }
    return render(request, "council/person.html", context)


@require_safe
def organization(request, pk: int):
    try:
        body = selectors.organization_page(pk)
    except Organization.DoesNotExist as exc:
        raise Http404(_("No such body.")) from exc
    context = {
        "body": body,
        "organization": body.organization,
        "convocation": body.organization.convocation,
    }
    return render(request, "council/organization.html", context)


# Meetings -----------------------------------------------------------------------------------


def _meeting_filters(request) -> selectors.MeetingFilters:
    kind = request.GET.get("kind", "")
    if kind not in MeetingKind.values:
        kind = ""
    year = _int_param(request.GET.get("year"), FIRST_YEAR, LAST_YEAR)
    month = _int_param(request.GET.get("month"), 1, 12) if year else None
    return selectors.MeetingFilters(kind=kind, year=year, month=month)


def _filter_controls(filters: selectors.MeetingFilters) -> list[dict]:
    """The calendar's filter form: selects with their options (value, label, selected)."""
    years = selectors.meeting_years()
    if filters.year and filters.year not in years:
        years = sorted([*years, filters.year], reverse=True)
    return [
        {
            "name": "kind",
            "label": _("Kind of meeting"),
            "options": [("", _("All kinds"), not filters.kind)]
            + [(value, label, value == filters.kind) for value, label in MeetingKind.choices],
        },
        {
            "name": "year",
            "label": _("Year"),
            "options": [("", _("All years"), not filters.year)]
            + [(str(year), str(year), year == filters.year) for year in years],
        },
        {
            "name": "month",
            "label": _("Month"),
            "help": _("Together with a year."),
            "options": [("", _("All months"), not filters.month)]
            + [(str(n), name, n == filters.month) for n, name in MONTHS.items()],
        },
    ]


@require_safe
def meetings(request):
    """The calendar: upcoming meetings, soonest first, then past ones, latest first, paged;
    filtered by kind and year (and month)."""
    filters = _meeting_filters(request)
    paginator = Paginator(selectors.past_meetings(filters), selectors.MEETINGS_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "controls": _filter_controls(filters),
        "upcoming": selectors.upcoming_meetings(filters) if page.number == 1 else [],
        "page_obj": page,
        "page_range": _page_range(paginator, page),
        "past": page.object_list,
        "filtered": bool(filters.kind or filters.year),
    }
    return render(request, "council/meetings.html", context)


@require_safe
def meeting(request, pk: int):
    try:
        found = selectors.meeting_page(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404(_("No such meeting.")) from exc
    context = {
        "page": found,
        "meeting": found.meeting,
        # The files answer only once a vote is published.
        "downloads": meeting_downloads(found.meeting.pk) if found.votes else [],
    }
    return render(request, "council/meeting.html", context)


@require_safe
def vote(request, pk: int):
    """A published roll-call vote with the names by choice; unpublished ones are 404."""
    try:
        found = selectors.vote_page(pk)
    except VoteEvent.DoesNotExist as exc:
        raise Http404(_("No such vote.")) from exc
    return render(
        request,
        "council/vote.html",
        {"event": found.event, "meeting": found.event.meeting, "groups": found.groups},
    )


# iCalendar --------------------------------------------------------------------------------


def _ical_event(request, *, uid: str, summary: str, date, start_time, place, status, url, stamp):
    event = icalendar.Event()
    event.add("uid", f"{uid}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("summary", summary)
    if start_time is not None:
        event.add("dtstart", dt.datetime.combine(date, start_time, tzinfo=KYIV))
    else:
        event.add("dtstart", date)
    if place:
        event.add("location", place)
    event.add("url", request.build_absolute_uri(url))
    event.add("status", "CANCELLED" if status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def _ical_events(request, meeting: Meeting) -> list:
    """A meeting's VEVENT, and one more for each further sitting of a session."""
    url = meeting.get_absolute_url()
    stamp = meeting.updated_at
    events = [
        _ical_event(
            request,
            uid=f"council-meeting-{meeting.pk}",
            summary=str(meeting),
            date=meeting.date,
            start_time=meeting.start_time,
            place=meeting.place,
            status=meeting.status,
            url=url,
            stamp=stamp,
        )
    ]
    for sitting in meeting.sittings.all():
        if sitting.number == 1:
            continue  # the first sitting is the meeting's own event
        events.append(
            _ical_event(
                request,
                uid=f"council-sitting-{sitting.pk}",
                summary=_("%(meeting)s, sitting %(number)s")
                % {"meeting": meeting, "number": sitting.number},
                date=sitting.date,
                start_time=sitting.start_time,
                place=sitting.place or meeting.place,
                status=MeetingStatus.CANCELLED
                if meeting.status == MeetingStatus.CANCELLED
                else sitting.status,
                url=url,
                stamp=stamp,
            )
        )
    return events


def _ical_response(request, meetings_: list[Meeting], *, name: str, filename: str):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Ratusha//Council calendar//UK")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Kyiv")
    for found in meetings_:
        for event in _ical_events(request, found):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def calendar_ics(request):
    """Every meeting from 90 days ago on, for a calendar application to subscribe to."""
    return _ical_response(
        request,
        selectors.calendar_meetings(),
        name=_("Council meetings"),
        filename="council.ics",
    )


@require_safe
def meeting_ics(request, pk: int):
    try:
        found = selectors.meeting_for_calendar(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404(_("No such meeting.")) from exc
    return _ical_response(request, [found], name=str(found), filename=f"meeting-{found.pk}.ics")


# The projector ----------------------------------------------------------------------------


def _may_use_screen(user, found: Meeting) -> bool:
    """Staff, the convocation's deputies and the meeting's voters (a member of the executive
    committee without a mandate, at its meeting)."""
    if set(user_roles(user)) & set(COUNCIL_ROLES):
        return True
    if selectors.is_deputy_of(user, found.convocation_id):
        return True
    return any(voter.person.user_id == user.pk for voter in meeting_voters(found))


@never_cache
@require_safe
def screen(request, pk: int):
    """The session hall's projector: the current item, the draft's text and the last vote on
    it with names by choice. Staff, the convocation's deputies and the meeting's voters."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    try:
        found = selectors.meeting_get(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404(_("No such meeting.")) from exc
    if not _may_use_screen(request.user, found):
        raise PermissionDenied(_("The projector page is for the council's staff and deputies."))
    screen_page = selectors.screen_page(found, request.GET.get("item"))
    base = reverse("council:screen", kwargs={"pk": found.pk})

    def item_url(number: int) -> str:
        return f"{base}?item={number}"

    index, total = screen_page.index, screen_page.total
    context = {
        "screen": screen_page,
        "meeting": found,
        "state": selectors.screen_state(screen_page),
        "state_url": reverse("council:screen_state", kwargs={"pk": found.pk})
        + (f"?item={index}" if index else ""),
        "poll_seconds": int(getattr(settings, "COUNCIL_SCREEN_POLL_SECONDS", 5)),
        "previous_url": item_url(index - 1) if index > 1 else "",
        "next_url": item_url(index + 1) if index and index < total else "",
        "first_url": item_url(1) if total else "",
        "last_url": item_url(total) if total else "",
        "refresh_url": item_url(index) if index else base,
    }
    return render(request, "council/screen.html", context)


@never_cache
@require_safe
def screen_state(request, pk: int):
    """What the projector shows now, as a token its page polls (``screen.js``): when a vote is
    recorded or published, or the item changes, the token changes and the page reloads."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    try:
        found = selectors.meeting_get(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404(_("No such meeting.")) from exc
    if not _may_use_screen(request.user, found):
        raise PermissionDenied
    state = selectors.screen_state(selectors.screen_page(found, request.GET.get("item")))
    return JsonResponse({"state": state})
