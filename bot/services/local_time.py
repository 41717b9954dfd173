"""Per-user local time: time zones, quiet hours and local-clock scheduling.

Conventions (why they matter for a bot that sends reminders):

* Every ``datetime`` argument must be timezone-aware; a naive one raises ValueError.
  A naive value is ambiguous (server time? UTC? user time?) and is the classic cause
  of reminders arriving an hour or a day off. Results are always aware and in UTC
  (``tzinfo=datetime.UTC``), the representation the scheduler and the database use.
* Wall-clock times (``datetime.time``) are naive by design: "08:00" means 08:00 on
  the user's own clock, whatever the date and its UTC offset.
* Quiet hours are a half-open window [start, end): a message at exactly ``end`` is
  allowed, at exactly ``start`` it is held back.
* DST: a local time that does not exist (spring forward) maps to the first valid
  instant after it, i.e. the moment of the transition; a local time that occurs twice
  (fall back) maps to its first occurrence, so a daily job fires once per local day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.services.business_calendar import MAX_SEARCH_DAYS, BusinessCalendar, NoBusinessDayError
from storage.dto import UserDTO

__all__ = [
    "DEFAULT_QUIET_HOURS",
    "QuietHours",
    "at_local_time",
    "is_quiet",
    "local_date",
    "next_local_occurrence",
    "next_send_time",
    "validate_timezone",
]

_ONE_DAY = timedelta(days=1)

# Keys that zoneinfo can load but which are not a place a user can live in:
# "localtime" is whatever the *server* is set to, "posixrules" is a tzdata
# implementation detail and "Factory" is a placeholder zone with offset 0 and
# abbreviation "-00". Accepting them would make a user's clock depend on our host.
_REJECTED_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Lower-cased name -> canonical IANA name of every zone we accept.

    ``available_timezones()`` scans the tz database on disk (tens of ms), so it is
    computed once. Looking names up in this set, rather than just calling ZoneInfo(),
    also rules out path tricks and odd files: only names the database lists pass.
    """
    return {
        name.lower(): name
        for name in available_timezones()
        if name not in _REJECTED_ZONES and not name.startswith(("posix/", "right/"))
    }


def validate_timezone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA time zone name, e.g. "Europe/Kaliningrad".

    Surrounding whitespace and letter case are forgiven ("europe/moscow" gives
    "Europe/Moscow": tzdb has no names differing only in case) because the name
    usually comes from a user typing in a chat. Raises ValueError for anything that
    is not a zone of the tz database ("", "Mars/Olympus", "../etc", "localtime").
    """
    canonical = _zone_names().get(name.strip().lower())
    if canonical is None:
        raise ValueError(f"unknown time zone: {name!r}")
    try:
        return ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # listed but unreadable
        raise ValueError(f"unknown time zone: {name!r}") from exc


def _require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")
    return value


def _require_naive_time(value: time, name: str) -> None:
    # A wall-clock time with its own tzinfo would conflict with the zone argument.
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a wall-clock time without tzinfo, got {value!r}")


def _require_date(value: date, name: str) -> None:
    # datetime is a date subclass; passing one here almost always means the caller
    # forgot to convert to the user's local date first.
    if isinstance(value, datetime):
        raise TypeError(f"{name} must be a date, not a datetime; use local_date() first")


# ---------------------------------------------------------------------------- quiet hours

_TIME_PART = r"([0-9]{1,2})(?::([0-9]{2}))?"
_RANGE_RE = re.compile(rf"^\s*{_TIME_PART}\s*[-–—]\s*{_TIME_PART}\s*$")


def _parse_clock(hours: str, minutes: str | None, text: str) -> time:
    hour = int(hours)
    minute = int(minutes) if minutes is not None else 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"invalid time in quiet hours: {text!r}")
    return time(hour, minute)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window of local wall-clock time in which the bot stays silent.

    The window is [start, end). If ``start > end`` it wraps over midnight
    (21:00-08:00); if ``start < end`` it lies within one day (13:00-14:00); if
    ``start == end`` there are no quiet hours at all.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        _require_naive_time(self.start, "start")
        _require_naive_time(self.end, "end")

    @property
    def enabled(self) -> bool:
        return self.start != self.end

    def contains(self, local: time) -> bool:
        """Whether the local wall-clock time ``local`` falls in the window."""
        # time comparisons ignore fold, so 02:30 is quiet on both passes of a
        # fall-back hour, as the user's clock suggests.
        _require_naive_time(local, "local")
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """Parse "21:00-08:00"; also "21-8", "9:30 - 18", an en or em dash.

        Raises ValueError on anything else (missing part, hour > 23, minute > 59,
        one-digit minutes, extra text).
        """
        match = _RANGE_RE.match(text)
        if match is None:
            raise ValueError(f"quiet hours must look like 21:00-08:00, got {text!r}")
        start_h, start_m, end_h, end_m = match.groups()
        return cls(_parse_clock(start_h, start_m, text), _parse_clock(end_h, end_m, text))

    def __str__(self) -> str:
        # Round-trips through parse() (seconds, which parse() never produces, are dropped).
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


DEFAULT_QUIET_HOURS = QuietHours(time(21, 0), time(8, 0))


# ---------------------------------------------------------------------------- conversions


def local_date(now_utc: datetime, tz: ZoneInfo) -> date:
    """The date on the user's wall calendar at the instant ``now_utc``."""
    return _require_aware(now_utc, "now_utc").astimezone(tz).date()


def user_today(user: UserDTO, now_utc: datetime) -> date:
    """The date on the user's own wall calendar at ``now_utc`` (their time zone)."""
    return local_date(now_utc, ZoneInfo(user.timezone))


def _wall(instant: datetime, tz: ZoneInfo) -> tuple[date, time]:
    # (date, time) tuples rather than naive datetimes: they order the same way and
    # keep naive datetimes out of this module entirely.
    local = instant.astimezone(tz)
    return local.date(), local.time().replace(fold=0)


def _instants_at(d: date, t: time, tz: ZoneInfo) -> list[datetime]:
    """All UTC instants at which the wall clock in ``tz`` shows ``t`` on ``d``,
    ascending: usually one, two in a fall-back overlap. If the wall time falls in a
    spring-forward gap (or the whole day is skipped, as in Samoa on 2011-12-30) it
    never shows; we then return the first instant after it: the transition itself.
    """
    wanted = (d, t.replace(fold=0))
    candidates = [
        datetime.combine(d, t, tzinfo=tz).replace(fold=fold).astimezone(UTC) for fold in (0, 1)
    ]
    found = sorted({c for c in candidates if _wall(c, tz) == wanted})
    if found:
        return found
    # In a gap zoneinfo resolves fold=0 / fold=1 with the offsets before / after the
    # transition, which puts the two candidates on both sides of the transition.
    # Binary-search whole seconds for the first instant whose wall clock is at or past
    # the wanted time: tz transitions happen on whole seconds, and within this window
    # (at most the size of the gap) the wall clock only moves forward.
    low = int(min(candidates).timestamp())  # wall clock before the wanted time
    high = int(max(candidates).timestamp()) + 1  # wall clock past the wanted time
    while high - low > 1:
        mid = (low + high) // 2
        if _wall(datetime.fromtimestamp(mid, UTC), tz) >= wanted:
            high = mid
        else:
            low = mid
    return [datetime.fromtimestamp(high, UTC)]


def at_local_time(d: date, t: time, tz: ZoneInfo) -> datetime:
    """The UTC instant when the wall clock in ``tz`` shows ``t`` on date ``d``.

    A non-existent local time (DST gap) gives the transition instant, the first valid
    instant after it; an ambiguous one (DST overlap) gives its first occurrence.
    """
    _require_date(d, "d")
    _require_naive_time(t, "t")
    return _instants_at(d, t, tz)[0]


# ---------------------------------------------------------------------------- quiet logic


def is_quiet(now_utc: datetime, tz: ZoneInfo, quiet: QuietHours) -> bool:
    """Whether the user's local clock is inside the quiet window at ``now_utc``."""
    _require_aware(now_utc, "now_utc")
    return quiet.contains(_wall(now_utc, tz)[1])


def next_send_time(now_utc: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """When a message due at ``now_utc`` may be delivered, as an aware UTC datetime.

    ``now_utc`` itself (converted to UTC) if it is outside quiet hours, otherwise the
    instant the current quiet window ends: the local ``quiet.end`` on the right local
    date, resolved through zoneinfo so that DST and fixed-offset zones both work. If
    ``quiet.end`` does not exist that day (spring forward) the result is the first
    valid instant after it.
    """
    now = _require_aware(now_utc, "now_utc").astimezone(UTC)
    if not is_quiet(now, tz, quiet):
        return now
    today = _wall(now, tz)[0]
    # The window ends at the first "end" on the wall clock after now. That is today's
    # end for a window within one day or in the small hours of a wrapping one, and
    # tomorrow's when a wrapping window started this evening. Rather than reasoning
    # about the cases (and about DST overlaps, where today's first 02:30 may already
    # be past while the second is not) take the earliest candidate in the future.
    # Yesterday is included for zones that once moved the clock back over midnight.
    candidates = [
        instant
        for day in (today - _ONE_DAY, today, today + _ONE_DAY)
        for instant in _instants_at(day, quiet.end, tz)
        if instant > now
    ]
    return min(candidates)


def next_local_occurrence(
    now_utc: datetime,
    tz: ZoneInfo,
    t: time,
    *,
    calendar: BusinessCalendar | None = None,
) -> datetime:
    """The first UTC instant >= ``now_utc`` when the wall clock in ``tz`` shows ``t``
    on a local date that is a business day of ``calendar`` (any date if None).

    ">=" rather than ">": if a job wakes up exactly on time it should fire now, not
    tomorrow. A scheduler computing the run after one that just fired must pass a
    later instant (e.g. the fire time plus one second) to avoid getting it back.

    Business days are judged on the user's local date (a digest at 09:00 Moscow on a
    Monday is 06:00 UTC Monday). Each local date yields at most one occurrence: in a
    fall-back overlap only the first is used, so a daily digest is not sent twice; a
    time inside a spring-forward gap fires at the transition instead.

    Raises NoBusinessDayError if the calendar has no business day within
    ``MAX_SEARCH_DAYS`` days.
    """
    _require_naive_time(t, "t")
    now = _require_aware(now_utc, "now_utc").astimezone(UTC)
    # Start a day early: in a zone that once moved its clock back over midnight the
    # previous local date's time can still lie ahead; checking one extra day is cheap.
    day = _wall(now, tz)[0] - _ONE_DAY
    for _ in range(MAX_SEARCH_DAYS + 2):
        if calendar is None or calendar.is_business_day(day):
            instant = _instants_at(day, t, tz)[0]
            if instant >= now:
                return instant
        day += _ONE_DAY
    raise NoBusinessDayError(
        f"no business day within {MAX_SEARCH_DAYS} days after {now.isoformat()} ({calendar!r})"
    )


class HourError(ValueError):
    """A typed hour of the day we cannot use; ``reason`` is a translation key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_HOUR_RE = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?")


def parse_hour(text: str) -> int:
    """An hour of the day as people type it for a daily message: "8", "08", "8:00",
    "08.00". Minutes other than :00 are refused (the digest comes on the hour) rather than
    rounded to an hour nobody chose."""
    match = _HOUR_RE.fullmatch(text.strip())
    if match is None or int(match[1]) > 23:
        raise HourError("settings-hour-invalid")
    if match[2] is not None and match[2] != "00":
        raise HourError("settings-hour-minutes")
    return int(match[1])
