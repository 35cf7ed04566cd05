"""An event page as an iCalendar file (``?format=ics``), the way the council's calendar is
served (``ratusha.council.views``)."""

from __future__ import annotations

import icalendar
from django.http import HttpResponse
from django.utils import timezone


def event_calendar(request, event) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Ratusha//Events//UK")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", "Europe/Kyiv")
    stamp = event.last_published_at or timezone.now()
    item = icalendar.Event()
    item.add("uid", f"portal-event-{event.pk}@{request.get_host().split(':')[0]}")
    item.add("dtstamp", stamp)
    item.add("last-modified", stamp)
    item.add("summary", event.title)
    item.add("dtstart", timezone.localtime(event.start))
    if event.end:
        item.add("dtend", timezone.localtime(event.end))
    if event.place:
        item.add("location", event.place)
    if event.intro:
        item.add("description", event.intro)
    item.add("url", event.get_full_url(request))
    item.add("status", "CONFIRMED")
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar


def event_ics_response(request, event) -> HttpResponse:
    response = HttpResponse(
        event_calendar(request, event).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="event-{event.pk}.ics"'
    return response
