"""Statutory deadlines: publication (access law art. 15, local self-government law art. 59),
information requests (access law art. 20) and citizens' appeals (appeals law art. 20)."""

import datetime as dt

import pytest

from ratusha.core import deadlines, workdays
from ratusha.core.choices import DayKind
from ratusha.core.models import CalendarException

D = dt.date
KYIV = workdays.LOCAL_TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    workdays.reset_cache()
    yield
    workdays.reset_cache()


@pytest.fixture
def martial_law_ended_2023(settings):
    settings.MARTIAL_LAW_START = D(2022, 2, 24)
    settings.MARTIAL_LAW_END = D(2023, 1, 1)
    workdays.reset_cache()


def end_of(day):
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=KYIV)


# Draft decisions: 10 working days before consideration (art. 15(3)) -------------------------


@pytest.mark.parametrize(
    ("consideration", "expected"),
    [
        # 2021 transfers: back over 16.01 (worked) and 08.01, 07.01 (off)
        (D(2021, 1, 21), D(2021, 1, 6)),
        # before martial law: back over 07.01.2022 and 03.01.2022 (New Year moved)
        (D(2022, 1, 14), D(2021, 12, 29)),
        # the 2022 switch: 07.03 and 08.03.2022 are working days, 12.03 is not
        (D(2022, 3, 10), D(2022, 2, 24)),
        (D(2022, 3, 14), D(2022, 2, 28)),
        # 2024 under martial law: Christmas 25.12 counts as a working day
        (D(2024, 12, 27), D(2024, 12, 13)),
        # 2025: an ordinary run over two weekends
        (D(2025, 6, 20), D(2025, 6, 6)),
    ],
)
def test_draft_publication_deadline(consideration, expected):
    # Given the date a draft decision is to be considered
    # When the publication deadline is computed
    # Then it is the 10th working day before that date
    assert deadlines.draft_publication_deadline(consideration) == expected


def test_draft_publication_deadline_after_martial_law(martial_law_ended_2023):
    # Given martial law ended with 2022, Christmas 25.12.2024 is a day off again
    # When a draft is considered on Friday 27.12.2024
    # Then the deadline moves one working day earlier than under martial law
    assert deadlines.draft_publication_deadline(D(2024, 12, 27)) == D(2024, 12, 12)


# Adopted acts: 5 working days after adoption (art. 15(2)) -----------------------------------


@pytest.mark.parametrize(
    ("adopted", "expected"),
    [
        (D(2021, 1, 13), D(2021, 1, 19)),  # 16.01.2021 (Saturday) is worked and counts
        (D(2021, 8, 19), D(2021, 8, 28)),  # over 23.08 and 24.08; ends on the worked Saturday
        (D(2021, 10, 13), D(2021, 10, 22)),  # over 14.10 and 15.10
        (D(2022, 3, 4), D(2022, 3, 11)),  # 07.03 and 08.03.2022 are working days
        (D(2024, 12, 20), D(2024, 12, 27)),  # Christmas 2024 under martial law counts
        (D(2025, 8, 22), D(2025, 8, 29)),  # 25.08.2025 counts under martial law
    ],
)
def test_act_publication_deadline(adopted, expected):
    # Given the day an act was adopted or signed
    # When the publication deadline is computed
    # Then it is the 5th working day after it
    assert deadlines.act_publication_deadline(adopted) == expected


def test_act_publication_deadline_after_martial_law(martial_law_ended_2023):
    # Given martial law ended with 2022: 24.08.2025 (Sunday) moves to Monday 25.08.2025
    # When an act is adopted on Friday 22.08.2025
    # Then the 5th working day is Monday 01.09.2025
    assert deadlines.act_publication_deadline(D(2025, 8, 22)) == D(2025, 9, 1)


def test_act_publication_deadline_respects_a_local_day_off():
    # Given the head declared Friday 14.03.2025 a day off
    CalendarException.objects.create(date=D(2025, 3, 14), kind=DayKind.DAY_OFF, reason="Test")
    workdays.reset_cache()
    # When an act is signed on Monday 10.03.2025
    # Then it is due on Tuesday 18.03.2025 instead of Monday 17.03.2025
    assert deadlines.act_publication_deadline(D(2025, 3, 10)) == D(2025, 3, 18)


# Roll-call votes: the day of the vote (art. 59) ---------------------------------------------


def test_vote_publication_deadline_is_the_vote_day():
    # Given votes on a working day, on a Saturday, and late at night UTC
    # Then results are due the same (Kyiv) day
    assert deadlines.vote_publication_deadline(D(2024, 6, 28)) == D(2024, 6, 28)
    assert deadlines.vote_publication_deadline(D(2025, 3, 15)) == D(2025, 3, 15)
    late_utc = dt.datetime(2024, 6, 27, 22, 30, tzinfo=dt.UTC)  # 01:30 on 28.06 in Kyiv
    assert deadlines.vote_publication_deadline(late_utc) == D(2024, 6, 28)


# Information requests (art. 20) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected_day"),
    [
        (dt.datetime(2021, 1, 13, 10, 0, tzinfo=KYIV), D(2021, 1, 19)),  # 16.01.2021 counts
        (D(2021, 10, 13), D(2021, 10, 22)),  # over 14.10 and 15.10.2021
        # a naive datetime is Kyiv time: Friday 15.01.2021 -> 16 (worked), 18, 19, 20, 21
        (dt.datetime(2021, 1, 15, 16, 0), D(2021, 1, 21)),
        # 22:30 UTC on Friday is already Saturday 16.01.2021 in Kyiv: counting starts on 17.01
        (dt.datetime(2021, 1, 15, 22, 30, tzinfo=dt.UTC), D(2021, 1, 22)),
        (dt.datetime(2024, 3, 29, 17, 0, tzinfo=KYIV), D(2024, 4, 5)),
        (D(2025, 3, 1), D(2025, 3, 7)),  # received on a Saturday: Monday is the 1st day
    ],
)
def test_information_request_due_in_five_working_days(received, expected_day):
    # Given a request received at some moment
    # When its due time is computed
    # Then it is the end of the 5th working day after the day of receipt, Kyiv time
    due = deadlines.information_request_due(received)
    assert due == end_of(expected_day)
    assert due.tzinfo is not None
    assert due.utcoffset() == end_of(expected_day).utcoffset()


def test_information_request_due_extended_to_twenty_working_days():
    # Given a large request received on Monday 01.12.2025 (martial law: 25.12 is worked)
    # When the term is extended
    # Then it is due at the end of the 20th working day, Monday 29.12.2025
    due = deadlines.information_request_due(D(2025, 12, 1), extended=True)
    assert due == end_of(D(2025, 12, 29))


def test_information_request_due_extended_after_martial_law(martial_law_ended_2023):
    # Given martial law over, Christmas 25.12.2025 is off: one day later
    due = deadlines.information_request_due(D(2025, 12, 1), extended=True)
    assert due == end_of(D(2025, 12, 30))


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # 48 elapsed hours across the switch to summer time (31.03.2024): 11:00, not 10:00
        (
            dt.datetime(2024, 3, 30, 10, 0, tzinfo=KYIV),
            dt.datetime(2024, 4, 1, 11, 0, tzinfo=KYIV),
        ),
        # weekends count: from Friday 17:00 to Sunday 17:00
        (
            dt.datetime(2025, 5, 2, 17, 0, tzinfo=KYIV),
            dt.datetime(2025, 5, 4, 17, 0, tzinfo=KYIV),
        ),
        # a date means 00:00 Kyiv that day
        (D(2025, 5, 2), dt.datetime(2025, 5, 4, 0, 0, tzinfo=KYIV)),
        # an aware UTC time gives the same instant, shown in Kyiv time
        (
            dt.datetime(2025, 1, 10, 21, 30, tzinfo=dt.UTC),
            dt.datetime(2025, 1, 12, 23, 30, tzinfo=KYIV),
        ),
        # a naive datetime is Kyiv wall time
        (dt.datetime(2021, 1, 7, 9, 15), dt.datetime(2021, 1, 9, 9, 15, tzinfo=KYIV)),
    ],
)
def test_urgent_information_request_due_in_48_hours(received, expected):
    # Given an urgent request (life or freedom, environment, food, accidents, emergencies)
    # When its due time is computed
    # Then it is 48 hours after receipt, in Kyiv time
    due = deadlines.information_request_due(received, urgent=True)
    assert due == expected
    assert due.tzinfo == KYIV
    assert due.utcoffset() == expected.utcoffset()


def test_urgent_request_cannot_be_extended():
    with pytest.raises(ValueError):
        deadlines.information_request_due(D(2025, 1, 10), urgent=True, extended=True)


# Citizens' appeals (appeals law, art. 20) ---------------------------------------------------


@pytest.mark.parametrize(
    ("received", "kind", "expected"),
    [
        (D(2024, 1, 31), "standard", D(2024, 2, 29)),  # leap year month end
        (D(2025, 1, 31), "standard", D(2025, 2, 28)),
        (D(2025, 3, 31), "standard", D(2025, 4, 30)),
        (D(2025, 12, 31), "standard", D(2026, 1, 31)),
        (D(2025, 1, 15), "standard", D(2025, 2, 15)),  # a Saturday: not moved
        (D(2025, 12, 15), "simple", D(2025, 12, 30)),
        (D(2025, 2, 20), "simple", D(2025, 3, 7)),
        (D(2025, 12, 15), "extended", D(2026, 1, 29)),
        (D(2024, 12, 31), "extended", D(2025, 2, 14)),
        (dt.datetime(2025, 1, 30, 22, 30, tzinfo=dt.UTC), "standard", D(2025, 2, 28)),  # 31.01
    ],
)
def test_appeal_due(received, kind, expected):
    # Given an appeal received on a day
    # When its due date is computed for its kind
    # Then it is that many calendar days (or one month) later, never shifted
    assert deadlines.appeal_due(received, kind=kind) == expected


@pytest.mark.parametrize("kind", ["urgent", "", None, "Standard"])
def test_appeal_due_rejects_unknown_kinds(kind):
    with pytest.raises(ValueError):
        deadlines.appeal_due(D(2025, 1, 1), kind=kind)


# Lateness -----------------------------------------------------------------------------------


def test_is_late_with_a_date_deadline():
    # Given a date deadline of 19.01.2021
    deadline = D(2021, 1, 19)
    # Then anything done on that Kyiv day is on time, the next day is late
    assert deadlines.is_late(deadline, D(2021, 1, 19)) is False
    assert deadlines.is_late(deadline, D(2021, 1, 18)) is False
    assert deadlines.is_late(deadline, D(2021, 1, 20)) is True
    assert deadlines.is_late(deadline, dt.datetime(2021, 1, 19, 23, 59, tzinfo=KYIV)) is False
    # 22:30 UTC on 19.01 is 00:30 on 20.01 in Kyiv
    assert deadlines.is_late(deadline, dt.datetime(2021, 1, 19, 22, 30, tzinfo=dt.UTC)) is True


def test_is_late_with_a_datetime_deadline():
    # Given the 48-hour deadline of an urgent request
    deadline = deadlines.information_request_due(
        dt.datetime(2025, 5, 2, 17, 0, tzinfo=KYIV), urgent=True
    )
    # Then the instant decides for datetimes, the day for dates
    assert deadlines.is_late(deadline, deadline) is False
    assert deadlines.is_late(deadline, deadline + dt.timedelta(microseconds=1)) is True
    assert deadlines.is_late(deadline, dt.datetime(2025, 5, 4, 16, 59)) is False  # naive Kyiv
    assert deadlines.is_late(deadline, dt.datetime(2025, 5, 4, 14, 1, tzinfo=dt.UTC)) is True
    assert deadlines.is_late(deadline, D(2025, 5, 4)) is False
    assert deadlines.is_late(deadline, D(2025, 5, 5)) is True
    # And the end-of-day deadline of a standard request is met until midnight
    standard = deadlines.information_request_due(D(2025, 3, 1))
    assert deadlines.is_late(standard, dt.datetime(2025, 3, 7, 23, 59, 59, tzinfo=KYIV)) is False
    assert deadlines.is_late(standard, dt.datetime(2025, 3, 8, 0, 0, tzinfo=KYIV)) is True
