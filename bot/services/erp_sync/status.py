"""What `/sync` shows: per ERP entity what the last run did, 1C's own state, the next run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.business_settings import BusinessSettings, load_settings
from bot.services.erp_sync.schedule import SyncSchedule
from storage.erp_dto import SyncEntityState
from storage.erp_sync import SERVICE
from storage.repositories import Repos


@dataclass(frozen=True, slots=True)
class SyncStatus:
    entities: list[SyncEntityState]
    # Set while 1C cannot be reached: why, and when it last answered.
    unreachable_reason: str | None
    last_answer: datetime | None
    last_run: datetime | None
    next_run: datetime


def schedule_of(business: BusinessSettings, zone: str) -> SyncSchedule:
    return SyncSchedule(
        every=timedelta(minutes=int(business["erp_sync_minutes"])),
        idle=timedelta(minutes=int(business["erp_sync_idle_minutes"])),
        hours=business["erp_sync_hours"],
        calendar=business.business_calendar(),
        zone=ZoneInfo(zone),
    )


async def sync_status(repos: Repos, *, zone: str, now: datetime) -> SyncStatus:
    business = await load_settings(repos)
    states = await repos.erp_sync.states()
    service = next((s for s in states if s.entity == SERVICE), None)
    last_run = service.last_run_at if service else None
    return SyncStatus(
        entities=[s for s in states if s.entity != SERVICE],
        unreachable_reason=service.error if service else None,
        last_answer=service.last_success_at if service else None,
        last_run=last_run,
        next_run=schedule_of(business, zone).next_run(last_run, now),
    )
