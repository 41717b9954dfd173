"""The Russian production calendar as the bot sees it, plus company overrides.

Dates checked against the `holidays` package (RU): New Year holidays 1-8 January,
2026-01-09 a day off moved from Saturday 2026-01-03, 2025-12-31 and 2026-12-31 days off
moved from 5 and 4 January, working Saturdays 2024-04-27, 2024-11-02, 2024-12-28,
2025-11-01 and 2027-02-20.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services.business_calendar import (
    MAX_SEARCH_DAYS,
    BusinessCalendar,
    NoBusinessDayError,
    supported_country,
)


@pytest.fixture(scope="module")
def ru() -> BusinessCalendar:
    return BusinessCalendar()


@pytest.mark.parametrize(
    ("day", "business"),
    [
        # New Year holidays 2026 and the day moved onto Friday 9 January.
        *[(date(2026, 1, d), False) for d in range(1, 10)],
        (date(2026, 1, 10), False),  # Saturday
        (date(2026, 1, 11), False),  # Sunday
        (date(2026, 1, 12), True),  # first working day of 2026
        # Days off moved to New Year's Eve.
        (date(2025, 12, 31), False),
        (date(2026, 12, 31), False),
        (date(2024, 12, 31), False),
        (date(2025, 12, 30), True),
        # Transferred working Saturdays vs an ordinary Saturday.
        (date(2024, 4, 27), True),
        (date(2024, 11, 2), True),
        (date(2024, 12, 28), True),
        (date(2025, 11, 1), True),
        (date(2027, 2, 20), True),
        (date(2025, 11, 8), False),
        (date(2026, 1, 17), False),
        # The weekdays those Saturdays were traded for.
        (date(2025, 11, 3), False),
        (date(2024, 12, 30), False),
        (date(2027, 2, 22), False),
        # Holiday on a Sunday, and the Monday it moves to.
        (date(2026, 3, 8), False),
        (date(2026, 3, 9), False),
        # Ordinary weekdays.
        (date(2026, 3, 10), True),
        (date(2026, 11, 5), True),
    ],
)
def test_is_business_day_follows_production_calendar(
    ru: BusinessCalendar, day: date, business: bool
) -> None:
    assert ru.is_business_day(day) is business


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2026, 1, 1), True),
        (date(2026, 1, 9), True),  # substituted day off
        (date(2026, 12, 31), True),
        (date(2026, 3, 8), True),  # a holiday even on a Sunday
        (date(2026, 1, 17), False),  # an ordinary Saturday is a weekend, not a holiday
        (date(2025, 11, 1), False),  # working Saturday
        (date(2026, 1, 12), False),
    ],
)
def test_is_holiday(ru: BusinessCalendar, day: date, holiday: bool) -> None:
    assert ru.is_holiday(day) is holiday


@pytest.mark.parametrize(
    ("year", "working_days"),
    # The official totals of the Russian production calendar.
    [(2024, 248), (2025, 247), (2026, 247)],
)
def test_yearly_totals_match_official_calendar(
    ru: BusinessCalendar, year: int, working_days: int
) -> None:
    days = ru.business_days_in_range(date(year, 1, 1), date(year, 12, 31))
    assert len(days) == working_days


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Across the New Year holidays: the day after 30 December is 12 January.
        (date(2025, 12, 30), 1, date(2026, 1, 12)),
        (date(2025, 12, 30), 2, date(2026, 1, 13)),
        (date(2026, 1, 1), 1, date(2026, 1, 12)),  # starting on a holiday
        # Across a weekend.
        (date(2026, 1, 16), 1, date(2026, 1, 19)),  # Friday + 1 = Monday
        (date(2026, 1, 16), 5, date(2026, 1, 23)),
        (date(2026, 1, 17), 1, date(2026, 1, 19)),  # Saturday + 1 = Monday
        # Into and out of a working Saturday.
        (date(2025, 10, 31), 1, date(2025, 11, 1)),
        (date(2025, 11, 1), 1, date(2025, 11, 5)),
        # n = 0: the day itself if it is a business day, else the next one.
        (date(2026, 1, 12), 0, date(2026, 1, 12)),
        (date(2026, 1, 1), 0, date(2026, 1, 12)),
        (date(2026, 1, 17), 0, date(2026, 1, 19)),
        # Negative n goes backwards, strictly before the start.
        (date(2026, 1, 12), -1, date(2025, 12, 30)),
        (date(2026, 1, 19), -1, date(2026, 1, 16)),
        (date(2026, 1, 5), -1, date(2025, 12, 30)),  # from inside the holidays
        (date(2025, 11, 5), -1, date(2025, 11, 1)),
        (date(2025, 11, 5), -2, date(2025, 10, 31)),
    ],
)
def test_add_business_days(ru: BusinessCalendar, start: date, n: int, expected: date) -> None:
    assert ru.add_business_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 12, 30), date(2026, 1, 12), 1),
        (date(2025, 12, 30), date(2026, 1, 11), 0),
        (date(2026, 1, 12), date(2026, 1, 12), 0),
        (date(2026, 1, 16), date(2026, 1, 19), 1),  # (Fri, Mon]
        (date(2025, 12, 31), date(2026, 1, 31), 15),  # January 2026
        (date(2026, 1, 12), date(2025, 12, 30), -1),
        (date(2026, 1, 31), date(2025, 12, 31), -15),
    ],
)
def test_business_days_between(
    ru: BusinessCalendar, start: date, end: date, expected: int
) -> None:
    assert ru.business_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 12, 20), date(2026, 1, 20)),
        (date(2026, 1, 20), date(2025, 12, 20)),
        (date(2025, 10, 28), date(2025, 11, 6)),
    ],
)
def test_between_is_inverse_of_add(ru: BusinessCalendar, start: date, end: date) -> None:
    # For every business day e: add(start, between(start, e)) == e.
    low, high = min(start, end), max(start, end)
    for target in ru.business_days_in_range(low, high):
        assert ru.add_business_days(start, ru.business_days_between(start, target)) == target


def test_business_days_in_range_is_inclusive(ru: BusinessCalendar) -> None:
    assert ru.business_days_in_range(date(2025, 12, 29), date(2026, 1, 13)) == [
        date(2025, 12, 29),
        date(2025, 12, 30),
        date(2026, 1, 12),
        date(2026, 1, 13),
    ]
    assert ru.business_days_in_range(date(2026, 1, 13), date(2026, 1, 12)) == []
    assert ru.business_days_in_range(date(2026, 1, 1), date(2026, 1, 1)) == []


def test_count_of_business_days_is_the_range_length_and_stays_right_when_asked_again(
    ru: BusinessCalendar,
) -> None:
    # November 2025: 19 working days, with the working Saturday 1.11 and 3-4.11 off.
    assert ru.count_business_days(date(2025, 11, 1), date(2025, 11, 30)) == 19
    assert ru.count_business_days(date(2025, 11, 1), date(2025, 11, 30)) == 19
    assert ru.count_business_days(date(2025, 12, 29), date(2026, 1, 13)) == 4
    assert ru.count_business_days(date(2026, 1, 13), date(2026, 1, 12)) == 0
    own = BusinessCalendar("RU", overrides={date(2025, 11, 28): False})
    assert own.count_business_days(date(2025, 11, 1), date(2025, 11, 30)) == 18


@pytest.mark.parametrize(
    ("day", "include_today", "expected_next", "expected_previous"),
    [
        (date(2026, 1, 12), False, date(2026, 1, 13), date(2025, 12, 30)),
        (date(2026, 1, 12), True, date(2026, 1, 12), date(2026, 1, 12)),
        (date(2026, 1, 3), True, date(2026, 1, 12), date(2025, 12, 30)),
        (date(2025, 11, 4), False, date(2025, 11, 5), date(2025, 11, 1)),
        (date(2024, 12, 31), False, date(2025, 1, 9), date(2024, 12, 28)),
    ],
)
def test_next_and_previous_business_day(
    ru: BusinessCalendar,
    day: date,
    include_today: bool,
    expected_next: date,
    expected_previous: date,
) -> None:
    assert ru.next_business_day(day, include_today=include_today) == expected_next
    assert ru.previous_business_day(day, include_today=include_today) == expected_previous


def test_company_overrides_win_both_ways() -> None:
    calendar = BusinessCalendar(
        overrides={
            date(2026, 1, 5): True,  # the company works on a national holiday
            date(2026, 1, 17): True,  # ... and on an ordinary Saturday
            date(2026, 1, 14): False,  # a corporate day off on a Wednesday
        }
    )
    assert calendar.is_business_day(date(2026, 1, 5))
    assert not calendar.is_holiday(date(2026, 1, 5))
    assert calendar.is_business_day(date(2026, 1, 17))
    assert not calendar.is_business_day(date(2026, 1, 14))
    assert calendar.is_holiday(date(2026, 1, 14))
    # Days without an override keep the national answer.
    assert not calendar.is_business_day(date(2026, 1, 6))
    assert calendar.is_business_day(date(2026, 1, 13))
    # Navigation takes the overrides into account.
    assert calendar.add_business_days(date(2025, 12, 30), 1) == date(2026, 1, 5)
    assert calendar.add_business_days(date(2026, 1, 13), 1) == date(2026, 1, 15)
    assert calendar.previous_business_day(date(2026, 1, 12)) == date(2026, 1, 5)
    assert calendar.business_days_between(date(2026, 1, 12), date(2026, 1, 18)) == 4


def test_overrides_are_copied() -> None:
    overrides = {date(2026, 1, 14): False}
    calendar = BusinessCalendar(overrides=overrides)
    overrides[date(2026, 1, 14)] = True
    assert not calendar.is_business_day(date(2026, 1, 14))
    assert dict(calendar.overrides) == {date(2026, 1, 14): False}


@pytest.mark.parametrize(
    ("country", "day", "business"),
    [
        # Israel rests on Friday and Saturday.
        ("IL", date(2025, 1, 3), False),
        ("IL", date(2025, 1, 4), False),
        ("IL", date(2025, 1, 5), True),
        # The UAE moved its weekend from Fri+Sat to Sat+Sun in 2022: the weekend is
        # asked per date, not per country.
        ("AE", date(2021, 12, 24), False),  # Friday
        ("AE", date(2021, 12, 26), True),  # Sunday
        ("AE", date(2022, 1, 7), True),  # Friday
        ("AE", date(2022, 1, 9), False),  # Sunday
    ],
)
def test_other_countries_use_their_own_weekend(country: str, day: date, business: bool) -> None:
    assert BusinessCalendar(country).is_business_day(day) is business


def test_no_business_day_raises_instead_of_looping() -> None:
    start = date(2026, 1, 1)
    closed = BusinessCalendar(
        overrides={start + timedelta(days=i): False for i in range(MAX_SEARCH_DAYS + 10)}
    )
    with pytest.raises(NoBusinessDayError):
        closed.next_business_day(start)
    with pytest.raises(NoBusinessDayError):
        closed.add_business_days(start, 0)


def test_end_of_date_range_raises() -> None:
    calendar = BusinessCalendar(overrides={date.max: False})
    with pytest.raises(NoBusinessDayError):
        calendar.next_business_day(date.max)
    with pytest.raises(NoBusinessDayError):
        calendar.next_business_day(date.max, include_today=True)


@pytest.mark.parametrize(
    ("code", "supported"),
    [("RU", True), ("ru", True), ("RUS", True), ("DE", True), ("XX", False), ("", False)],
)
def test_supported_country(code: str, supported: bool) -> None:
    assert supported_country(code) is supported


def test_unsupported_country_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported country"):
        BusinessCalendar("XX")


def test_datetime_instead_of_date_rejected(ru: BusinessCalendar) -> None:
    # datetime is a date subclass that never equals a date: it would silently miss
    # every holiday, so it is refused outright.
    moment = datetime(2026, 1, 1, 12, tzinfo=UTC)
    with pytest.raises(TypeError):
        ru.is_business_day(moment)
    with pytest.raises(TypeError):
        BusinessCalendar(overrides={moment: True})
