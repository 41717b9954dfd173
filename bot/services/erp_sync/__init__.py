"""The live ERP sync: 1C's standard OData interface read on a schedule (schedule.py) and
imported through the file importer's path, kind by kind (run.py)."""

from bot.services.erp_sync.run import (
    SYNC_KINDS,
    KindResult,
    SourceRefused,
    SourceUnreachable,
    SyncReport,
    SyncSource,
    run_sync,
)
from bot.services.erp_sync.schedule import SyncSchedule

__all__ = [
    "SYNC_KINDS",
    "KindResult",
    "SourceRefused",
    "SourceUnreachable",
    "SyncReport",
    "SyncSchedule",
    "SyncSource",
    "run_sync",
]
