"""Reads of feedback messages: only in the admin, only for the staff the role rules allow."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ratusha.core.permissions import user_roles, user_unit_id
from ratusha.core.roles import ALL_UNITS_ROLES, Role

from .choices import FeedbackStatus
from .models import FeedbackMessage


def messages_visible_to(user) -> QuerySet[FeedbackMessage]:
    """Administrators, department staff and approvers: every message; a unit editor: the
    messages addressed to their unit; anybody else: none."""
    roles = user_roles(user)
    queryset = FeedbackMessage.objects.select_related("unit", "handled_by")
    if roles & ALL_UNITS_ROLES:
        return queryset
    own = user_unit_id(user)
    if Role.UNIT_EDITOR in roles and own is not None:
        return queryset.filter(unit_id=own)
    return queryset.none()


def period_stats(start: dt.date, end: dt.date) -> dict[str, int]:
    """Messages received in ``[start, end]`` and how many of them are answered."""
    received = FeedbackMessage.objects.filter(
        received_at__date__gte=start, received_at__date__lte=end
    )
    return {
        "feedback_received": received.count(),
        "feedback_answered": received.filter(status=FeedbackStatus.ANSWERED).count(),
    }
