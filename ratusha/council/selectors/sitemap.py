"""The council's public addresses for ``sitemap.xml`` (``council/sitemaps.py``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ..models import Convocation, Deputy, Meeting, Organization, Person
from .common import public_vote_events


def sitemap_record_urls() -> list[tuple[str, dt.datetime | None]]:
    """``(path, last change)`` of the council's public pages for the sitemap, in five queries:
    convocations, deputies, people who never held a mandate (their own page; a deputy's
    person address redirects), bodies and meetings. Roll-call votes are many and come apart
    (``sitemap_vote_rows``)."""
    rows: list[tuple[str, dt.datetime | None]] = []
    rows += [
        (Convocation(number=number).get_absolute_url(), None)
        for number in Convocation.objects.order_by("-number").values_list("number", flat=True)
    ]
    rows += [
        (Deputy(pk=pk).get_absolute_url(), changed)
        for pk, changed in Deputy.objects.order_by("id").values_list("id", "person__updated_at")
    ]
    rows += [
        (Person(pk=pk).get_absolute_url(), changed)
        for pk, changed in Person.objects.filter(mandates__isnull=True)
        .order_by("id")
        .values_list("id", "updated_at")
    ]
    rows += [
        (Organization(pk=pk).get_absolute_url(), None)
        for pk in Organization.objects.order_by("id").values_list("id", flat=True)
    ]
    rows += [
        (Meeting(pk=pk).get_absolute_url(), changed)
        for pk, changed in Meeting.objects.order_by("-date", "-id").values_list("id", "updated_at")
    ]
    return rows


def sitemap_vote_rows() -> QuerySet:
    """``(id, published)`` of every published roll-call vote in id order, for the sitemap."""
    return public_vote_events().order_by("id").values_list("id", "published_at")
