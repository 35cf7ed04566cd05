"""The council's part of the department's activity report."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from ..choices import ItemResult, MeetingKind, VoteChoice
from ..models import (
    AgendaItem,
    Meeting,
    Sitting,
    Vote,
    VoteEvent,
)

# Activity report ----------------------------------------------------------------------------


def period_stats(start: dt.date, end: dt.date) -> dict:
    """What the council contributes to the activity report for [start, end].

    - meetings held: status «held» and dated in the period, by kind (``meetings_held``), with
      the council sessions also as ``sessions_held``; ``sittings_held`` the plenary sittings
      held in the period;
    - ``agenda_items``: items of the meetings held in the period, ``items_considered`` those
      with an outcome (not pending, not removed), ``decisions_adopted`` those adopted;
    - ``votes_published``: roll-call votes published in the period, of them
      ``votes_published_on_time`` (on the day of the vote) and ``votes_published_late``;
    - ``attendance``: per deputy over the votes published in the period that they were
      called to as a deputy (at sessions and in their commissions; members of the executive
      committee without a mandate are not deputies), ``{deputy id: {"name", "convocation",
      "votes", "present", "absent"}}`` (present: any choice but «absent»), ordered by name.
    """
    from ..choices import MeetingStatus

    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)

    held = Meeting.objects.filter(status=MeetingStatus.HELD, date__gte=start, date__lte=end)
    by_kind = {
        row["kind"]: row["n"] for row in held.values("kind").annotate(n=Count("id")).order_by()
    }
    meetings_held = {kind: by_kind.get(kind, 0) for kind in MeetingKind.values}
    sittings_held = Sitting.objects.filter(
        status=MeetingStatus.HELD, date__gte=start, date__lte=end
    ).count()
    considered = ~Q(result__in=[ItemResult.PENDING, ItemResult.REMOVED])
    items = AgendaItem.objects.filter(meeting__in=held).aggregate(
        total=Count("id"),
        considered=Count("id", filter=considered),
        adopted=Count("id", filter=Q(result=ItemResult.ADOPTED)),
    )
    published = VoteEvent.objects.filter(published_at__gte=start_at, published_at__lt=end_at)
    votes = published.aggregate(total=Count("id"), late=Count("id", filter=Q(published_late=True)))
    attendance_rows = (
        Vote.objects.filter(event__in=published, deputy__isnull=False)
        .values("deputy_id", "deputy__person__full_name", "deputy__convocation__number")
        .annotate(
            votes=Count("id"),
            absent=Count("id", filter=Q(choice=VoteChoice.ABSENT)),
        )
        .order_by("deputy__person__full_name", "deputy_id")
    )
    attendance = {
        row["deputy_id"]: {
            "name": row["deputy__person__full_name"],
            "convocation": row["deputy__convocation__number"],
            "votes": row["votes"],
            "present": row["votes"] - row["absent"],
            "absent": row["absent"],
        }
        for row in attendance_rows
    }
    return {
        "meetings_held": meetings_held,
        "sessions_held": meetings_held[MeetingKind.SESSION],
        "sittings_held": sittings_held,
        "agenda_items": items["total"],
        "items_considered": items["considered"],
        "decisions_adopted": items["adopted"],
        "votes_published": votes["total"],
        "votes_published_on_time": votes["total"] - votes["late"],
        "votes_published_late": votes["late"],
        "attendance": attendance,
    }
