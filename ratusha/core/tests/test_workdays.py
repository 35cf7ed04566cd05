"""The legal working-day calendar (Labour Code arts. 67 and 73, Law 2136-IX art. 6)."""

import datetime as dt

import pytest
from holidays.countries.ukraine import UkraineStaticHolidays

from ratusha.core import workdays
from ratusha.core.choices import DayKind
from ratusha.core.models import CalendarException
from ratusha.core.workdays import WorkCalendar

D = dt.date
KYIV = workdays.LOCAL_TZ


@pytest.fixture(autouse=True)
def _fresh_cache():
    workdays.reset_cache()
    yield
    workdays.reset_cache()


@pytest.fixture
def martial_law_ended_2023(settings):
    """Martial law in force from 24.02.2022 to 31.12.2022 only (the first free day 01.01.2023)."""
    settings.MARTIAL_LAW_START = D(2022, 2, 24)
    settings.MARTIAL_LAW_END = D(2023, 1, 1)
    workdays.reset_cache()


# Dated cases, martial law still in force (the default settings) --------------------------------

DATED_CASES = [
    # 2021: holidays, their moves off weekends (art. 67) and the Cabinet's transfers both ways.
    (D(2021, 1, 1), False, "New Year"),
    (D(2021, 1, 4), True, "ordinary Monday"),
    (D(2021, 1, 7), False, "Christmas (Julian)"),
    (D(2021, 1, 8), False, "transferred day off"),
    (D(2021, 1, 16), True, "Saturday worked for 08.01"),
    (D(2021, 1, 17), False, "Sunday"),
    (D(2021, 3, 8), False, "Women's Day"),
    (D(2021, 5, 3), False, "Labour Day 01.05 (Saturday) moved"),
    (D(2021, 5, 4), False, "Easter 02.05 (Sunday) moved"),
    (D(2021, 5, 10), False, "Victory Day 09.05 (Sunday) moved"),
    (D(2021, 8, 23), False, "transferred day off"),
    (D(2021, 8, 24), False, "Independence Day"),
    (D(2021, 8, 28), True, "Saturday worked for 23.08"),
    (D(2021, 10, 14), False, "Defenders' Day"),
    (D(2021, 10, 15), False, "transferred day off"),
    (D(2021, 10, 22), True, "ordinary Friday"),
    (D(2021, 10, 23), True, "Saturday worked for 15.10"),
    (D(2021, 10, 24), False, "Sunday"),
    (D(2021, 12, 27), False, "Christmas 25.12 (Saturday) moved"),
    (D(2021, 12, 28), True, "ordinary Tuesday"),
    # 2022: holidays apply until 23.02.2022, martial law from 24.02.2022.
    (D(2022, 1, 1), False, "New Year on a Saturday"),
    (D(2022, 1, 3), False, "New Year moved to Monday"),
    (D(2022, 1, 4), True, "ordinary Tuesday"),
    (D(2022, 1, 7), False, "Christmas (Julian) before martial law"),
    (D(2022, 2, 23), True, "last day before martial law"),
    (D(2022, 2, 24), True, "first day of martial law"),
    (D(2022, 3, 7), True, "transferred day off cancelled (the package keeps it off)"),
    (D(2022, 3, 8), True, "Women's Day under martial law (the package keeps it off)"),
    (D(2022, 3, 12), False, "Saturday no longer worked in exchange for 07.03"),
    (D(2022, 4, 25), True, "Easter 24.04 not moved under martial law"),
    (D(2022, 8, 24), True, "Independence Day under martial law"),
    (D(2022, 12, 26), True, "Christmas 25.12 not moved under martial law"),
    # 2023-2025: every holiday is an ordinary working day while martial law lasts.
    (D(2023, 1, 2), True, "New Year 01.01 (Sunday) not moved"),
    (D(2023, 3, 8), True, "Women's Day"),
    (D(2023, 10, 2), True, "Defenders' Day 01.10 (Sunday) not moved"),
    (D(2024, 1, 1), True, "New Year"),
    (D(2024, 5, 6), True, "Easter 05.05 not moved"),
    (D(2024, 7, 15), True, "Statehood Day"),
    (D(2024, 12, 25), True, "Christmas"),
    (D(2025, 1, 1), True, "New Year"),
    (D(2025, 4, 21), True, "Easter 20.04 not moved"),
    (D(2025, 8, 25), True, "Independence Day 24.08 (Sunday) not moved"),
    (D(2025, 10, 1), True, "Defenders' Day"),
    (D(2025, 12, 25), True, "Christmas"),
    (D(2025, 12, 27), False, "Saturday"),
    (D(2025, 12, 28), False, "Sunday"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "working", "why"), DATED_CASES, ids=str)
def test_working_days_with_martial_law_in_force(day, working, why):
    # Given the default settings (martial law since 24.02.2022, no end) and no local exceptions
    # When we ask whether the day is a working day
    # Then the answer follows the Labour Code, the transfers and Law 2136-IX art. 6
    assert workdays.is_working_day(day) is working, why


AFTER_MARTIAL_LAW_CASES = [
    # Martial law still covers 2022 ...
    (D(2022, 3, 8), True, "Women's Day 2022 still under martial law"),
    (D(2022, 12, 26), True, "Christmas 2022 move still under martial law"),
    # ... and from 01.01.2023 holidays are off again, with their moves off weekends.
    (D(2023, 1, 2), False, "New Year 01.01 (Sunday) moved"),
    (D(2023, 1, 9), False, "Christmas 07.01 (Saturday, Julian, until 2023) moved"),
    (D(2023, 3, 8), False, "Women's Day"),
    (D(2023, 7, 28), False, "Statehood Day on its pre-2024 date"),
    (D(2023, 10, 2), False, "Defenders' Day 01.10 (Sunday, from 2023) moved"),
    (D(2023, 10, 16), True, "14.10 is no longer Defenders' Day"),
    (D(2024, 1, 1), False, "New Year"),
    (D(2024, 1, 8), True, "07.01.2024 (Sunday) is no longer a holiday: nothing moves"),
    (D(2024, 5, 6), False, "Easter 05.05 (Sunday) moved"),
    (D(2024, 5, 8), False, "Remembrance and Victory Day (from 2024)"),
    (D(2024, 5, 9), True, "09.05 is no longer a holiday"),
    (D(2024, 6, 24), False, "Trinity 23.06 (Sunday) moved"),
    (D(2024, 7, 15), False, "Statehood Day (from 2024)"),
    (D(2024, 7, 29), True, "28.07 is no longer Statehood Day"),
    (D(2024, 8, 26), False, "Independence Day 24.08 (Saturday) moved"),
    (D(2024, 10, 1), False, "Defenders' Day"),
    (D(2024, 12, 25), False, "Christmas (25.12 only)"),
    (D(2025, 1, 7), True, "Julian Christmas is gone"),
    (D(2025, 8, 25), False, "Independence Day 24.08 (Sunday) moved"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "working", "why"), AFTER_MARTIAL_LAW_CASES, ids=str)
def test_holidays_are_off_again_after_martial_law(martial_law_ended_2023, day, working, why):
    # Given martial law ended on 31.12.2022 (MARTIAL_LAW_END = 01.01.2023)
    # When we ask whether the day is a working day
    # Then post-2023 holidays (the 2023-2024 reform included) are days off again
    assert workdays.is_working_day(day) is working, why


@pytest.mark.django_db
def test_martial_law_end_is_the_first_day_without_it(settings):
    # Given martial law ends with 25.08.2024 still under it (first free day 26.08.2024)
    settings.MARTIAL_LAW_END = D(2024, 8, 26)
    workdays.reset_cache()
    # When we look at Monday 26.08.2024, the art. 67 move of Independence Day (Sat 24.08)
    # Then it is a working day: the holiday itself fell under martial law, so nothing moves
    assert workdays.is_working_day(D(2024, 8, 26)) is True
    # Given the first free day is 24.08.2024 itself
    settings.MARTIAL_LAW_END = D(2024, 8, 24)
    workdays.reset_cache()
    # Then the holiday moves to Monday as usual
    assert workdays.is_working_day(D(2024, 8, 26)) is False


def test_martial_law_start_is_a_setting():
    # Given a calendar whose martial law started on 15.03.2022 (the package's own date)
    calendar = WorkCalendar(D(2022, 3, 15), None)
    # Then the 07.03 / 12.03.2022 transfer and 08.03.2022 apply, as in the package
    assert calendar.is_working_day(D(2022, 3, 7)) is False
    assert calendar.is_working_day(D(2022, 3, 8)) is False
    assert calendar.is_working_day(D(2022, 3, 12)) is True
    # And without martial law at all, 2024 holidays are off
    assert WorkCalendar(None, None).is_working_day(D(2024, 12, 25)) is False
    assert calendar.is_martial_law(D(2022, 3, 15)) is True
    assert calendar.is_martial_law(D(2022, 3, 14)) is False


# Counting working days ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 3), 1, D(2025, 1, 6)),  # Friday + 1 -> Monday
        (D(2025, 1, 4), 1, D(2025, 1, 6)),  # from a Saturday: Monday counts as the 1st
        (D(2025, 1, 3), 5, D(2025, 1, 10)),
        (D(2025, 1, 3), 0, D(2025, 1, 3)),
        (D(2025, 1, 6), -1, D(2025, 1, 3)),  # a negative n counts backwards
        (D(2021, 1, 15), 1, D(2021, 1, 16)),  # onto the worked Saturday
        (D(2021, 1, 6), 1, D(2021, 1, 11)),  # over 07.01, 08.01 and the weekend
        (D(2021, 8, 20), 1, D(2021, 8, 25)),  # over 23.08 (transfer) and 24.08
        (D(2021, 10, 13), 2, D(2021, 10, 19)),  # over 14.10 and 15.10 (transfer)
        (D(2021, 12, 31), 1, D(2022, 1, 4)),  # over New Year 2022 moved to 03.01
        (D(2022, 3, 4), 2, D(2022, 3, 8)),  # 07.03 and 08.03.2022 count (martial law)
        (D(2024, 12, 24), 1, D(2024, 12, 25)),  # Christmas 2024 under martial law
    ],
)
def test_add_working_days(start, n, expected):
    # Given a start date; when n working days are added; then the n-th working day after it
    assert workdays.add_working_days(start, n) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 6), 1, D(2025, 1, 3)),  # Monday - 1 -> Friday
        (D(2025, 1, 5), 1, D(2025, 1, 3)),  # from a Sunday
        (D(2025, 1, 3), 0, D(2025, 1, 3)),
        (D(2025, 1, 3), -1, D(2025, 1, 6)),  # a negative n counts forwards
        (D(2021, 1, 18), 1, D(2021, 1, 16)),  # back onto the worked Saturday
        (D(2021, 1, 11), 1, D(2021, 1, 6)),  # back over the weekend, 08.01 and 07.01
        (D(2021, 10, 25), 1, D(2021, 10, 23)),
        (D(2021, 10, 18), 1, D(2021, 10, 13)),
        (D(2022, 3, 14), 1, D(2022, 3, 11)),  # 12.03.2022 is not worked under martial law
    ],
)
def test_subtract_working_days(start, n, expected):
    # Given a date; when n working days are subtracted; then the n-th working day before it
    assert workdays.subtract_working_days(start, n) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2021, 1, 1), D(2021, 1, 31), 19),  # January 2021: 21 weekdays - 07, 08 + 16 = 19
        (D(2021, 1, 31), D(2021, 1, 1), -19),  # reversed: minus the count
        (D(2021, 1, 15), D(2021, 1, 15), 0),
        (D(2021, 1, 15), D(2021, 1, 16), 1),  # the end counts (the worked Saturday)
        (D(2021, 1, 16), D(2021, 1, 17), 0),  # the start does not
        (D(2021, 8, 20), D(2021, 8, 31), 6),  # 25-28 (28 worked), 30, 31
        (D(2022, 2, 28), D(2022, 3, 13), 9),  # 01-04.03 and 07-11.03.2022; 12.03 not worked
        (D(2024, 12, 31), D(2025, 12, 31), 261),  # 2025 has 261 weekdays, none off
    ],
)
def test_working_days_between(a, b, expected):
    # Given two dates; when we count working days in (a, b]; then the count, signed
    assert workdays.working_days_between(a, b) == expected


@pytest.mark.parametrize("start", [D(2021, 1, 1), D(2021, 8, 20), D(2022, 2, 20), D(2024, 12, 20)])
@pytest.mark.parametrize("n", [0, 1, 5, 10, 20])
def test_between_inverts_add(start, n):
    # Given a pure calendar; when we add n working days and count them back; then we get n
    calendar = WorkCalendar(D(2022, 2, 24), None)
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n
    # subtracting counts [result, start), so the start only counts if it is a working day
    back = calendar.subtract_working_days(start, n)
    expected_back = n - 1 + calendar.is_working_day(start) if n else 0
    assert calendar.working_days_between(back, start) == expected_back


@pytest.mark.django_db
def test_datetimes_count_by_their_kyiv_date():
    # Given 22:30 UTC on Friday 15.01.2021, which is 00:30 on Saturday 16.01.2021 in Kyiv
    late_friday_utc = dt.datetime(2021, 1, 15, 22, 30, tzinfo=dt.UTC)
    # Then it is the worked Saturday, a working day
    assert workdays.to_local_date(late_friday_utc) == D(2021, 1, 16)
    assert workdays.is_working_day(late_friday_utc) is True
    # And a naive datetime is taken as Kyiv wall time
    assert workdays.is_working_day(dt.datetime(2021, 1, 17, 10, 0)) is False
    # And adding to a Friday evening counts from that Friday: the worked Saturday is next
    friday_evening = dt.datetime(2021, 1, 15, 23, 0, tzinfo=KYIV)
    assert workdays.add_working_days(friday_evening, 1) == D(2021, 1, 16)


def test_bad_arguments():
    calendar = WorkCalendar()
    with pytest.raises(TypeError):
        calendar.is_working_day("2025-01-01")
    with pytest.raises(TypeError):
        calendar.add_working_days(D(2025, 1, 1), 1.5)
    with pytest.raises(TypeError):
        calendar.add_working_days(D(2025, 1, 1), True)


def test_a_calendar_without_working_days_gives_up():
    # Given a whole year and more declared off locally
    days_off = {D(2025, 1, 1) + dt.timedelta(days=i) for i in range(400)}
    calendar = WorkCalendar(D(2022, 2, 24), None, days_off=days_off)
    # Then adding working days fails instead of looping forever
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2024, 12, 31), 1)


# The package's transfer data ------------------------------------------------------------------


def test_package_transfer_shape_is_understood():
    # Given the pinned holidays package
    # When we read every transfer of days off it knows
    transfers, unrecognised = workdays.package_transfers()
    # Then every entry has a shape we understand (this fails if the package changes it) ...
    assert unrecognised == ()
    assert isinstance(UkraineStaticHolidays.special_public_holidays, dict)
    pairs = set(transfers)
    # ... and the 2021 and 2022 transfers are there: (day off, worked Saturday)
    assert {
        (D(2021, 1, 8), D(2021, 1, 16)),
        (D(2021, 8, 23), D(2021, 8, 28)),
        (D(2021, 10, 15), D(2021, 10, 23)),
        (D(2022, 3, 7), D(2022, 3, 12)),  # a single tuple, not a tuple of tuples
        (D(1997, 1, 2), D(1996, 12, 28)),  # a worked day in the previous year
        (D(1995, 1, 9), None),  # a special day off with no worked day
    } <= pairs
    # And the package's own public holidays hold the days off but not the worked Saturdays
    assert {D(2021, 1, 8), D(2021, 8, 23), D(2021, 10, 15)} <= {
        day for day, _deps in workdays.statutory_days_off(2021)
    }
    assert WorkCalendar(None, None).is_working_day(D(1996, 12, 28)) is True


def test_unknown_transfer_shapes_are_skipped(monkeypatch):
    # Given package data with entries of a shape we do not know
    monkeypatch.setattr(
        UkraineStaticHolidays,
        "special_public_holidays",
        {2021: ((1, 8, 1, 16), ("1", 2, 3, 4), (2, 30, 3, 6)), 2020: (1, 6, 1, 11), "x": ()},
    )
    workdays.reset_cache()
    # When we read them
    transfers, unrecognised = workdays.package_transfers()
    # Then the good ones are used and the others are reported, not fatal
    assert set(transfers) == {(D(2021, 1, 8), D(2021, 1, 16)), (D(2020, 1, 6), D(2020, 1, 11))}
    assert len(unrecognised) == 2  # ("1", 2, 3, 4) and (2, 30, 3, 6); "x" has no entries


# Local exceptions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_local_day_off_shifts_a_deadline():
    # Given five working days after Monday 10.03.2025 end on Monday 17.03.2025
    assert workdays.add_working_days(D(2025, 3, 10), 5) == D(2025, 3, 17)
    # When the head declares Friday 14.03.2025 a day off
    CalendarException.objects.create(date=D(2025, 3, 14), kind=DayKind.DAY_OFF, reason="Test")
    workdays.reset_cache()
    # Then the fifth working day is Tuesday 18.03.2025
    assert workdays.is_working_day(D(2025, 3, 14)) is False
    assert workdays.add_working_days(D(2025, 3, 10), 5) == D(2025, 3, 18)


@pytest.mark.django_db
def test_local_working_day_overrides_weekends_and_holidays(settings):
    # Given martial law ended and a local working day on Saturday and on Christmas 2024
    settings.MARTIAL_LAW_END = D(2023, 1, 1)
    CalendarException.objects.create(date=D(2025, 3, 15), kind=DayKind.WORKING_DAY, reason="A")
    CalendarException.objects.create(date=D(2024, 12, 25), kind=DayKind.WORKING_DAY, reason="B")
    CalendarException.objects.create(date=D(2021, 1, 16), kind=DayKind.DAY_OFF, reason="C")
    workdays.reset_cache()
    # Then the exceptions win over the weekend, the holiday and the Cabinet's transfer
    assert workdays.is_working_day(D(2025, 3, 15)) is True
    assert workdays.is_working_day(D(2024, 12, 25)) is True
    assert workdays.is_working_day(D(2021, 1, 16)) is False


@pytest.mark.django_db
def test_exceptions_are_cached_for_a_minute(monkeypatch):
    # Given a clock we control and a calendar already loaded
    now = [1000.0]
    monkeypatch.setattr(workdays, "_clock", lambda: now[0])
    assert workdays.is_working_day(D(2025, 3, 14)) is True
    # When another process declares a day off (no reset_cache in this process)
    CalendarException.objects.create(date=D(2025, 3, 14), kind=DayKind.DAY_OFF, reason="Test")
    # Then within the minute this process still uses its memo
    now[0] += 59
    assert workdays.is_working_day(D(2025, 3, 14)) is True
    # And after a minute it reads the database again
    now[0] += 2
    assert workdays.is_working_day(D(2025, 3, 14)) is False


@pytest.mark.django_db
def test_one_query_per_minute(django_assert_num_queries):
    # Given an empty memo
    # When deadlines of 20 working days are computed again and again
    with django_assert_num_queries(1):
        for _ in range(10):
            workdays.add_working_days(D(2025, 1, 1), 20)
            workdays.working_days_between(D(2025, 1, 1), D(2025, 12, 31))
    # Then the database was read once; reset_cache() forces the next read
    workdays.reset_cache()
    with django_assert_num_queries(1):
        workdays.is_working_day(D(2025, 1, 1))


def test_default_calendar_reads_settings(settings, monkeypatch):
    # Given settings with martial law over and no exceptions (no DB needed for this test)
    settings.MARTIAL_LAW_START = D(2022, 2, 24)
    settings.MARTIAL_LAW_END = D(2023, 1, 1)
    monkeypatch.setattr(workdays, "_load_exceptions", lambda: (frozenset(), frozenset()))
    # When the default calendar is built
    calendar = workdays.default_calendar()
    # Then it carries those settings
    assert (calendar.martial_law_start, calendar.martial_law_end) == (
        D(2022, 2, 24),
        D(2023, 1, 1),
    )
    assert calendar.is_working_day(D(2024, 12, 25)) is False
