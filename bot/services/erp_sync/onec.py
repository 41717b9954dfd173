"""The sync's source: 1C's standard OData interface, read with the deployment's address and
read-only login (bot/services/onec) under the business settings (price type, window)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.runtime.config import Settings
from bot.services.business_settings import BusinessSettings, load_settings
from bot.services.erp_import.validate import RowBatches
from bot.services.erp_sync.run import (
    OpenSource,
    SkippedKind,
    SourceRefused,
    SourceUnreachable,
    SyncProgress,
    SyncReport,
    SyncSource,
    run_sync,
)
from bot.services.notifications import Texts
from bot.services.onec import (
    ODataAuthError,
    ODataClient,
    ODataError,
    ODataUnreachable,
    OneCReader,
    Skip,
    choose_profile,
)
from bot.services.onec import profiles as names
from storage.engine import Database
from storage.erp_dto import DateWindow
from storage.repositories import Repos

# What each kind is read from, as /sync names it (one record per kind: order lines apart
# from their orders).
_MAIN_ENTITIES = {
    "clients": (names.CONTRACTORS,),
    "contracts": (names.CONTRACTS,),
    "orders": (names.ORDERS,),
    "order_lines": (names.ORDER_GOODS,),
    "shipments": (names.SHIPMENTS,),
    "payments": (names.BANK_RECEIPTS, names.CASH_RECEIPTS),
}


class OneCSource:
    """A reader of 1C, as the sync sees it: 1C's failures become the sync's two kinds."""

    def __init__(self, reader: OneCReader) -> None:
        self._reader = reader
        self.window: DateWindow | None = reader.window

    def entity(self, kind: str) -> str:
        if kind == "prices":
            return self._reader.profile.prices
        return ", ".join(_MAIN_ENTITIES[kind])

    def skipped(self) -> dict[str, SkippedKind]:
        return {kind: _skipped(skip) for kind, skip in self._reader.skipped.items()}

    async def load_references(self) -> None:
        with _translated():
            await self._reader.load_references()

    async def batches(self, kind: str) -> RowBatches:
        with _translated():
            async for batch in self._reader.batches(kind):
                yield batch


def _skipped(skip: Skip) -> SkippedKind:
    if skip.reason == "no_price_type":
        return SkippedKind("", {}, "no price type set", quiet=True)
    if skip.reason in ("price_type_unknown", "price_type_ambiguous"):
        detail = f"{skip.reason.replace('_', ' ')}: {skip.detail}"
        return SkippedKind(
            f"erp-sync-{skip.reason.replace('_', '-')}", {"name": skip.detail}, detail
        )
    parts = [p for p in skip.parts if p.needed] or list(skip.parts)
    missing = "; ".join(
        f"{p.tick}" + (f".{p.field}" if p.field else "") + f" («{p.title}»)" for p in parts
    )
    return SkippedKind("erp-sync-missing", {"missing": missing}, f"not published: {missing}")


@contextmanager
def _translated() -> Iterator[None]:
    """1C's errors as the sync's: unreachable (stop, tell once) or refused (skip that kind).
    A refused login is an outage too: nothing can be read until an admin fixes it."""
    try:
        yield
    except (ODataUnreachable, ODataAuthError) as exc:
        raise SourceUnreachable(exc.message) from exc
    except ODataError as exc:
        raise SourceRefused(exc.message) from exc


def onec_source(
    settings: Settings,
    business: BusinessSettings,
    *,
    full: bool,
    now: datetime,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> OpenSource:
    """The OpenSource of `run_sync` for this deployment's 1C."""
    url = settings.onec_odata_url
    if url is None:
        raise ValueError("ONEC_ODATA_URL is not set")
    password = settings.onec_odata_password
    price_type = business["erp_sync_price_type"]

    @asynccontextmanager
    async def opened() -> AsyncIterator[SyncSource]:
        async with ODataClient(
            url,
            settings.onec_odata_user,
            password.get_secret_value() if password else None,
            timeout=settings.onec_odata_timeout,
            attempts=settings.onec_odata_attempts,
            sleep=sleep,
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
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> SyncReport:
    """One sync of this deployment's 1C, now. `sleep`: the wait between retries (tests
    pass one that does not wait)."""
    async with database.read() as session:
        business = await load_settings(Repos(session))
    return await run_sync(
        database,
        onec_source(settings, business, full=full, now=now, sleep=sleep),
        now=now,
        texts=texts,
        only=only,
        progress=progress,
    )
