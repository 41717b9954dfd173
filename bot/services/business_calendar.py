"""The company's business days.

A business day is decided in this order (first match wins):

1. the company's own overrides (``True`` = working day, ``False`` = day off);
2. the national production calendar of the company's country, as published by the
   ``holidays`` package: a weekend day is a working day only if it is a transferred
   working day (``weekend_workdays``, e.g. the Russian working Saturday 2025-11-01),
   a weekday is a working day unless it is a public holiday or a transferred day off
   (e.g. 2026-01-09 and 2026-12-31 in Russia).

Rule 2 mirrors ``holidays.HolidayBase.is_working_day`` so that our answers agree with
the package, but we extract plain frozensets per year because the bot asks the same
questions many times a day and the holiday objects are comparatively expensive.

Everything here is pure: no I/O, no clock. Functions take ``datetime.date`` values;
a ``datetime`` is rejected on purpose (it is a subclass of ``date``, compares unequal
to any date and would silently never match a holiday) — convert it to the user's
local date first (see ``bot.services.local_time.local_date``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

import holidays

__all__ = [
    "DEFAULT_COUNTRY",
    "MAX_SEARCH_DAYS",
    "BusinessCalendar",
    "NoBusinessDayError",
    "supported_country",
]

DEFAULT_COUNTRY = "RU"

# How far we are prepared to walk looking for a business day. Ten years is far more
# than any real calendar needs (the longest Russian break is ~11 days), but it turns a
# misconfiguration (e.g. overrides that close the company forever, or a country with
# no working days) into an error instead of an endless loop.
MAX_SEARCH_DAYS = 3660

_ONE_DAY = timedelta(days=1)


def _days_of_year(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        if day == date.max:
            return  # date.max + 1 day would overflow
        day += _ONE_DAY


class NoBusinessDayError(ValueError):
    """No business day was found within ``MAX_SEARCH_DAYS`` days (or before the end of
    the representable date range). Subclasses ValueError because it always stems from
    the calendar's configuration or an absurd argument, not from a transient state."""


def _normalize_country(code: str) -> str:
    # The package's registry is keyed by upper-case ISO 3166 codes (alpha-2 and alpha-3).
    return code.strip().upper()


def supported_country(code: str) -> bool:
    """Whether the ``holidays`` package knows the country (ISO alpha-2 or alpha-3,
    case-insensitive), i.e. whether ``BusinessCalendar(country=code)`` will work."""
    normalized = _normalize_country(code)
    return bool(normalized) and normalized in holidays.list_supported_countries()


def _require_date(value: date, name: str) -> None:
    # datetime is a subclass of date, so the type checker lets it through; at runtime
    # it would compare unequal to every date in our sets and give wrong answers.
    if isinstance(value, datetime):
        raise TypeError(f"{name} must be a date, not a datetime; convert it to a local date first")


@dataclass(frozen=True, slots=True)
class _YearData:
    """The national calendar of one year, reduced to plain sets for fast lookups."""

    holidays: frozenset[date]  # public holidays and transferred days off
    weekend_workdays: frozenset[date]  # weekend days that are working days
    weekend: frozenset[date]  # every date of the year that falls on a weekend


class BusinessCalendar:
    """Business days of one country plus the company's own overrides.

    The national data is built lazily, one calendar year at a time, and cached on the
    instance, so create one calendar per company and reuse it.
    """

    __slots__ = ("_country", "_counts", "_lock", "_overrides", "_years")

    def __init__(
        self,
        country: str = DEFAULT_COUNTRY,
        overrides: Mapping[date, bool] | None = None,
    ) -> None:
        normalized = _normalize_country(country)
        # Fail at construction time, not on the first lookup deep inside a job.
        if not supported_country(normalized):
            raise ValueError(f"unsupported country code: {country!r}")
        frozen: dict[date, bool] = {}
        for day, working in (overrides or {}).items():
            _require_date(day, "override key")
            frozen[day] = bool(working)
        self._country = normalized
        # A read-only copy: the caller may keep mutating its own mapping, and a
        # calendar whose answers change underneath a running computation is a bug.
        self._overrides: Mapping[date, bool] = MappingProxyType(frozen)
        self._years: dict[int, _YearData] = {}
        # Business days per closed interval: a team's summary asks the same month's for
        # every manager (plan pace), thousands of times a run.
        self._counts: dict[tuple[date, date], int] = {}
        # Jobs may consult the calendar from worker threads; the lock only guards the
        # (rare) cache fill, so that two threads do not build the same year twice.
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"BusinessCalendar(country={self._country!r}, overrides={len(self._overrides)})"

    @property
    def country(self) -> str:
        return self._country

    @property
    def overrides(self) -> Mapping[date, bool]:
        return self._overrides

    # ------------------------------------------------------------------ national data

    def _year(self, year: int) -> _YearData:
        data = self._years.get(year)
        if data is not None:
            return data
        with self._lock:
            data = self._years.get(year)
            if data is None:
                data = self._build_year(year)
                self._years[year] = data
        return data

    def _build_year(self, year: int) -> _YearData:
        national = holidays.country_holidays(self._country, years=year)
        # Some countries' weekend depends on the date (the UAE moved from Fri+Sat to
        # Sat+Sun in 2022), so ask the package per date instead of caching weekdays.
        package_is_weekend = getattr(national, "is_weekend", None)
        weekend_days = frozenset(getattr(national, "weekend", (5, 6)))

        def is_weekend(day: date) -> bool:
            # Old package versions lack the public is_weekend(); use .weekend then.
            if callable(package_is_weekend):
                return bool(package_is_weekend(day))
            return day.weekday() in weekend_days

        # Some countries (e.g. CN) list transferred working days of other years in
        # every year's object; keep only this year's so the cache stays per-year.
        workdays = frozenset(
            d for d in getattr(national, "weekend_workdays", ()) if d.year == year
        )
        return _YearData(
            holidays=frozenset(d for d in national if d.year == year),
            weekend_workdays=workdays,
            weekend=frozenset(d for d in _days_of_year(year) if is_weekend(d)),
        )

    def _nationally_working(self, d: date) -> bool:
        data = self._year(d.year)
        if d in data.weekend:
            return d in data.weekend_workdays
        return d not in data.holidays

    # ------------------------------------------------------------------ predicates

    def is_business_day(self, d: date) -> bool:
        """Whether the company works on ``d`` (overrides first, then the national
        production calendar including transferred working Saturdays)."""
        _require_date(d, "d")
        override = self._overrides.get(d)
        if override is not None:
            return override
        return self._nationally_working(d)

    def is_holiday(self, d: date) -> bool:
        """Whether ``d`` is a holiday rather than an ordinary weekend or working day.

        True for national public holidays and transferred days off (also when they
        fall on a weekend, e.g. 8 March on a Sunday) and for the company's own days
        off; False when the company declared the day a working day, even if it is a
        national holiday. An ordinary Saturday or Sunday is not a holiday.
        """
        _require_date(d, "d")
        override = self._overrides.get(d)
        if override is not None:
            return not override
        return d in self._year(d.year).holidays

    # ------------------------------------------------------------------ navigation

    def _step_until_business(self, d: date, step: timedelta) -> date:
        """The first business day at or after ``d`` in the direction of ``step``."""
        current = d
        for _ in range(MAX_SEARCH_DAYS + 1):
            if self.is_business_day(current):
                return current
            try:
                current += step
            except OverflowError:
                break
        raise NoBusinessDayError(
            f"no business day within {MAX_SEARCH_DAYS} days of {d.isoformat()} ({self!r})"
        )

    def _shift(self, d: date, step: timedelta) -> date:
        try:
            return d + step
        except OverflowError:
            raise NoBusinessDayError(
                f"no business day beyond {d.isoformat()}: end of the date range"
            ) from None

    def next_business_day(self, d: date, *, include_today: bool = False) -> date:
        """The first business day strictly after ``d`` (or ``d`` itself if it is a
        business day and ``include_today`` is set)."""
        _require_date(d, "d")
        start = d if include_today else self._shift(d, _ONE_DAY)
        return self._step_until_business(start, _ONE_DAY)

    def previous_business_day(self, d: date, *, include_today: bool = False) -> date:
        """The last business day strictly before ``d`` (or ``d`` itself if it is a
        business day and ``include_today`` is set)."""
        _require_date(d, "d")
        start = d if include_today else self._shift(d, -_ONE_DAY)
        return self._step_until_business(start, -_ONE_DAY)

    def add_business_days(self, d: date, n: int) -> date:
        """Move ``n`` business days from ``d``.

        ``n > 0``: the n-th business day strictly after ``d`` (Friday + 1 = Monday,
        also when ``d`` itself is a holiday). ``n < 0``: the |n|-th business day
        strictly before ``d``. ``n == 0``: ``d`` if it is a business day, else the
        next one — "due today, or on the first working day after".

        This is the inverse of ``business_days_between``: for a business day ``e``,
        ``add_business_days(d, business_days_between(d, e)) == e``.
        """
        _require_date(d, "d")
        if n == 0:
            return self.next_business_day(d, include_today=True)
        current = d
        if n > 0:
            for _ in range(n):
                current = self.next_business_day(current)
        else:
            for _ in range(-n):
                current = self.previous_business_day(current)
        return current

    # ------------------------------------------------------------------ ranges

    def business_days_between(self, start: date, end: date) -> int:
        """Number of business days in the half-open interval (start, end].

        Negative (minus the count in (end, start]) when ``end < start``, so that the
        result can be fed back into ``add_business_days``. Half-open because that is
        what "in N business days" means: a task due tomorrow (a business day) is 1
        business day away, a task due today is 0.
        """
        _require_date(start, "start")
        _require_date(end, "end")
        if end < start:
            return -self.business_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_business_day(day):
                count += 1
        return count

    def count_business_days(self, start: date, end: date) -> int:
        """How many business days the closed interval [start, end] holds (0 when
        ``end < start``); remembered per interval."""
        count = self._counts.get((start, end))
        if count is None:
            count = self._counts[(start, end)] = len(self.business_days_in_range(start, end))
        return count

    def business_days_in_range(self, start: date, end: date) -> list[date]:
        """All business days in the closed interval [start, end], ascending; empty
        when ``end < start``."""
        _require_date(start, "start")
        _require_date(end, "end")
        result: list[date] = []
        day = start
        while day <= end:
            if self.is_business_day(day):
                result.append(day)
            if day == end:
                break  # avoids an overflow when end == date.max
            day += _ONE_DAY
        return result
