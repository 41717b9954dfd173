"""When the live ERP sync runs: every `every` within the working hours of business days
(company time: the documents people post in 1C during the day should reach the morning's
and the afternoon's screens within minutes), every `idle` otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.business_calendar import BusinessCalendar
from bot.services.local_time import QuietHours


@dataclass(frozen=True, slots=True)
class SyncSchedule:
    every: timedelta
    idle: timedelta
    # The working window, [start, end) local time; kept as a QuietHours-shaped range.
    hours: QuietHours
    calendar: BusinessCalendar
    zone: ZoneInfo

    def interval_at(self, moment: datetime) -> timedelta:
        local = moment.astimezone(self.zone)
        working = self.calendar.is_business_day(local.date()) and self.hours.contains(
            local.time().replace(tzinfo=None)
        )
        return self.every if working else self.idle

    def next_run(self, last_run: datetime | None, now: datetime) -> datetime:
        """The moment the next sync is due: at once if it never ran. The interval is the
        one in force at the last run, but a sync idling through the night is brought
        forward to the start of the working day, so 07:00 never waits for an hourly beat."""
        if last_run is None:
            return now
        due = last_run + self.interval_at(last_run)
        opening = self._next_opening(last_run)
        return min(due, opening) if opening > last_run else due

    def due(self, last_run: datetime | None, now: datetime) -> bool:
        return self.next_run(last_run, now) <= now

    def _next_opening(self, after: datetime) -> datetime:
        """The next start of working hours on a business day after `after`."""
        local = after.astimezone(self.zone)
        day = local.date()
        for _ in range(30):
            start = datetime.combine(day, self.hours.start, self.zone)
            if self.calendar.is_business_day(day) and start > local:
                return start.astimezone(after.tzinfo)
            day += timedelta(days=1)
        return after + self.idle
