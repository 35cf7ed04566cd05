"""E-mail to staff about publication deadlines at risk."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusha.core.permissions import user_roles, user_unit_id
from ratusha.core.roles import ALL_UNITS_ROLES, ROLE_GROUPS, Role

from . import selectors


def digest_recipients():
    """Active users with an e-mail who answer for publication: all-units roles and unit
    editors (the latter get their own unit's part)."""
    names = [ROLE_GROUPS[r] for r in (*ALL_UNITS_ROLES, Role.UNIT_EDITOR)]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def send_deadline_digest(*, today: dt.date | None = None) -> int:
    """Send each recipient what is overdue, due today and due within 3 working days.
    Returns how many messages were sent; nobody gets an empty digest."""
    today = today or timezone.localdate()
    full_board = selectors.deadline_board(today=today)
    messages = []
    for user in digest_recipients():
        if user_roles(user) & ALL_UNITS_ROLES:
            board = full_board
        else:
            unit_id = user_unit_id(user)
            if unit_id is None:
                continue
            board = selectors.deadline_board(today=today, unit_id=unit_id)
        if not (board.overdue or board.due_today or board.due_soon):
            continue
        with translation.override("uk"):
            body = render_to_string(
                "acts/email/deadline_digest.txt", {"board": board, "today": today, "user": user}
            )
            subject = _("Publication deadlines on %(day)s") % {"day": today.strftime("%d.%m.%Y")}
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
