"""What a manager types for a date: "25.12", "завтра 10:00", "+2н", "пт 11:00".

Everything is relative to the *user's* local date: at 01:30 in Moscow "завтра" is the
day after the Moscow date, even though it is still the previous day in UTC. So every
function takes ``now`` (an aware instant) and ``tz`` (the user's zone) and converts
with ``bot.services.local_time`` rather than looking at ``now.date()``.

Accepted forms (case-insensitive, ``ё`` = ``е``, surrounding spaces ignored):

* ``25.12`` / ``25/12`` (the next 25 December that is today or later),
  ``25.12.2026``, ``25.12.26``, ``25/12/2026``, ``2026-12-25``;
* ``сегодня``/``today``, ``завтра``/``tomorrow``, ``послезавтра``/``day after tomorrow``;
* ``+3`` (days), ``+3д``/``+3d``, ``+2н``/``+2w`` (weeks), also spelled out
  (``+3 дня``, ``+2 weeks``);
* weekdays (``пт``, ``пятница``, ``пятницу``, ``в пятницу``, ``fri``, ``friday``,
  ``on friday``): the next such day strictly after today;
* any of the above followed by a time ``H:MM`` or ``HH:MM``, optionally joined by
  ``в``/``at`` (``завтра в 10:00``, ``tomorrow at 9:30``).

A time on its own ("14:30") is *not* a date: in free text (see ``quick_log``) it is far
more often part of the sentence than a deadline, and "today" is easy to type.

Errors are ``DateParseError`` whose ``reason`` is a translation key, so the handler can
show the user a message in their language without inspecting the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services import formatting
from bot.services.business_calendar import BusinessCalendar
from bot.services.local_time import at_local_time, local_date

__all__ = [
    "REASON_FORMAT",
    "REASON_INVALID",
    "REASON_PAST",
    "REASON_TIME",
    "DateParseError",
    "When",
    "format_when",
    "on_business_day",
    "parse_when",
    "validate_next_step",
]

# Translation keys carried by DateParseError.reason.
REASON_FORMAT = "date-error-format"  # we cannot read it at all
REASON_INVALID = "date-error-invalid"  # it reads as a date that does not exist (31.02)
REASON_TIME = "date-error-time"  # the time part does not exist (25:61)
REASON_PAST = "date-error-past"  # a next step that lies in the past

# Nobody types a date longer than this; refusing early keeps regexes and int() cheap
# on whatever a user pastes into the chat.
_MAX_INPUT = 64

# A date without a year rolls forward to the first year in which it exists and is not
# in the past. Eight years covers 29.02 across a non-leap century year (2096 -> 2104).
_YEAR_SEARCH = 8


class DateParseError(ValueError):
    """The text is not a usable date; ``reason`` is a translation key."""

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(f"{reason}: {text!r}" if text else reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class When:
    """A local calendar date and an optional local wall-clock time.

    Kept as the user's own date and clock time (not an instant) because that is what
    they meant: "25.12 14:30" stays 14:30 on their clock even if they later move zones
    or the zone changes its offset. ``instant`` gives the UTC moment when it is needed.
    """

    day: date
    at: time | None = None
    # Counted from today ("+2", "завтра", the +3 days button) rather than named ("25.12",
    # "пт", a calendar day): such a date may land on a day off nobody chose.
    relative: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        # datetime is a date subclass and would silently carry a second, conflicting
        # time; a tz-aware time would conflict with the zone passed to instant().
        if isinstance(self.day, datetime):
            raise TypeError("When.day must be a date, not a datetime")
        if self.at is not None and self.at.tzinfo is not None:
            raise ValueError("When.at must be a wall-clock time without tzinfo")

    def instant(self, tz: ZoneInfo) -> datetime | None:
        """The aware UTC moment of ``day`` + ``at`` on the clock of ``tz``, or None when
        no time was given (a whole day has no single moment)."""
        if self.at is None:
            return None
        return at_local_time(self.day, self.at, tz)


# ---------------------------------------------------------------------------- vocabulary

_RELATIVE_DAYS: dict[str, int] = {
    "сегодня": 0,
    "today": 0,
    "завтра": 1,
    "tomorrow": 1,
    "послезавтра": 2,
    "day after tomorrow": 2,
}

_WEEKDAY_NAMES: tuple[tuple[str, ...], ...] = (  # Monday first, as date.weekday()
    ("пн", "понедельник", "mon", "monday"),
    ("вт", "вторник", "tue", "tues", "tuesday"),
    ("ср", "среда", "среду", "wed", "weds", "wednesday"),
    ("чт", "четверг", "thu", "thur", "thurs", "thursday"),
    ("пт", "пятница", "пятницу", "fri", "friday"),
    ("сб", "суббота", "субботу", "sat", "saturday"),
    ("вс", "воскресенье", "sun", "sunday"),
)
_WEEKDAYS: dict[str, int] = {
    name: index for index, names in enumerate(_WEEKDAY_NAMES) for name in names
}

# Prepositions people put before a weekday ("в пятницу", "во вторник", "on friday").
_WEEKDAY_PREPOSITIONS = frozenset({"в", "во", "on"})
# Words people put between a date and a time ("завтра в 10:00", "tomorrow at 9:30").
_TIME_PREPOSITIONS = frozenset({"в", "at"})

# Units after "+N": days by default, as the bare "+3" means.
_UNIT_DAYS: dict[str, int] = {
    "": 1,
    "д": 1,
    "дн": 1,
    "день": 1,
    "дня": 1,
    "дней": 1,
    "d": 1,
    "day": 1,
    "days": 1,
    "н": 7,
    "нед": 7,
    "неделя": 7,
    "неделю": 7,
    "недели": 7,
    "недель": 7,
    "w": 7,
    "wk": 7,
    "week": 7,
    "weeks": 7,
}

# [0-9] rather than \d: \d also matches Arabic-Indic and other digits, which int()
# would happily accept and the user certainly did not mean.
_TIME_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_DAY_MONTH_RE = re.compile(r"([0-9]{1,2})([./])([0-9]{1,2})")
# The backreference forbids mixed separators such as "25.12/2026".
_DAY_MONTH_YEAR_RE = re.compile(r"([0-9]{1,2})([./])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_OFFSET_RE = re.compile(r"\+\s?([0-9]{1,5})\s?([^\s0-9]*)")


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _normalize(text: str) -> str:
    # Case and ё are irrelevant; commas ("завтра, 10:00") and a final full stop
    # ("до 25.12.") are punctuation of the sentence, not of the date.
    lowered = text.casefold().replace("ё", "е").replace(",", " ")
    return " ".join(lowered.split()).rstrip(".").strip()


def _split_time(normalized: str) -> tuple[str, time | None]:
    """Split a trailing H:MM off the text; validate it."""
    head, _, last = normalized.rpartition(" ")
    match = _TIME_RE.fullmatch(last)
    if not head or match is None:
        # No time, or a time with nothing before it (a bare "14:30" is not accepted).
        return normalized, None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise DateParseError(REASON_TIME, last)
    head = head.rstrip(".")
    words = head.split(" ")
    if len(words) > 1 and words[-1] in _TIME_PREPOSITIONS:
        head = " ".join(words[:-1]).rstrip(".")
    return head, time(hour, minute)


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(REASON_INVALID, text) from None


def _next_yearless(today: date, month: int, day: int, text: str) -> date:
    """The first date with this day and month that is today or later."""
    for year in range(today.year, min(today.year + _YEAR_SEARCH, date.max.year) + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29.02 in a non-leap year: try the next one
        if candidate >= today:
            return candidate
    raise DateParseError(REASON_INVALID, text)


def _add_days(today: date, days: int, text: str) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        raise DateParseError(REASON_INVALID, text) from None


def _is_relative(part: str) -> bool:
    return (part in _RELATIVE_DAYS and _RELATIVE_DAYS[part] > 0) or bool(
        _OFFSET_RE.fullmatch(part)
    )


def _parse_day(part: str, today: date) -> date:
    """The date of the (normalised, time-less) text, relative to ``today``."""
    if part in _RELATIVE_DAYS:
        return _add_days(today, _RELATIVE_DAYS[part], part)

    words = part.split(" ")
    if len(words) == 2 and words[0] in _WEEKDAY_PREPOSITIONS:
        words = words[1:]
    if len(words) == 1 and words[0] in _WEEKDAYS:
        # 1..7 days ahead: "пт" typed on a Friday means next Friday, not today.
        ahead = (_WEEKDAYS[words[0]] - today.weekday() - 1) % 7 + 1
        return _add_days(today, ahead, part)

    if match := _OFFSET_RE.fullmatch(part):
        unit = _UNIT_DAYS.get(match[2])
        if unit is None:
            raise DateParseError(REASON_FORMAT, part)
        return _add_days(today, int(match[1]) * unit, part)

    if match := _DAY_MONTH_RE.fullmatch(part):
        return _next_yearless(today, int(match[3]), int(match[1]), part)

    if match := _DAY_MONTH_YEAR_RE.fullmatch(part):
        year_text = match[4]
        # Two-digit years are this century's: nobody plans next steps for 1926.
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return _make_date(year, int(match[3]), int(match[1]), part)

    if match := _ISO_RE.fullmatch(part):
        return _make_date(int(match[1]), int(match[2]), int(match[3]), part)

    raise DateParseError(REASON_FORMAT, part)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> When:
    """Parse what a user typed for a date (and optional time); see the module docstring.

    ``now`` must be aware; relative forms count from its local date in ``tz``. Raises
    DateParseError with reason ``date-error-format``, ``date-error-invalid`` or
    ``date-error-time``. The result is not checked against the past: an explicit
    "25.12.2020" parses, ``validate_next_step`` decides whether that is acceptable.
    """
    _require_aware(now, "now")
    if len(text) > _MAX_INPUT:
        raise DateParseError(REASON_FORMAT, text[:_MAX_INPUT])
    normalized = _normalize(text)
    if not normalized:
        raise DateParseError(REASON_FORMAT, text)
    part, at = _split_time(normalized)
    day = _parse_day(part, local_date(now, tz))
    return When(day, at, relative=_is_relative(part))


def on_business_day(when: When, calendar: BusinessCalendar) -> When:
    """A next step counted from today ("+2", "завтра") that lands on a day off moves to the
    next business day of the company calendar, as a manager counting "in two days" means
    working days; a day the manager named ("сб", "05.12", a calendar pick) is kept."""
    if not when.relative or calendar.is_business_day(when.day):
        return when
    return replace(when, day=calendar.next_business_day(when.day))


def validate_next_step(when: When, *, now: datetime, tz: ZoneInfo) -> None:
    """Reject a next step that already lies in the past for the user.

    A day before the user's local today is past; today without a time is fine (the
    step is due today); today with a time is past once that moment has gone by. The
    time is compared as an instant, so DST gaps and overlaps are handled by zoneinfo.
    """
    _require_aware(now, "now")
    today = local_date(now, tz)
    if when.day < today:
        raise DateParseError(REASON_PAST, format_when(when, "en"))
    if when.day == today:
        moment = when.instant(tz)
        if moment is not None and moment < now:
            raise DateParseError(REASON_PAST, format_when(when, "en"))


def format_when(when: When, language: str) -> str:
    """``25.12.2026`` or ``25.12.2026 14:30``.

    The DD.MM.YYYY form reads naturally in Russian and unambiguously enough in English
    for our users, and it is what ``parse_when`` accepts back, so it is used for both
    languages (bot.services.formatting.day).
    """
    text = formatting.day(when.day, language)
    if when.at is not None:
        text += f" {when.at.hour:02d}:{when.at.minute:02d}"
    return text


def parse_future_when(text: str, *, now: datetime, tz: ZoneInfo) -> When:
    """What a person typed for a next step or a close date: parsed, and not in the past."""
    when = parse_when(text, now=now, tz=tz)
    validate_next_step(when, now=now, tz=tz)
    return when
