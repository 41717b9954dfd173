"""One live sync: every kind of ERP data read from the source (1C's OData interface) and
imported through the file importer's own path (validated, prepared, switched in one
transaction), kind by kind in the order rows refer to each other. A kind that fails changes
nothing of itself and leaves the others alone; 1C unreachable stops the run, keeps what the
bot has, and tells the admins once per outage."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol

from bot.services.business_settings import load_settings
from bot.services.erp_files import ErpFileError
from bot.services.erp_import import ImportSummary, run_import
from bot.services.erp_import.validate import RowBatches
from bot.services.notifications import Texts, admins, notify_user
from storage.engine import Database
from storage.erp_dto import DateWindow
from storage.repositories import Repos

logger = logging.getLogger(__name__)

# In the order rows refer to what came before, as a file import asks for.
SYNC_KINDS = ("clients", "contracts", "orders", "order_lines", "shipments", "payments", "prices")
# Documents are re-read over a window of days (1C documents are changed and re-posted after
# the fact): what is stored, dated within it and absent from 1C was unposted or deleted.
WINDOWED = frozenset({"orders", "order_lines", "shipments", "payments"})


class SourceUnreachable(Exception):
    """The ERP cannot be reached (network, timeouts, 5xx after retries): nothing changes."""


class UnknownEntity(ValueError):
    """`--entity` names neither a kind nor an entity the sync reads."""


class SourceRefused(Exception):
    """The ERP refused a request (a 4xx, an error body): that entity is skipped."""


class SkippedKind(NamedTuple):
    """A kind the source cannot read: the admins' message (a translation key and its
    arguments), and what `/sync` keeps of it (`detail`, in the ERP's own words). `quiet`: by
    choice (no price type set), so nobody is told."""

    key: str
    args: dict[str, str]
    detail: str
    quiet: bool = False


class SyncSource(Protocol):
    """What the sync reads from: 1C's OData interface (bot/services/erp_sync/onec.py)."""

    window: DateWindow | None

    def entity(self, kind: str) -> str:
        """The ERP's own name(s) of what `kind` is read from, as admins know them."""

    def skipped(self) -> dict[str, SkippedKind]:
        """Kinds that cannot be read (known once `load_references` has run), and why."""

    async def load_references(self) -> None: ...

    def batches(self, kind: str) -> RowBatches: ...


OpenSource = Callable[[], AbstractAsyncContextManager[SyncSource]]
SyncProgress = Callable[[str, int], Awaitable[None]]


@dataclass(slots=True)
class KindResult:
    kind: str
    entity: str
    read: int = 0
    changed: int = 0
    rejected: int = 0
    error: str | None = None
    summary: ImportSummary | None = None


@dataclass(slots=True)
class SyncReport:
    results: list[KindResult] = field(default_factory=list)
    # Set when the ERP could not be reached: the run stopped there, nothing else changed.
    unreachable: str | None = None

    @property
    def changed(self) -> int:
        return sum(r.changed for r in self.results)

    @property
    def failed(self) -> bool:
        return self.unreachable is not None or any(r.error for r in self.results)


async def run_sync(
    database: Database,
    open_source: OpenSource,
    *,
    now: datetime,
    texts: Texts,
    only: str | None = None,
    progress: SyncProgress | None = None,
) -> SyncReport:
    """`only`: one kind (`shipments`) or one 1C entity (`Document_РеализацияТоваровУслуг`)."""
    report = SyncReport()
    try:
        async with open_source() as source:
            kinds: tuple[str, ...] = SYNC_KINDS
            if only is not None:
                kinds = tuple(k for k in SYNC_KINDS if only == k or only in _names(source, k))
                if not kinds:
                    raise UnknownEntity(only)
            await source.load_references()
            missing = source.skipped()
            for kind in kinds:
                result = KindResult(kind, source.entity(kind))
                report.results.append(result)
                if kind in missing:
                    skip = missing[kind]
                    if skip.quiet:
                        report.results.remove(result)
                    else:
                        result.error = skip.detail
                        await _tell_admins_once(database, result, skip, now=now, texts=texts)
                    continue
                try:
                    await _sync_kind(
                        database, source, result, now=now, texts=texts, progress=progress
                    )
                except SourceUnreachable as exc:
                    result.error = report.unreachable = str(exc) or type(exc).__name__
                    break
                except SourceRefused as exc:
                    result.error = str(exc)
                    logger.warning("sync %s (%s) refused: %s", kind, result.entity, exc)
                    # 1C's own words, once per kind and message: the next runs meet it too.
                    refused = SkippedKind(
                        "erp-sync-refused",
                        {"entity": result.entity, "error": str(exc)[:500]},
                        f"refused: {exc}",
                    )
                    await _tell_admins_once(database, result, refused, now=now, texts=texts)
                except ErpFileError as exc:
                    # Another import (a file sent meanwhile) holds the one-import guard: the
                    # rest waits for the next run.
                    result.error = texts.get(None)(exc.reason, **exc.details)
                    break
                except Exception as exc:
                    # A fault of ours (the import rolled back): recorded, so the run counts
                    # and the schedule goes on instead of retrying every minute.
                    logger.exception("sync of %s (%s) failed", kind, result.entity)
                    result.error = f"unexpected error: {type(exc).__name__}"
                    break
    except SourceUnreachable as exc:
        report.unreachable = str(exc) or type(exc).__name__
    await _record(database, report, now=now, texts=texts)
    return report


def _names(source: SyncSource, kind: str) -> list[str]:
    return [name.strip() for name in source.entity(kind).split(",")]


async def _sync_kind(
    database: Database,
    source: SyncSource,
    result: KindResult,
    *,
    now: datetime,
    texts: Texts,
    progress: SyncProgress | None,
) -> None:
    kind = result.kind

    async def counted(read: int) -> None:
        if progress is not None:
            await progress(kind, read)

    summary = await run_import(
        database,
        kind,
        source.batches(kind),
        file_name=f"1C: {result.entity}"[:256],
        # Catalogs are read whole, documents over the window: either way what is stored
        # (within the window) and absent from 1C is removed, as a snapshot file removes it.
        snapshot=True,
        window=source.window if kind in WINDOWED else None,
        actor_id=None,
        now=now,
        texts=texts,
        progress=counted,
    )
    result.summary = summary
    result.read = summary.read
    result.changed = summary.inserted + summary.updated + summary.removed
    result.rejected = len(summary.rejected)


async def _record(database: Database, report: SyncReport, *, now: datetime, texts: Texts) -> None:
    async with database.transaction() as session:
        repos = Repos(session)
        for result in report.results:
            await repos.erp_sync.record(
                result.entity,
                result.kind,
                at=now,
                read=result.read,
                changed=result.changed,
                rejected=result.rejected,
                error=result.error,
            )
        if report.unreachable is not None:
            if await repos.erp_sync.mark_unreachable(report.unreachable, now):
                await _tell_admins(
                    repos, "erp-sync-unreachable", now=now, texts=texts, reason=report.unreachable
                )
        elif await repos.erp_sync.mark_reachable(now):
            await _tell_admins(repos, "erp-sync-back", now=now, texts=texts)


async def _tell_admins(
    repos: Repos,
    key: str,
    *,
    now: datetime,
    texts: Texts,
    outbox_kind: str = "erp_sync",
    subject: str | None = None,
    once: bool = False,
    kind: str | None = None,
    **args: object,
) -> None:
    """Every admin, in their language (`kind`: the import kind the text names, as `$kind`
    in that language). With `once`, one message ever per subject (the outbox's key)."""
    settings = await load_settings(repos)
    for admin in await admins(repos):
        l10n = texts.get(admin.language)
        await notify_user(
            repos,
            admin,
            kind=outbox_kind,
            subject=subject or f"{key}:{now.isoformat()}",
            text=l10n(key, **args, **({"kind": l10n(f"import-kind-{kind}")} if kind else {})),
            now=now,
            quiet=settings.quiet_hours,
            once=once,
        )


async def _tell_admins_once(
    database: Database, result: KindResult, skip: SkippedKind, *, now: datetime, texts: Texts
) -> None:
    """Once per kind and reason: not every 15 minutes."""
    async with database.transaction() as session:
        await _tell_admins(
            Repos(session),
            skip.key,
            now=now,
            texts=texts,
            outbox_kind="erp_sync_missing",
            subject=f"missing:{result.kind}:{skip.detail}"[:200],
            once=True,
            kind=result.kind,
            **skip.args,
        )
