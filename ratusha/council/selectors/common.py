"""What the council's reads share: page sizes, the order of roles, records in force on a
day, the published votes (the only public ones), choices grouped for display."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..choices import MembershipRole, VoteChoice
from ..models import (
    VoteEvent,
)

DEPUTY_VOTES_PAGE = 50
MEETINGS_PAGE = 20
UPCOMING_LIMIT = 50
BODY_MEETINGS_LIMIT = 100
LATEST_VOTES = 10
CALENDAR_DAYS_BACK = 90
# Chairs first, then deputy chairs, secretaries and members.
ROLE_ORDER = {
    MembershipRole.CHAIR: 0,
    MembershipRole.DEPUTY_CHAIR: 1,
    MembershipRole.SECRETARY: 2,
    MembershipRole.MEMBER: 3,
}


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _in_force(on: dt.date, prefix: str = "") -> Q:
    """Records (mandates, memberships) in force on ``on``: started (or no start) and not
    ended (or no end)."""
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": on})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def is_current(record, on: dt.date) -> bool:
    return record.end_date is None or record.end_date >= on


def public_vote_events() -> QuerySet[VoteEvent]:
    """Roll-call votes the public sees: the published ones."""
    return VoteEvent.objects.filter(published_at__isnull=False)


def _choice_groups(rows: list[dict]) -> list[dict]:
    """``rows`` (each with a ``choice``) grouped by choice in the order of ``VoteChoice``,
    empty choices included: ``[{"choice", "label", "rows"}]``."""
    by_choice: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_choice[row["choice"]].append(row)
    return [
        {"choice": value, "label": label, "rows": by_choice.get(value, [])}
        for value, label in VoteChoice.choices
    ]
