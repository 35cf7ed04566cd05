"""Statutory deadlines for publication, information requests and citizens' appeals.

Working days come from :mod:`ratusha.core.workdays` (Labour Code, arts. 67 and 73; martial law,
Law 2136-IX, art. 6; local exceptions). A term counted in days starts on the day after the event
(Civil Code, art. 253). Dates are Kyiv dates: an aware datetime is converted to Europe/Kyiv
first, a naive one is taken as Kyiv wall time.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from . import workdays
from .workdays import LOCAL_TZ, to_local_date

#: Art. 15(3) of the access law (Law 890-IX of 15.09.2020 changed 20 to 10 working days).
DRAFT_PUBLICATION_WORKING_DAYS = 10
#: Art. 15(2) of the access law.
ACT_PUBLICATION_WORKING_DAYS = 5
#: Art. 20(1), 20(2) and 20(4) of the access law.
REQUEST_WORKING_DAYS = 5
REQUEST_URGENT_HOURS = 48
REQUEST_EXTENDED_WORKING_DAYS = 20

APPEAL_STANDARD = "standard"
APPEAL_SIMPLE = "simple"
APPEAL_EXTENDED = "extended"
#: Law «Про звернення громадян», art. 20: kind -> term.
APPEAL_TERMS = {
    APPEAL_STANDARD: relativedelta(months=1),
    APPEAL_SIMPLE: relativedelta(days=15),
    APPEAL_EXTENDED: relativedelta(days=45),
}


def _aware(value: dt.date) -> dt.datetime:
    """An aware datetime: a date means 00:00 Kyiv that day, a naive datetime Kyiv wall time."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, LOCAL_TZ)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min, tzinfo=LOCAL_TZ)
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59.999999 Kyiv time on ``day`` (aware)."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=LOCAL_TZ)


def draft_publication_deadline(consideration_date: dt.date) -> dt.date:
    """Last day to publish a draft council decision on the website.

    Law «Про доступ до публічної інформації», art. 15(3), as amended by Law 890-IX of
    15.09.2020: drafts of local self-government decisions are published no later than
    10 working days before the date of their consideration with a view to adoption. The
    consideration date itself does not count; the result is the 10th working day before it.
    """
    return workdays.subtract_working_days(
        to_local_date(consideration_date), DRAFT_PUBLICATION_WORKING_DAYS
    )


def act_publication_deadline(adopted_date: dt.date) -> dt.date:
    """Last day to publish an adopted act (council or executive committee decision, head's
    order).

    Law «Про доступ до публічної інформації», art. 15(2): acts are published immediately, no
    later than 5 working days after the day of their adoption or signing (counting starts the
    next day, Civil Code, art. 253).
    """
    return workdays.add_working_days(to_local_date(adopted_date), ACT_PUBLICATION_WORKING_DAYS)


def vote_publication_deadline(vote_date: dt.date) -> dt.date:
    """Last day to publish the results of a roll-call vote: the day of the vote itself.

    Law «Про місцеве самоврядування в Україні», art. 59 (the roll-call paragraphs added in
    2015; domain.md cites part 3): roll-call results are part of the session minutes, are
    published on the council's website on the day of the vote and are kept indefinitely. The
    day does not move for weekends or holidays: a session held on a day off publishes that day.
    """
    return to_local_date(vote_date)


def information_request_due(
    received_at: dt.date, *, urgent: bool = False, extended: bool = False
) -> dt.datetime:
    """When the answer to an information request is due (aware, Europe/Kyiv).

    Law «Про доступ до публічної інформації», art. 20:

    * part 1 - no later than 5 working days from the day of receipt: counting starts the next
      day (Civil Code, art. 253) and the answer is due by the end of the 5th working day
      (23:59:59.999999 Kyiv time);
    * part 2 (``urgent``) - a request about information needed to protect a person's life or
      freedom, the state of the environment, the quality of food and household goods, accidents,
      catastrophes, dangerous natural phenomena and other emergencies is answered within
      48 hours: 48 elapsed hours from ``received_at`` (from 00:00 Kyiv time if a date is
      given), weekends and holidays included;
    * part 4 (``extended``) - for a large volume of information or a search among a large
      amount of data the term may be extended to 20 working days from receipt, with a justified
      written notice to the requester within the first 5 working days.

    ``urgent`` and ``extended`` together are a ``ValueError``: an urgent request cannot be
    extended.
    """
    if urgent and extended:
        raise ValueError("an urgent (48-hour) request cannot also be extended to 20 working days")
    if urgent:
        start = _aware(received_at)
        # Elapsed hours: do the arithmetic in UTC so a DST change does not shift the result.
        due = start.astimezone(dt.UTC) + dt.timedelta(hours=REQUEST_URGENT_HOURS)
        return due.astimezone(LOCAL_TZ)
    days = REQUEST_EXTENDED_WORKING_DAYS if extended else REQUEST_WORKING_DAYS
    return end_of_day(workdays.add_working_days(to_local_date(received_at), days))


def appeal_due(received_on: dt.date, *, kind: str) -> dt.date:
    """Last day to decide a citizen's appeal.

    Law «Про звернення громадян», art. 20: ``"standard"`` - no more than one month from the day
    of receipt (31.01 gives 28.02 or 29.02, as in Civil Code, art. 254(3)); ``"simple"`` -
    appeals needing no further study, no later than 15 days; ``"extended"`` - the overall term,
    with a notice of extension, no more than 45 days. Calendar days, not working days, and the
    result is deliberately not moved off a weekend or holiday (the stricter reading; Civil Code,
    art. 254(5) would allow the next working day). Other kinds are a ``ValueError``.
    """
    try:
        term = APPEAL_TERMS[kind]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown appeal kind {kind!r}; expected one of {', '.join(APPEAL_TERMS)}"
        ) from None
    return to_local_date(received_on) + term


def is_late(deadline: dt.date, done_at: dt.date) -> bool:
    """Whether ``done_at`` is after ``deadline``.

    With a date deadline only the (Kyiv) day of ``done_at`` matters, so anything done on the
    deadline day is on time. With a datetime deadline a datetime ``done_at`` is compared to the
    instant (naive values are Kyiv wall time), and a date ``done_at`` counts as on time on the
    deadline's day.
    """
    if isinstance(deadline, dt.datetime) and isinstance(done_at, dt.datetime):
        return _aware(done_at) > _aware(deadline)
    return to_local_date(done_at) > to_local_date(deadline)
