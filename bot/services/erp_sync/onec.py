"""The sync's source: 1C's standard OData interface, read with the deployment's address and
read-only login (bot/services/onec) under the business settings (price type, window)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from contextlib import asynccontextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.runtime.config import Settings
from bot.services.business_settings import BusinessSettings, load_settings
from bot.services.erp_import.validate import RowBatches
from bot.services.erp_sync.run import (
    SourceRefused,
    SourceUnreachable,
    SyncProgress,
    SyncReport,
    SyncSource,
    run_sync,
)
from bot.services.notifications import Texts
from storage.engine import Database
from storage.erp_dto import DateWindow
from storage.repositories import Repos


class OneCSource:
    """A reader of 1C, as the sync sees it: 1C's failures become the sync's two kinds."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self.window: DateWindow | None = reader.window

    def entity(self, kind: str) -> str:
        return self._reader.entity(kind)

    def skipped(self) -> dict[str, str]:
        return self._reader.skipped()

    async def load_references(self) -> None:
        with _translated():
            await self._reader.load_references()

    async def batches(self, kind: str) -> RowBatches:
        with _translated():
            async for batch in self._reader.batches(kind):
                yield batch


class _translated:
    """1C's errors as the sync's: unreachable (stop, tell once) or refused (skip that kind)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        from bot.services.onec.odata import ODataAuthError, ODataError, ODataUnreachable  # TEMP

        if isinstance(exc, ODataUnreachable | ODataAuthError):
            raise SourceUnreachable(exc.message) from exc
        if isinstance(exc, ODataError):
            raise SourceRefused(exc.message) from exc


def onec_source(settings: Settings, business: BusinessSettings, *, full: bool, now: datetime):  # type: ignore[no-untyped-def]
    """The OpenSource of `run_sync` for this deployment's 1C."""
    url = settings.onec_odata_url
    if url is None:
        raise ValueError("ONEC_ODATA_URL is not set")
    password = settings.onec_odata_password
    price_type = business["erp_sync_price_type"]

    @asynccontextmanager
    async def opened() -> AsyncIterator[SyncSource]:
        from bot.services.onec.odata import ODataClient  # TEMP until bot.services.onec lands
        from bot.services.onec.profiles import choose_profile
        from bot.services.onec.reading import OneCReader

        async with ODataClient(
            url,
            settings.onec_odata_user,
            password.get_secret_value() if password else None,
        ) as client:
            with _translated():
                metadata = await client.metadata()
            reader = OneCReader(
                client,
                choose_profile(metadata),
                metadata=metadata,
                price_type=None if price_type == "-" else price_type,
                today=now.astimezone(ZoneInfo(settings.default_timezone)).date(),
                look_back_days=int(business["erp_sync_look_back_days"]),
                full=full,
            )
            yield OneCSource(reader)

    return opened


async def sync_from_onec(
    database: Database,
    settings: Settings,
    *,
    now: datetime,
    texts: Texts,
    full: bool = False,
    only: str | None = None,
    progress: SyncProgress | None = None,
) -> SyncReport:
    """One sync of this deployment's 1C, now."""
    async with database.read() as session:
        business = await load_settings(Repos(session))
    return await run_sync(
        database,
        onec_source(settings, business, full=full, now=now),
        now=now,
        texts=texts,
        only=only,
        progress=progress,
    )
