"""The legal working-day calendar of a Ukrainian local authority.

A day is a working day when (in this order of precedence):

1. a local :class:`~ratusha.core.models.CalendarException` says so (``kind="work"``) or says
   it is not (``kind="off"``) - the head's own decisions override everything else;
2. outside martial law, it is a Saturday worked in exchange for a transferred day off (the
   Cabinet's recommendations on transfers, e.g. 16.01.2021 for 08.01.2021);
3. outside martial law, it is not a public holiday or non-working day (Labour Code, art. 73),
   including a holiday that fell on a weekend and moved to the next working day (Labour Code,
   art. 67) and a transferred day off;
4. it is Monday to Friday (Labour Code, art. 67: two days off a week in the five-day week,
   Sunday being the general day off; Saturday is the second one in the council's schedule).

Martial law (Law 2136-IX «Про організацію трудових відносин в умовах воєнного стану», art. 6):
from ``settings.MARTIAL_LAW_START`` (default 24.02.2022) to the day before
``settings.MARTIAL_LAW_END`` (the first day without martial law; ``None`` while it lasts) public
holidays, non-working days and transfers of days off do not apply: holidays and transferred
days off are ordinary working days, and Saturdays that were to be worked in exchange are ordinary
days off. Where a rule links two dates, both must be outside martial law for it to apply: a
holiday that fell under martial law is not moved to a Monday after its end (art. 6 suspends
Labour Code art. 67(3) and art. 73), and a transfer applies only if both its day off and its
worked Saturday are outside martial law.

Holiday data comes from the ``holidays`` package (``country_holidays("UA", language="uk")``),
which models the Labour Code art. 73 list, its 2023-2024 reform (Christmas only on 25.12 from
2024, Statehood Day on 15.07 from 2024, Defenders' Day on 01.10 from 2023, Remembrance and
Victory Day on 08.05 from 2024), art. 67 moves and the transferred days off. Two differences from
the package, both deliberate:

* the package starts its own martial-law handling with the 2022 "workday" category and still
  counts 07.03.2022 (transferred day off) and 08.03.2022 (Women's Day) as days off. Ratusha
  applies martial law from 24.02.2022 (``MARTIAL_LAW_START``), so 07.03.2022 and 08.03.2022
  are working days here, and 12.03.2022 (the Saturday to be worked for 07.03) is a day off;
* the package puts holidays falling under its martial-law rule into its ``WORKDAY`` category
  (and gives them no art. 67 moves). Ratusha reads both categories and computes the art. 67
  moves for them itself, so that an installation whose ``MARTIAL_LAW_END`` has passed gets the
  full post-reform calendar back.

The package's ``public`` holidays contain the transferred days off but not the Saturdays worked
in exchange; those are read from ``UkraineStaticHolidays.special_public_holidays`` (see
:func:`package_transfers`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import time
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone
from holidays.constants import PUBLIC, WORKDAY

from .choices import DayKind

logger = logging.getLogger(__name__)

#: The legal calendar is Ukrainian whatever time zone a request has activated.
LOCAL_TZ = ZoneInfo("Europe/Kyiv")
DEFAULT_MARTIAL_LAW_START = dt.date(2022, 2, 24)
#: Seconds a loaded set of local calendar exceptions is trusted before the DB is read again.
EXCEPTIONS_TTL = 60.0
#: Longest run of consecutive non-working days accepted before giving up (guards against a
#: calendar with no working days at all, e.g. a mistaken range of local exceptions).
_MAX_DAYS_OFF_IN_A_ROW = 366

_ONE_DAY = dt.timedelta(days=1)


def to_local_date(value: dt.date) -> dt.date:
    """Return the calendar date of ``value`` in Kyiv.

    A ``datetime`` is a subclass of ``date``; an aware one is first converted to Europe/Kyiv
    (``timezone.localtime``), a naive one is taken as Kyiv wall time. Anything else is a
    ``TypeError``.
    """
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, LOCAL_TZ)
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def _check_count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"the number of working days must be an int, got {type(n).__name__}")
    return n


# Package data ---------------------------------------------------------------------------------


def _special_public_holidays() -> dict:
    """``UkraineStaticHolidays.special_public_holidays`` of the ``holidays`` package, or {}."""
    try:
        from holidays.countries.ukraine import UkraineStaticHolidays

        data = UkraineStaticHolidays.special_public_holidays
    except (ImportError, AttributeError):
        logger.warning("holidays: UkraineStaticHolidays.special_public_holidays is missing")
        return {}
    if not isinstance(data, dict):
        logger.warning("holidays: special_public_holidays is a %s, not a dict", type(data))
        return {}
    return data


def _entries(value) -> list:
    """The entries of one year: a single tuple ``(m, d, ...)`` or a tuple of such tuples."""
    if isinstance(value, tuple) and value and isinstance(value[0], int):
        return [value]
    if isinstance(value, tuple | list):
        return list(value)
    return [value]


def _parse_entry(year: int, entry) -> tuple[dt.date, dt.date | None] | None:
    """``(day_off, worked_day)`` from one entry, or ``None`` if its shape is not understood.

    Known shapes: ``(month, day, from_month, from_day)`` and
    ``(month, day, from_month, from_day, from_year)`` - (month, day) of ``year`` is off and
    the "from" day is worked; ``(month, day, label)`` - a special day off with no worked day.
    """
    if not isinstance(entry, tuple) or not all(
        isinstance(part, int) and not isinstance(part, bool) for part in entry[:2]
    ):
        return None
    try:
        if len(entry) == 3 and isinstance(entry[2], str):
            return dt.date(year, entry[0], entry[1]), None
        if len(entry) in (4, 5) and all(
            isinstance(part, int) and not isinstance(part, bool) for part in entry
        ):
            from_year = entry[4] if len(entry) == 5 else year
            return dt.date(year, entry[0], entry[1]), dt.date(from_year, entry[2], entry[3])
    except ValueError:
        return None
    return None


@functools.lru_cache(maxsize=1)
def package_transfers() -> tuple[tuple[tuple[dt.date, dt.date | None], ...], tuple]:
    """All transfers of days off known to the ``holidays`` package (Labour Code, art. 67).

    Returns ``(transfers, unrecognised)``: ``transfers`` is a tuple of ``(day_off,
    worked_day_or_None)`` pairs, ``unrecognised`` the raw entries whose shape this module does
    not understand (they are skipped and logged; a test fails if there are any).
    """
    transfers: list[tuple[dt.date, dt.date | None]] = []
    unrecognised: list = []
    for year, value in _special_public_holidays().items():
        for entry in _entries(value):
            parsed = _parse_entry(year, entry) if isinstance(year, int) else None
            if parsed is None:
                unrecognised.append((year, entry))
            else:
                transfers.append(parsed)
    if unrecognised:
        logger.warning("holidays: unrecognised transfer entries skipped: %r", unrecognised)
    return tuple(transfers), tuple(unrecognised)


@functools.lru_cache(maxsize=1)
def _worked_days_by_year() -> dict[int, tuple[tuple[dt.date, dt.date], ...]]:
    """Saturdays worked in exchange for a transferred day off, by year: ``(worked, day_off)``."""
    by_year: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for day_off, worked in package_transfers()[0]:
        if worked is not None:
            by_year.setdefault(worked.year, []).append((worked, day_off))
    return {year: tuple(pairs) for year, pairs in by_year.items()}


def _next_free_weekday(day: dt.date, taken: set[dt.date]) -> dt.date:
    day += _ONE_DAY
    while day.weekday() >= 5 or day in taken:
        day += _ONE_DAY
    return day


def _weekend_moves(holiday_dates: Iterable[dt.date], taken: set[dt.date]) -> dict[dt.date, dt.date]:
    """Labour Code, art. 67: each holiday on Saturday or Sunday moves to the next weekday that is
    not already a day off, in date order (the package's ``SAT_SUN_TO_NEXT_WORKDAY`` rule).
    Returns ``{moved_day: holiday}`` and adds the moved days to ``taken``."""
    moves = {}
    for day in sorted(holiday_dates):
        if day.weekday() >= 5:
            target = _next_free_weekday(day, taken)
            taken.add(target)
            moves[target] = day
    return moves


def _package_days(year: int, category: str, *, observed: bool) -> set[dt.date]:
    found = holidays.country_holidays(
        "UA", years=year, language="uk", categories=(category,), observed=observed
    )
    return {day for day in found if day.year == year}


@functools.lru_cache(maxsize=64)
def statutory_days_off(year: int) -> tuple[tuple[dt.date, frozenset[dt.date]], ...]:
    """Public holidays and non-working days (Labour Code, art. 73), their moves off weekends
    (art. 67) and the Cabinet's transferred days off in ``year``, ignoring martial law.

    Each day off comes with the dates its status depends on: itself; for an art. 67 move also
    the holiday it replaces; for a transferred day off also the Saturday worked in exchange.
    Martial law cancels the day off if any of them falls under it (Law 2136-IX, art. 6
    suspends art. 67(3) and art. 73 of the Labour Code). The package's ``PUBLIC`` category is
    taken as is; holidays it filed under ``WORKDAY`` because of martial law are added back with
    their art. 67 moves, which the package does not compute for that category.
    """
    public = _package_days(year, PUBLIC, observed=True)
    public_raw = _package_days(year, PUBLIC, observed=False)
    workday_raw = _package_days(year, WORKDAY, observed=False)
    depends: dict[dt.date, set[dt.date]] = {day: {day} for day in public | workday_raw}
    # The package's own moves: find the holiday behind each by replaying the same rule.
    replayed = _weekend_moves(public_raw, set(public_raw))
    for moved in public - public_raw:
        if moved in replayed:
            depends[moved].add(replayed[moved])
    for moved, holiday in _weekend_moves(workday_raw, set(depends)).items():
        depends.setdefault(moved, {moved}).add(holiday)
    for day_off, worked in package_transfers()[0]:
        if worked is not None and day_off in depends:
            depends[day_off].add(worked)
    return tuple(sorted((day, frozenset(deps)) for day, deps in depends.items()))


def _in_martial_law(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return start is not None and start <= day and (end is None or day < end)


@functools.lru_cache(maxsize=256)
def year_calendar(
    year: int, martial_law_start: dt.date | None, martial_law_end: dt.date | None
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """``(days_off, worked_days)`` of ``year`` with martial law applied (Law 2136-IX, art. 6).

    ``days_off``: holidays, their art. 67 moves and transferred days off (Labour Code, arts. 67
    and 73) none of whose dates (see :func:`statutory_days_off`) fall under martial law;
    ``worked_days``: Saturdays worked in exchange for a transferred day off, when neither the
    Saturday nor that day off falls under martial law.
    """

    def outside(*days: dt.date) -> bool:
        return not any(_in_martial_law(d, martial_law_start, martial_law_end) for d in days)

    days_off = frozenset(day for day, deps in statutory_days_off(year) if outside(*deps))
    worked = frozenset(
        day for day, day_off in _worked_days_by_year().get(year, ()) if outside(day, day_off)
    )
    return days_off, worked


# The calendar ---------------------------------------------------------------------------------


class WorkCalendar:
    """Working days under the Labour Code (arts. 67 and 73), the Cabinet's transfers of days off,
    martial law (Law 2136-IX, art. 6) and local exceptions, with no database access.

    ``days_off`` and ``working_days`` are the local exceptions (the head's decisions); they take
    precedence over everything else. If a date is in both, it is a working day.
    """

    def __init__(
        self,
        martial_law_start: dt.date | None = DEFAULT_MARTIAL_LAW_START,
        martial_law_end: dt.date | None = None,
        days_off: Iterable[dt.date] = (),
        working_days: Iterable[dt.date] = (),
    ) -> None:
        self.martial_law_start = martial_law_start
        self.martial_law_end = martial_law_end
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(martial_law_start={self.martial_law_start!r}, "
            f"martial_law_end={self.martial_law_end!r}, days_off={len(self.days_off)}, "
            f"working_days={len(self.working_days)})"
        )

    def is_martial_law(self, day: dt.date) -> bool:
        """Whether martial law (Law 2136-IX, art. 6) is in force on ``day``."""
        return _in_martial_law(to_local_date(day), self.martial_law_start, self.martial_law_end)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (Labour Code, arts. 67 and 73; Law 2136-IX, art. 6;
        local exceptions first)."""
        day = to_local_date(day)
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        days_off, worked = year_calendar(day.year, self.martial_law_start, self.martial_law_end)
        if day in worked:
            return True
        if day in days_off:
            return False
        return day.weekday() < 5

    def _step(self, day: dt.date, n: int, direction: int) -> dt.date:
        step = _ONE_DAY * direction
        off_in_a_row = 0
        while n > 0:
            day += step
            if self.is_working_day(day):
                n -= 1
                off_in_a_row = 0
            else:
                off_in_a_row += 1
                if off_in_a_row > _MAX_DAYS_OFF_IN_A_ROW:
                    raise ValueError(f"no working day within a year of {day:%d.%m.%Y}")
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (Labour Code, arts. 67 and 73; Law 2136-IX,
        art. 6).

        Counting starts on the next day (Civil Code, art. 253), so ``day`` itself never counts
        and need not be a working day; ``n == 0`` returns ``day``; a negative ``n`` counts
        backwards like :meth:`subtract_working_days`.
        """
        day = to_local_date(day)
        n = _check_count(n)
        return self._step(day, n, 1) if n >= 0 else self._step(day, -n, -1)

    def subtract_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day before ``day`` (Labour Code, arts. 67 and 73; Law 2136-IX,
        art. 6).

        ``day`` itself never counts; ``n == 0`` returns ``day``; a negative ``n`` counts forwards
        like :meth:`add_working_days`.
        """
        return self.add_working_days(day, -_check_count(n))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range (``start``, ``end``] (Labour Code, arts. 67 and
        73; Law 2136-IX, art. 6).

        ``start`` is excluded and ``end`` included, so that
        ``working_days_between(d, add_working_days(d, n)) == n``. Equal dates give 0; if
        ``end`` is before ``start`` the result is minus the count for (``end``, ``start``].
        """
        start, end = to_local_date(start), to_local_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            count += self.is_working_day(day)
        return count

    def days_off_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Non-working days in the closed range [``start``, ``end``], in date order (Labour Code,
        arts. 67 and 73; Law 2136-IX, art. 6)."""
        start, end = to_local_date(start), to_local_date(end)
        days = []
        day = start
        while day <= end:
            if not self.is_working_day(day):
                days.append(day)
            day += _ONE_DAY
        return days


# Local exceptions, memoised -------------------------------------------------------------------

_clock = time.monotonic  # tests replace it to simulate the passing of time
_lock = threading.Lock()
_generation = 0
_exceptions: tuple[float, frozenset[dt.date], frozenset[dt.date]] | None = None


def _load_exceptions() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    from .models import CalendarException

    days_off: set[dt.date] = set()
    working_days: set[dt.date] = set()
    for day, kind in CalendarException.objects.values_list("date", "kind"):
        if kind == DayKind.DAY_OFF:
            days_off.add(day)
        elif kind == DayKind.WORKING_DAY:
            working_days.add(day)
        else:
            logger.warning("calendar exception %s has an unknown kind %r; ignored", day, kind)
    return frozenset(days_off), frozenset(working_days)


def local_exceptions() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """``(days_off, working_days)`` declared locally, read from the DB at most once per
    :data:`EXCEPTIONS_TTL` seconds per process (or after :func:`reset_cache`)."""
    global _exceptions
    memo = _exceptions
    now = _clock()
    if memo is not None and now - memo[0] < EXCEPTIONS_TTL:
        return memo[1], memo[2]
    generation = _generation
    days_off, working_days = _load_exceptions()
    with _lock:
        # A reset_cache() during the query means the data may be stale: use it, don't keep it.
        if generation == _generation:
            _exceptions = (now, days_off, working_days)
    return days_off, working_days


def reset_cache() -> None:
    """Forget the memoised local exceptions and the per-year holiday data.

    The services that change :class:`~ratusha.core.models.CalendarException` call this after
    commit; other processes see the change within :data:`EXCEPTIONS_TTL` seconds.
    """
    global _exceptions, _generation
    with _lock:
        _exceptions = None
        _generation += 1
    year_calendar.cache_clear()
    statutory_days_off.cache_clear()
    _worked_days_by_year.cache_clear()
    package_transfers.cache_clear()


def martial_law_period() -> tuple[dt.date | None, dt.date | None]:
    """``(settings.MARTIAL_LAW_START, settings.MARTIAL_LAW_END)`` (Law 2136-IX, art. 6)."""
    start = getattr(settings, "MARTIAL_LAW_START", DEFAULT_MARTIAL_LAW_START)
    end = getattr(settings, "MARTIAL_LAW_END", None)
    return start, end


def default_calendar() -> WorkCalendar:
    """The installation's :class:`WorkCalendar`: martial law from settings, local exceptions from
    the DB (memoised, see :func:`local_exceptions`)."""
    start, end = martial_law_period()
    days_off, working_days = local_exceptions()
    return WorkCalendar(start, end, days_off, working_days)


# Module-level API -----------------------------------------------------------------------------


def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` is a working day: Monday to Friday less public holidays and non-working
    days (Labour Code, art. 73) with weekend holidays moved to the next working day (art. 67) and
    the Cabinet's transfers of days off, none of which apply under martial law (Law 2136-IX,
    art. 6); local exceptions override all of that. A datetime counts by its Kyiv date."""
    return default_calendar().is_working_day(d)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``d`` (Labour Code, arts. 67 and 73; Law 2136-IX, art. 6;
    counting starts the next day, Civil Code, art. 253). ``n == 0`` returns ``d``; a negative
    ``n`` counts backwards."""
    return default_calendar().add_working_days(d, n)


def subtract_working_days(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day before ``d`` (Labour Code, arts. 67 and 73; Law 2136-IX, art. 6).
    ``d`` itself never counts; ``n == 0`` returns ``d``; a negative ``n`` counts forwards."""
    return default_calendar().subtract_working_days(d, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in the half-open range (``a``, ``b``] (Labour Code, arts. 67 and 73; Law
    2136-IX, art. 6): 0 when ``a == b``, negative (minus the count for (``b``, ``a``]) when
    ``b < a``."""
    return default_calendar().working_days_between(a, b)
