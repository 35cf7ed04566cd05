"""E-mail to staff about datasets whose update is overdue or due soon."""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusha.acts.notifications import digest_recipients
from ratusha.core.permissions import user_roles, user_unit_id
from ratusha.core.roles import ALL_UNITS_ROLES

from . import selectors


def send_due_digest(*, today: dt.date | None = None) -> int:
    """Send each recipient the datasets overdue and due within two weeks (a unit editor only
    their unit's). Returns how many messages were sent; nobody gets an empty digest."""
    today = today or timezone.localdate()
    full_board = selectors.due_board(today=today)
    messages = []
    for user in digest_recipients():
        if user_roles(user) & ALL_UNITS_ROLES:
            board = full_board
        else:
            unit_id = user_unit_id(user)
            if unit_id is None:
                continue
            board = selectors.due_board(today=today, unit_id=unit_id)
        if not (board.overdue or board.due_soon):
            continue
        with translation.override("uk"):
            body = render_to_string(
                "opendata/email/due_digest.txt", {"board": board, "today": today, "user": user}
            )
            subject = _("Open data updates due on %(day)s") % {"day": today.strftime("%d.%m.%Y")}
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
