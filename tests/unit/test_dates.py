"""Parsing what a manager types for a date, relative to the manager's own local date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services.dates import (
    DateParseError,
    When,
    format_when,
    parse_when,
    validate_next_step,
)

MOSCOW = ZoneInfo("Europe/Moscow")
KAMCHATKA = ZoneInfo("Asia/Kamchatka")
KALININGRAD = ZoneInfo("Europe/Kaliningrad")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
UTC_ZONE = ZoneInfo("UTC")

# Monday 23 November 2026, 12:00 in Moscow.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
# 22:30 UTC on Monday the 23rd is already Tuesday the 24th in Moscow (01:30) and in
# Kamchatka (10:30), still Monday in New York (17:30).
LATE = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def parse(text: str, now: datetime = NOW, tz: ZoneInfo = MOSCOW) -> When:
    return parse_when(text, now=now, tz=tz)


# ----------------------------------------------------------------------------- accepted forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numeric dates
        ("25.12", When(d(12, 25))),
        ("25/12", When(d(12, 25))),
        ("25.12.2026", When(d(12, 25))),
        ("25.12.26", When(d(12, 25))),
        ("25/12/2026", When(d(12, 25))),
        ("25/12/26", When(d(12, 25))),
        ("2026-12-25", When(d(12, 25))),
        ("2026-1-5", When(d(1, 5))),  # in the past, but it parses: validation is separate
        ("5.1.2027", When(d(1, 5, 2027))),
        ("25.12.", When(d(12, 25))),  # the full stop ending a sentence
        ("23.11", When(TODAY)),  # today counts as "today or later"
        ("22.11", When(d(11, 22, 2027))),  # yesterday's date means next year's
        ("05.01", When(d(1, 5, 2027))),
        # numeric dates with a time
        ("25.12 14:30", When(d(12, 25), time(14, 30))),
        ("25.12.2026 9:05", When(d(12, 25), time(9, 5))),
        ("25.12.26 09:05", When(d(12, 25), time(9, 5))),
        ("2026-12-25 23:59", When(d(12, 25), time(23, 59))),
        ("25/12 0:00", When(d(12, 25), time(0, 0))),
        ("25.12 в 14:30", When(d(12, 25), time(14, 30))),
        ("25.12, 14:30", When(d(12, 25), time(14, 30))),
        # relative words
        ("сегодня", When(TODAY)),
        ("today", When(TODAY)),
        ("завтра", When(d(11, 24))),
        ("tomorrow", When(d(11, 24))),
        ("послезавтра", When(d(11, 25))),
        ("day after tomorrow", When(d(11, 25))),
        ("завтра 10:00", When(d(11, 24), time(10, 0))),
        ("завтра в 10:00", When(d(11, 24), time(10, 0))),
        ("завтра, 10:00", When(d(11, 24), time(10, 0))),
        ("tomorrow 9:30", When(d(11, 24), time(9, 30))),
        ("tomorrow at 9:30", When(d(11, 24), time(9, 30))),
        ("послезавтра 18:45", When(d(11, 25), time(18, 45))),
        ("day after tomorrow 7:00", When(d(11, 25), time(7, 0))),
        ("сегодня 23:59", When(TODAY, time(23, 59))),
        ("today 00:00", When(TODAY, time(0, 0))),
        # offsets
        ("+0", When(TODAY)),
        ("+3", When(d(11, 26))),
        ("+3д", When(d(11, 26))),
        ("+3d", When(d(11, 26))),
        ("+3 д", When(d(11, 26))),
        ("+3 дня", When(d(11, 26))),
        ("+3 days", When(d(11, 26))),
        ("+10", When(d(12, 3))),
        ("+2н", When(d(12, 7))),
        ("+2w", When(d(12, 7))),
        ("+1 неделю", When(d(11, 30))),
        ("+2 weeks", When(d(12, 7))),
        ("+2 15:00", When(d(11, 25), time(15, 0))),
        ("+1w 8:00", When(d(11, 30), time(8, 0))),
        ("+2н в 8:00", When(d(12, 7), time(8, 0))),
        # weekdays with a time or a preposition
        ("пт 11:00", When(d(11, 27), time(11, 0))),
        ("fri 11:00", When(d(11, 27), time(11, 0))),
        ("в пятницу", When(d(11, 27))),
        ("во вторник", When(d(11, 24))),
        ("on friday", When(d(11, 27))),
        ("в пятницу в 11:00", When(d(11, 27), time(11, 0))),
        ("friday at 11:00", When(d(11, 27), time(11, 0))),
        ("пт. 11:00", When(d(11, 27), time(11, 0))),
    ],
)
def test_accepted_forms(text: str, expected: When) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["ЗАВТРА", "Завтра", "  завтра  ", "Tomorrow", "TOMORROW", "\tзавтра\n", "завтра."],
)
def test_case_and_surrounding_space_are_ignored(text: str) -> None:
    assert parse(text) == When(d(11, 24))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Day After Tomorrow  9:30", When(d(11, 25), time(9, 30))),
        ("ПЯТНИЦУ", When(d(11, 27))),
        ("В Пятницу В 11:00", When(d(11, 27), time(11, 0))),
        ("FRI", When(d(11, 27))),
        ("+2Н", When(d(12, 7))),
        ("+2W", When(d(12, 7))),
        ("+3D", When(d(11, 26))),
    ],
)
def test_case_is_ignored_in_every_form(text: str, expected: When) -> None:
    assert parse(text) == expected


# Seen from Monday 23 November 2026: the next such day strictly after today, so
# Monday itself is a week ahead.
WEEKDAY_NAMES = [
    (("пн", "понедельник", "mon", "monday"), d(11, 30)),
    (("вт", "вторник", "tue", "tues", "tuesday"), d(11, 24)),
    (("ср", "среда", "среду", "wed", "wednesday"), d(11, 25)),
    (("чт", "четверг", "thu", "thurs", "thursday"), d(11, 26)),
    (("пт", "пятница", "пятницу", "fri", "friday"), d(11, 27)),
    (("сб", "суббота", "субботу", "sat", "saturday"), d(11, 28)),
    (("вс", "воскресенье", "sun", "sunday"), d(11, 29)),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [(name, expected) for names, expected in WEEKDAY_NAMES for name in names],
)
def test_weekday_names(name: str, expected: date) -> None:
    assert parse(name) == When(expected)


@pytest.mark.parametrize(
    ("today", "expected_friday"),
    [
        (d(11, 23), d(11, 27)),  # Monday
        (d(11, 24), d(11, 27)),
        (d(11, 25), d(11, 27)),
        (d(11, 26), d(11, 27)),  # Thursday: tomorrow
        (d(11, 27), d(12, 4)),  # Friday: strictly after today, so next week
        (d(11, 28), d(12, 4)),
        (d(11, 29), d(12, 4)),  # Sunday
    ],
)
@pytest.mark.parametrize("text", ["пт", "friday"])
def test_weekday_is_strictly_after_today(text: str, today: date, expected_friday: date) -> None:
    now = datetime.combine(today, time(12, 0), tzinfo=MOSCOW)
    assert parse(text, now=now) == When(expected_friday)


# ----------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("tz", "today"),
    [
        (UTC_ZONE, d(11, 23)),
        (NEW_YORK, d(11, 23)),  # 17:30 on Monday
        (KALININGRAD, d(11, 24)),  # 00:30 on Tuesday
        (MOSCOW, d(11, 24)),  # 01:30 on Tuesday
        (KAMCHATKA, d(11, 24)),  # 10:30 on Tuesday
    ],
)
@pytest.mark.parametrize(
    ("text", "days_ahead"),
    [
        ("сегодня", 0),
        ("today", 0),
        ("завтра", 1),
        ("tomorrow", 1),
        ("послезавтра", 2),
        ("day after tomorrow", 2),
        ("+3", 3),
        ("+1н", 7),
        ("+1w", 7),
    ],
)
def test_relative_forms_count_from_the_local_date(
    tz: ZoneInfo, today: date, text: str, days_ahead: int
) -> None:
    assert parse(text, now=LATE, tz=tz) == When(today + timedelta(days=days_ahead))


@pytest.mark.parametrize(
    ("tz", "tuesday"),
    [
        (UTC_ZONE, d(11, 24)),  # still Monday: tomorrow
        (NEW_YORK, d(11, 24)),
        (MOSCOW, d(12, 1)),  # already Tuesday: next week's
        (KAMCHATKA, d(12, 1)),
    ],
)
@pytest.mark.parametrize("text", ["вт", "вторник", "tue", "tuesday"])
def test_weekday_counts_from_the_local_date(tz: ZoneInfo, tuesday: date, text: str) -> None:
    assert parse(text, now=LATE, tz=tz) == When(tuesday)


def test_tomorrow_in_kamchatka_and_its_instant() -> None:
    when = parse("завтра 10:00", now=LATE, tz=KAMCHATKA)
    assert when == When(d(11, 25), time(10, 0))
    # Kamchatka is UTC+12 all year.
    assert when.instant(KAMCHATKA) == datetime(2026, 11, 24, 22, 0, tzinfo=UTC)


def test_date_without_year_uses_the_local_year() -> None:
    # 31 Dec 2026 21:30 UTC is already 1 Jan 2027 in Moscow: "01.01" is today there,
    # while in UTC it is tomorrow, and "31.12" has passed in Moscow only.
    new_year_eve = datetime(2026, 12, 31, 21, 30, tzinfo=UTC)
    assert parse("01.01", now=new_year_eve, tz=MOSCOW) == When(d(1, 1, 2027))
    assert parse("01.01", now=new_year_eve, tz=UTC_ZONE) == When(d(1, 1, 2027))
    assert parse("31.12", now=new_year_eve, tz=MOSCOW) == When(d(12, 31, 2027))
    assert parse("31.12", now=new_year_eve, tz=UTC_ZONE) == When(d(12, 31, 2026))


# ----------------------------------------------------------------------------- year rollover


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (d(12, 20), "05.01", d(1, 5, 2027)),
        (d(12, 20), "5/1", d(1, 5, 2027)),
        (d(12, 20), "05.01 09:00", d(1, 5, 2027)),
        (d(12, 20), "20.12", d(12, 20)),  # today
        (d(12, 20), "19.12", d(12, 19, 2027)),
        (d(12, 20), "31.12", d(12, 31)),
        (d(1, 10), "29.02", d(2, 29, 2028)),  # 2026 and 2027 have no 29 February
        (d(1, 10, 2028), "29.02", d(2, 29, 2028)),
        (d(3, 1, 2028), "29.02", d(2, 29, 2032)),
        (d(3, 1, 2096), "29.02", d(2, 29, 2104)),  # 2100 is not a leap year
    ],
)
def test_date_without_year_rolls_over(today: date, text: str, expected: date) -> None:
    now = datetime.combine(today, time(12, 0), tzinfo=MOSCOW)
    assert parse(text, now=now).day == expected


def test_offsets_cross_the_year() -> None:
    now = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)
    assert parse("+5", now=now) == When(d(1, 2, 2027))
    assert parse("+1н", now=now) == When(d(1, 4, 2027))


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "14:30",  # a bare time is not a date
        "в 14:30",
        "25",
        "25.12.2026.1",
        "25-12",
        "25.12/2026",  # mixed separators
        "25.12.202",
        "2026/12/25",
        "+",
        "+x",
        "+3y",
        "+3 лет",
        "+123456",
        "-3",
        "25.12 1430",
        "25.12 9:5",
        "25.12 14.30",
        "25.12 14:30:00",
        "завтра завтра",
        "tomorrow at",
        "в",
        "пт пт",
        "в в пятницу",
        "next friday",
        "25 декабря",
        "\u0662\u0665.\u0661\u0662",  # Arabic-Indic digits
        "１２.１２",  # full-width digits
        "x" * 100,
        "25.12 " + " " * 100,
    ],
)
def test_unreadable_text(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert info.value.reason == "date-error-format"


@pytest.mark.parametrize(
    "text",
    [
        "31.02",
        "30.02.2028",
        "29.02.2027",
        "29.02.27",
        "31.04.2026",
        "00.12",
        "32.01",
        "25.13",
        "25.00",
        "25/13/2026",
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "31.02 10:00",
    ],
)
def test_impossible_dates(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert info.value.reason == "date-error-invalid"


@pytest.mark.parametrize(
    "text",
    [
        "25.12 25:61",
        "25.12 24:00",
        "25.12.2026 23:60",
        "завтра 24:00",
        "tomorrow 99:00",
        "today 23:60",
        "+2 30:00",
        "пт 25:00",
    ],
)
def test_impossible_times(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert info.value.reason == "date-error-time"


@pytest.mark.parametrize("text", ["+5", "+1н", "послезавтра", "сб", "01.01"])
def test_dates_beyond_the_calendar_are_invalid(text: str) -> None:
    # 30 Dec 9999 is a Thursday, two days before the end of the representable range.
    end_of_time = datetime(9999, 12, 30, 12, 0, tzinfo=UTC)
    with pytest.raises(DateParseError) as info:
        parse(text, now=end_of_time, tz=UTC_ZONE)
    assert info.value.reason == "date-error-invalid"


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="date-error-format"):
        parse("nonsense")


def test_naive_now_is_rejected() -> None:
    naive = datetime(2026, 11, 23, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="aware"):
        parse_when("завтра", now=naive, tz=MOSCOW)
    with pytest.raises(ValueError, match="aware"):
        validate_next_step(When(TODAY), now=naive, tz=MOSCOW)


# ----------------------------------------------------------------------------- When


def test_instant_is_none_without_time() -> None:
    assert When(d(12, 25)).instant(MOSCOW) is None


@pytest.mark.parametrize(
    ("when", "tz", "expected"),
    [
        (When(d(12, 25), time(14, 30)), MOSCOW, datetime(2026, 12, 25, 11, 30, tzinfo=UTC)),
        (When(d(12, 25), time(14, 30)), KALININGRAD, datetime(2026, 12, 25, 12, 30, tzinfo=UTC)),
        (When(d(12, 25), time(9, 0)), KAMCHATKA, datetime(2026, 12, 24, 21, 0, tzinfo=UTC)),
        (When(d(7, 1), time(9, 0)), BERLIN, datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),  # CEST
        (When(d(12, 1), time(9, 0)), BERLIN, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),  # CET
        # 02:30 does not exist in Berlin on 29 March 2026: the clock jumps at 01:00 UTC.
        (When(d(3, 29), time(2, 30)), BERLIN, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ],
)
def test_instant(when: When, tz: ZoneInfo, expected: datetime) -> None:
    instant = when.instant(tz)
    assert instant == expected
    assert instant is not None and instant.utcoffset() == timedelta(0)


def test_when_rejects_datetime_day_and_aware_time() -> None:
    with pytest.raises(TypeError):
        When(datetime(2026, 12, 25, tzinfo=UTC))
    with pytest.raises(ValueError, match="tzinfo"):
        When(d(12, 25), time(10, 0, tzinfo=UTC))


def test_when_is_frozen() -> None:
    when = When(d(12, 25))
    with pytest.raises(AttributeError):
        when.day = d(12, 26)  # type: ignore[misc]


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "when",
    [
        When(TODAY),  # today without a time: due today
        When(TODAY, time(12, 0)),  # exactly now has not passed yet
        When(TODAY, time(12, 1)),
        When(TODAY, time(23, 59)),
        When(d(11, 24)),
        When(d(11, 24), time(0, 0)),
        When(d(12, 25, 2030), time(9, 0)),
    ],
)
def test_next_step_in_the_future_is_accepted(when: When) -> None:
    validate_next_step(when, now=NOW, tz=MOSCOW)  # 12:00 on 23 Nov in Moscow


@pytest.mark.parametrize(
    "when",
    [
        When(d(11, 22)),  # yesterday
        When(d(11, 22), time(23, 59)),
        When(TODAY, time(11, 59)),  # today, but the time has passed
        When(TODAY, time(0, 0)),
        When(d(12, 25, 2020)),
    ],
)
def test_next_step_in_the_past_is_rejected(when: When) -> None:
    with pytest.raises(DateParseError) as info:
        validate_next_step(when, now=NOW, tz=MOSCOW)
    assert info.value.reason == "date-error-past"


@pytest.mark.parametrize(
    ("when", "tz", "accepted"),
    [
        # 22:30 UTC on Monday: Tuesday 01:30 in Moscow, Monday 17:30 in New York.
        (When(d(11, 23)), MOSCOW, False),
        (When(d(11, 23)), NEW_YORK, True),
        (When(d(11, 23), time(18, 0)), NEW_YORK, True),
        (When(d(11, 23), time(17, 0)), NEW_YORK, False),
        (When(d(11, 24), time(1, 0)), MOSCOW, False),
        (When(d(11, 24), time(2, 0)), MOSCOW, True),
        (When(d(11, 24), time(10, 0)), KAMCHATKA, False),
        (When(d(11, 24), time(11, 0)), KAMCHATKA, True),
    ],
)
def test_past_is_judged_on_the_local_clock(when: When, tz: ZoneInfo, accepted: bool) -> None:
    if accepted:
        validate_next_step(when, now=LATE, tz=tz)
    else:
        with pytest.raises(DateParseError, match="date-error-past"):
            validate_next_step(when, now=LATE, tz=tz)


@pytest.mark.parametrize("text", ["вчера", "yesterday"])
def test_yesterday_is_not_a_form(text: str) -> None:
    # Nobody schedules a next step for yesterday; the word is not understood at all.
    with pytest.raises(DateParseError, match="date-error-format"):
        parse(text)


def test_parsed_today_with_past_time_is_rejected_end_to_end() -> None:
    when = parse("сегодня 9:00")  # it is 12:00 in Moscow
    with pytest.raises(DateParseError, match="date-error-past"):
        validate_next_step(when, now=NOW, tz=MOSCOW)
    validate_next_step(parse("сегодня"), now=NOW, tz=MOSCOW)
    validate_next_step(parse("сегодня 18:00"), now=NOW, tz=MOSCOW)


# ----------------------------------------------------------------------------- formatting


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (When(d(12, 25)), "25.12.2026"),
        (When(d(12, 25), time(14, 30)), "25.12.2026 14:30"),
        (When(d(1, 5, 2027), time(9, 5)), "05.01.2027 09:05"),
        (When(d(1, 5, 2027), time(0, 0)), "05.01.2027 00:00"),
        (When(date(5, 1, 2)), "02.01.0005"),
    ],
)
def test_format_when(when: When, expected: str, language: str) -> None:
    assert format_when(when, language) == expected


@pytest.mark.parametrize(
    "when",
    [When(d(12, 25)), When(d(12, 25), time(14, 30)), When(d(1, 5, 2027), time(9, 5))],
)
def test_format_round_trips_through_parse(when: When) -> None:
    assert parse(format_when(when, "ru")) == when


def test_a_counted_day_off_moves_to_the_next_business_day() -> None:
    from bot.services.business_calendar import BusinessCalendar
    from bot.services.dates import on_business_day

    calendar = BusinessCalendar("RU")
    thursday = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    moscow = ZoneInfo("Europe/Moscow")
    # "+2" and "послезавтра" are counted: Saturday becomes Monday, the time kept.
    assert on_business_day(parse_when("+2 10:00", now=thursday, tz=moscow), calendar) == When(
        date(2026, 11, 30), time(10, 0)
    )
    assert on_business_day(parse_when("послезавтра", now=thursday, tz=moscow), calendar).day == (
        date(2026, 11, 30)
    )
    # A day the manager named is theirs to keep.
    for named in ("сб", "28.11", "28.11.2026"):
        assert on_business_day(parse_when(named, now=thursday, tz=moscow), calendar).day == (
            date(2026, 11, 28)
        )
    # New Year holidays: +3 from 30.12.2026 is 02.01.2027, a holiday; the next working day
    # of the Russian production calendar is 11.01.2027.
    dec30 = datetime(2026, 12, 30, 9, 0, tzinfo=UTC)
    assert on_business_day(parse_when("+3", now=dec30, tz=moscow), calendar).day == (
        date(2027, 1, 11)
    )
