"""Local time, quiet hours and local-clock scheduling across Russia's time zones
(Kaliningrad UTC+2 ... Kamchatka UTC+12, no DST) and a DST zone (Europe/Berlin)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.services.business_calendar import MAX_SEARCH_DAYS, BusinessCalendar, NoBusinessDayError
from bot.services.local_time import (
    DEFAULT_QUIET_HOURS,
    QuietHours,
    at_local_time,
    is_quiet,
    local_date,
    next_local_occurrence,
    next_send_time,
    user_today,
    validate_timezone,
)
from storage.dto import Role, UserDTO

# Russian zones with their fixed UTC offsets (hours).
RUSSIAN_ZONES = [
    ("Europe/Kaliningrad", 2),
    ("Europe/Moscow", 3),
    ("Europe/Samara", 4),
    ("Asia/Yekaterinburg", 5),
    ("Asia/Omsk", 6),
    ("Asia/Krasnoyarsk", 7),
    ("Asia/Irkutsk", 8),
    ("Asia/Yakutsk", 9),
    ("Asia/Vladivostok", 10),
    ("Asia/Magadan", 11),
    ("Asia/Kamchatka", 12),
]

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = DEFAULT_QUIET_HOURS  # 21:00-08:00
LUNCH = QuietHours(time(13, 0), time(14, 0))
NEVER = QuietHours(time(9, 0), time(9, 0))


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def from_fixed_local(day: date, wall: time, offset_hours: int) -> datetime:
    # Independent of zoneinfo on purpose: the expected UTC value for a zone whose
    # offset is fixed, so the tests do not just repeat the code under test.
    return datetime.combine(day, wall, tzinfo=UTC) - timedelta(hours=offset_hours)


@pytest.fixture(scope="module")
def ru() -> BusinessCalendar:
    return BusinessCalendar()


# ----------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    "name", ["Europe/Kaliningrad", "Asia/Kamchatka", "Europe/Moscow", "UTC", "Europe/Berlin"]
)
def test_validate_timezone_accepts_iana_names(name: str) -> None:
    assert validate_timezone(name).key == name


@pytest.mark.parametrize(
    ("text", "key"), [("europe/moscow", "Europe/Moscow"), (" Asia/Kamchatka\n", "Asia/Kamchatka")]
)
def test_validate_timezone_forgives_case_and_spaces(text: str, key: str) -> None:
    assert validate_timezone(text).key == key


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "Mars/Olympus",
        "../etc",
        "../../etc/passwd",
        "/etc/localtime",
        "Europe/",
        "Europe/Moscow/../Moscow",
        "localtime",
        "posixrules",
        "Factory",
        "UTC+3",
        "MSK",
    ],
)
def test_validate_timezone_rejects_bad_names(name: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        validate_timezone(name)


@pytest.mark.parametrize(("name", "offset"), RUSSIAN_ZONES)
def test_zone_offsets_are_as_expected(name: str, offset: int) -> None:
    # Guards the tables below against a tzdata change.
    assert validate_timezone(name).utcoffset(utc(2026, 2, 10)) == timedelta(hours=offset)


# ----------------------------------------------------------------------------- quiet hours


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("21:00-08:00", time(21), time(8)),
        ("21-8", time(21), time(8)),
        ("21–8", time(21), time(8)),  # en dash
        ("21:00 — 08:00", time(21), time(8)),  # em dash with spaces
        (" 9:30-18 ", time(9, 30), time(18)),
        ("13:00-14:00", time(13), time(14)),
        ("00:00-00:00", time(0), time(0)),
        ("23:59-0", time(23, 59), time(0)),
    ],
)
def test_quiet_hours_parse(text: str, start: time, end: time) -> None:
    assert QuietHours.parse(text) == QuietHours(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "21:00",
        "21:00-",
        "-08:00",
        "24:00-08:00",
        "21:60-08:00",
        "21:0-8",
        "21-8-9",
        "21:00-08:00 daily",
        "21.00-08.00",
        "nine-eight",
        "٢١-٨",  # non-ASCII digits
        "-1-8",
    ],
)
def test_quiet_hours_parse_rejects_bad_input(text: str) -> None:
    with pytest.raises(ValueError, match="quiet hours"):
        QuietHours.parse(text)


@pytest.mark.parametrize("quiet", [NIGHT, LUNCH, NEVER, QuietHours(time(9, 30), time(18))])
def test_quiet_hours_str_round_trips(quiet: QuietHours) -> None:
    assert QuietHours.parse(str(quiet)) == quiet


def test_default_quiet_hours() -> None:
    assert str(DEFAULT_QUIET_HOURS) == "21:00-08:00"


@pytest.mark.parametrize(
    ("quiet", "local", "expected"),
    [
        # Wrapping window [21:00, 08:00).
        (NIGHT, time(20, 59, 59), False),
        (NIGHT, time(21, 0), True),
        (NIGHT, time(23, 59), True),
        (NIGHT, time(0, 0), True),
        (NIGHT, time(7, 59, 59), True),
        (NIGHT, time(8, 0), False),
        (NIGHT, time(12, 0), False),
        # Non-wrapping window [13:00, 14:00).
        (LUNCH, time(12, 59), False),
        (LUNCH, time(13, 0), True),
        (LUNCH, time(13, 59, 59), True),
        (LUNCH, time(14, 0), False),
        (LUNCH, time(2, 0), False),
        # start == end: no quiet hours.
        (NEVER, time(9, 0), False),
        (NEVER, time(3, 0), False),
        (NEVER, time(22, 0), False),
    ],
)
def test_quiet_hours_contains(quiet: QuietHours, local: time, expected: bool) -> None:
    assert quiet.contains(local) is expected


def test_quiet_hours_reject_aware_times() -> None:
    with pytest.raises(ValueError, match="wall-clock"):
        QuietHours(time(21, tzinfo=UTC), time(8))


# One UTC instant, 12:30 UTC: afternoon in the west, night in the far east.
@pytest.mark.parametrize(
    ("name", "quiet", "expected_send"),
    [
        ("Europe/Kaliningrad", False, utc(2026, 2, 10, 12, 30)),  # 14:30
        ("Europe/Moscow", False, utc(2026, 2, 10, 12, 30)),  # 15:30
        ("Asia/Irkutsk", False, utc(2026, 2, 10, 12, 30)),  # 20:30
        ("Asia/Yakutsk", True, utc(2026, 2, 10, 23, 0)),  # 21:30 -> 08:00 on 11 Feb
        ("Asia/Vladivostok", True, utc(2026, 2, 10, 22, 0)),  # 22:30
        ("Asia/Magadan", True, utc(2026, 2, 10, 21, 0)),  # 23:30
        ("Asia/Kamchatka", True, utc(2026, 2, 10, 20, 0)),  # 00:30 on 11 Feb
    ],
)
def test_same_instant_differs_by_zone(name: str, quiet: bool, expected_send: datetime) -> None:
    now = utc(2026, 2, 10, 12, 30)
    tz = validate_timezone(name)
    assert is_quiet(now, tz, NIGHT) is quiet
    assert next_send_time(now, tz, NIGHT) == expected_send


@pytest.mark.parametrize(("name", "offset"), RUSSIAN_ZONES)
@pytest.mark.parametrize(
    ("local_now", "local_send"),
    [
        # Late evening: the window ends tomorrow morning.
        ((date(2026, 2, 10), time(23, 15)), (date(2026, 2, 11), time(8))),
        # Exactly at the start.
        ((date(2026, 2, 10), time(21)), (date(2026, 2, 11), time(8))),
        # Small hours: the window ends this morning.
        ((date(2026, 2, 11), time(3)), (date(2026, 2, 11), time(8))),
        ((date(2026, 2, 11), time(7, 59, 59)), (date(2026, 2, 11), time(8))),
        # Not quiet: send now.
        ((date(2026, 2, 11), time(8)), (date(2026, 2, 11), time(8))),
        ((date(2026, 2, 11), time(20, 59)), (date(2026, 2, 11), time(20, 59))),
    ],
)
def test_next_send_time_lands_at_eight_local(
    name: str, offset: int, local_now: tuple[date, time], local_send: tuple[date, time]
) -> None:
    tz = validate_timezone(name)
    now = from_fixed_local(*local_now, offset)
    expected = from_fixed_local(*local_send, offset)
    result = next_send_time(now, tz, NIGHT)
    assert result == expected
    assert result.tzinfo is UTC
    local = result.astimezone(tz)
    assert (local.date(), local.time()) == local_send
    assert not is_quiet(result, tz, NIGHT)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 2, 10, 9, 59), utc(2026, 2, 10, 9, 59)),  # 12:59 MSK: allowed
        (utc(2026, 2, 10, 10, 0), utc(2026, 2, 10, 11, 0)),  # 13:00 MSK: quiet until 14:00
        (utc(2026, 2, 10, 10, 20), utc(2026, 2, 10, 11, 0)),  # 13:20 MSK -> 14:00 MSK
        (utc(2026, 2, 10, 11, 0), utc(2026, 2, 10, 11, 0)),  # 14:00 MSK: allowed
        (utc(2026, 2, 10, 20, 0), utc(2026, 2, 10, 20, 0)),  # 23:00 MSK: allowed
    ],
)
def test_non_wrapping_window(now: datetime, expected: datetime) -> None:
    assert next_send_time(now, MOSCOW, LUNCH) == expected


@pytest.mark.parametrize("hour", [0, 3, 9, 13, 21, 23])
def test_equal_start_and_end_means_never_quiet(hour: int) -> None:
    now = utc(2026, 2, 10, hour)
    assert not is_quiet(now, MOSCOW, NEVER)
    assert next_send_time(now, MOSCOW, NEVER) == now


def test_next_send_time_normalizes_to_utc() -> None:
    now = datetime(2026, 2, 10, 15, 30, tzinfo=timezone(timedelta(hours=3)))
    result = next_send_time(now, MOSCOW, NIGHT)
    assert result == now
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("now", "quiet", "expected"),
    [
        # Spring forward on Sunday 29 March 2026 (02:00 CET -> 03:00 CEST at 01:00 UTC):
        # 08:00 is CEST already, so the UTC hour moves from 07:00 to 06:00.
        (utc(2026, 3, 27, 22, 0), NIGHT, utc(2026, 3, 28, 7, 0)),  # Fri 23:00 CET
        (utc(2026, 3, 28, 22, 0), NIGHT, utc(2026, 3, 29, 6, 0)),  # Sat 23:00 CET
        (utc(2026, 3, 29, 4, 0), NIGHT, utc(2026, 3, 29, 6, 0)),  # Sun 06:00 CEST
        # A window ending inside the gap ends at the transition (03:00 CEST).
        (
            utc(2026, 3, 29, 0, 30),
            QuietHours(time(22), time(2, 30)),
            utc(2026, 3, 29, 1, 0),
        ),
        # Fall back on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET at 01:00 UTC).
        (utc(2026, 10, 24, 20, 0), NIGHT, utc(2026, 10, 25, 7, 0)),  # Sat 22:00 CEST
        (utc(2026, 10, 25, 0, 15), NIGHT, utc(2026, 10, 25, 7, 0)),  # 02:15 CEST
        (utc(2026, 10, 25, 1, 15), NIGHT, utc(2026, 10, 25, 7, 0)),  # 02:15 CET
        # Inside the repeated hour the first 02:30 is already past: wait for the second.
        (
            utc(2026, 10, 25, 1, 10),
            QuietHours(time(22), time(2, 30)),
            utc(2026, 10, 25, 1, 30),
        ),
    ],
)
def test_next_send_time_in_dst_zone(now: datetime, quiet: QuietHours, expected: datetime) -> None:
    assert is_quiet(now, BERLIN, quiet)
    assert next_send_time(now, BERLIN, quiet) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: is_quiet(naive, MOSCOW, NIGHT),
        lambda naive: next_send_time(naive, MOSCOW, NIGHT),
        lambda naive: local_date(naive, MOSCOW),
        lambda naive: next_local_occurrence(naive, MOSCOW, time(9)),
    ],
    ids=["is_quiet", "next_send_time", "local_date", "next_local_occurrence"],
)
def test_naive_datetimes_rejected(call: Callable[[datetime], object]) -> None:
    naive = datetime(2026, 2, 10, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        call(naive)


# ----------------------------------------------------------------------------- conversions


@pytest.mark.parametrize(
    ("now", "name", "expected"),
    [
        (utc(2026, 2, 10, 20, 30), "Europe/Kaliningrad", date(2026, 2, 10)),
        (utc(2026, 2, 10, 20, 30), "Europe/Moscow", date(2026, 2, 10)),
        (utc(2026, 2, 10, 20, 30), "Asia/Irkutsk", date(2026, 2, 11)),
        (utc(2026, 2, 10, 20, 30), "Asia/Kamchatka", date(2026, 2, 11)),
    ],
)
def test_local_date(now: datetime, name: str, expected: date) -> None:
    assert local_date(now, validate_timezone(name)) == expected


@pytest.mark.parametrize(("name", "offset"), RUSSIAN_ZONES)
def test_at_local_time_in_russian_zones(name: str, offset: int) -> None:
    result = at_local_time(date(2026, 2, 10), time(9, 0), validate_timezone(name))
    assert result == from_fixed_local(date(2026, 2, 10), time(9, 0), offset)
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("day", "wall", "name", "expected"),
    [
        (date(2026, 3, 28), time(9), "Europe/Berlin", utc(2026, 3, 28, 8)),  # CET
        (date(2026, 3, 30), time(9), "Europe/Berlin", utc(2026, 3, 30, 7)),  # CEST
        # 02:30 does not exist on 29 March: the first valid instant after is 03:00 CEST.
        (date(2026, 3, 29), time(2, 30), "Europe/Berlin", utc(2026, 3, 29, 1)),
        # 02:30 happens twice on 25 October: the first occurrence (CEST) is taken.
        (date(2026, 10, 25), time(2, 30), "Europe/Berlin", utc(2026, 10, 25, 0, 30)),
        # Samoa skipped 30 December 2011 entirely: its first instant is 31 Dec 00:00.
        (date(2011, 12, 30), time(9), "Pacific/Apia", utc(2011, 12, 30, 10)),
    ],
)
def test_at_local_time_dst_edges(day: date, wall: time, name: str, expected: datetime) -> None:
    assert at_local_time(day, wall, ZoneInfo(name)) == expected


def test_at_local_time_rejects_datetime_and_aware_time() -> None:
    with pytest.raises(TypeError):
        at_local_time(utc(2026, 2, 10), time(9), MOSCOW)
    with pytest.raises(ValueError, match="wall-clock"):
        at_local_time(date(2026, 2, 10), time(9, tzinfo=UTC), MOSCOW)


# ----------------------------------------------------------------------------- occurrences

DIGEST = time(9, 0)


@pytest.mark.parametrize(
    ("now", "name", "expected"),
    [
        # Friday 16 Jan 2026, 10:00 MSK: today's digest is gone, the weekend is skipped.
        (utc(2026, 1, 16, 7), "Europe/Moscow", utc(2026, 1, 19, 6)),
        # Exactly at 09:00 MSK on a business day: ">= now", so now.
        (utc(2026, 1, 16, 6), "Europe/Moscow", utc(2026, 1, 16, 6)),
        (utc(2026, 1, 16, 5, 59), "Europe/Moscow", utc(2026, 1, 16, 6)),
        # Across the New Year holidays: 30 Dec 2025 10:00 MSK -> Monday 12 Jan 2026.
        (utc(2025, 12, 30, 7), "Europe/Moscow", utc(2026, 1, 12, 6)),
        (utc(2026, 1, 3, 12), "Europe/Moscow", utc(2026, 1, 12, 6)),
        # A transferred working Saturday gets its digest.
        (utc(2025, 10, 31, 7), "Europe/Moscow", utc(2025, 11, 1, 6)),
        # ... and the days off after it do not.
        (utc(2025, 11, 1, 7), "Europe/Moscow", utc(2025, 11, 5, 6)),
        # The business day is the user's local date: Monday 09:00 in Kamchatka is
        # Sunday 21:00 UTC.
        (utc(2026, 1, 16, 7), "Asia/Kamchatka", utc(2026, 1, 18, 21)),
        (utc(2026, 1, 16, 7, 1), "Europe/Kaliningrad", utc(2026, 1, 19, 7)),  # 09:01 local
    ],
)
def test_next_local_occurrence_on_business_days(
    ru: BusinessCalendar, now: datetime, name: str, expected: datetime
) -> None:
    result = next_local_occurrence(now, validate_timezone(name), DIGEST, calendar=ru)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 1, 16, 7), utc(2026, 1, 17, 6)),  # Saturday is fine without a calendar
        (utc(2026, 1, 1, 5), utc(2026, 1, 1, 6)),
        (utc(2026, 1, 1, 6, 0, 1), utc(2026, 1, 2, 6)),
    ],
)
def test_next_local_occurrence_without_calendar(now: datetime, expected: datetime) -> None:
    assert next_local_occurrence(now, MOSCOW, DIGEST) == expected


@pytest.mark.parametrize(
    ("now", "wall", "expected"),
    [
        # 02:30 does not exist on 29 March 2026 in Berlin: fire at the transition.
        (utc(2026, 3, 28, 12), time(2, 30), utc(2026, 3, 29, 1)),
        # After the first 02:30 of 25 October the repeated one is skipped: once a day.
        (utc(2026, 10, 25, 0, 45), time(2, 30), utc(2026, 10, 26, 1, 30)),
        (utc(2026, 10, 24, 12), time(2, 30), utc(2026, 10, 25, 0, 30)),
        # 09:00 jumps from 08:00 UTC to 07:00 UTC over the spring weekend.
        (utc(2026, 3, 28, 12), DIGEST, utc(2026, 3, 29, 7)),
    ],
)
def test_next_local_occurrence_across_dst(now: datetime, wall: time, expected: datetime) -> None:
    assert next_local_occurrence(now, BERLIN, wall) == expected


def test_next_local_occurrence_gives_up_on_a_closed_calendar() -> None:
    start = date(2026, 1, 1)
    closed = BusinessCalendar(
        overrides={start + timedelta(days=i): False for i in range(MAX_SEARCH_DAYS + 10)}
    )
    with pytest.raises(NoBusinessDayError):
        next_local_occurrence(utc(2026, 1, 1, 12), MOSCOW, DIGEST, calendar=closed)


def _user_in(zone: str) -> UserDTO:
    return UserDTO(
        id=1,
        telegram_id=1,
        role=Role.MANAGER,
        full_name="M",
        username=None,
        language="ru",
        timezone=zone,
        digest_hour=9,
        supervisor_id=None,
        erp_name=None,
        is_active=True,
        unreachable_since=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_user_today_is_the_date_in_the_users_own_zone() -> None:
    late_sunday_utc = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    assert user_today(_user_in("Europe/Moscow"), late_sunday_utc) == date(2026, 11, 23)
    assert user_today(_user_in("America/Los_Angeles"), late_sunday_utc) == date(2026, 11, 22)
