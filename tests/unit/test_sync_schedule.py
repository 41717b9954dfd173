"""When the live 1C sync is due: every 15 minutes within working hours of business days
(company time), hourly otherwise, and never waiting past the opening of the working day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.services.business_calendar import BusinessCalendar
from bot.services.erp_sync import SyncSchedule
from bot.services.local_time import QuietHours

MSK = ZoneInfo("Europe/Moscow")


def schedule() -> SyncSchedule:
    return SyncSchedule(
        every=timedelta(minutes=15),
        idle=timedelta(hours=1),
        hours=QuietHours.parse("07:00-21:00"),
        calendar=BusinessCalendar("RU", {}),
        zone=MSK,
    )


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK).astimezone(UTC)


def test_never_run_is_due_at_once() -> None:
    now = msk(2026, 12, 7, 3, 0)
    assert schedule().due(None, now)
    assert schedule().next_run(None, now) == now


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        # Monday 7 December 2026, a business day: every 15 minutes in working hours.
        (msk(2026, 12, 7, 10, 0), msk(2026, 12, 7, 10, 15)),
        (msk(2026, 12, 7, 20, 50), msk(2026, 12, 7, 21, 5)),
        # After 21:00, hourly.
        (msk(2026, 12, 7, 21, 0), msk(2026, 12, 7, 22, 0)),
        # An hourly beat at 06:30 does not wait until 07:30: the day opens at 07:00.
        (msk(2026, 12, 8, 6, 30), msk(2026, 12, 8, 7, 0)),
        # Saturday 12 December: hourly all day.
        (msk(2026, 12, 12, 10, 0), msk(2026, 12, 12, 11, 0)),
        # 31 December 2026 is a day off in the Russian calendar, 11 January 2027 a working
        # day after the New Year holidays: the night before it opens at 07:00.
        (msk(2026, 12, 31, 10, 0), msk(2026, 12, 31, 11, 0)),
        (msk(2027, 1, 11, 6, 45), msk(2027, 1, 11, 7, 0)),
    ],
)
def test_next_run(last: datetime, expected: datetime) -> None:
    assert schedule().next_run(last, last) == expected
    assert not schedule().due(last, expected - timedelta(seconds=1))
    assert schedule().due(last, expected)
