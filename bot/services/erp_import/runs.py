"""An import from start to end: one at a time (a unique `active` mark on the run, across
processes), read and validated, prepared, switched; a run killed mid-way (kill -9, a crash,
a power cut) is found by its old heartbeat, cleared, and the admins are told."""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from bot.services.business_settings import load_settings
from bot.services.erp_files import ErpFileError
from bot.services.erp_import.prepare import (
    PREPARED,
    prepare_clients,
    prepare_documents,
    prepare_plans,
    prepare_prices,
)
from bot.services.erp_import.summary import BATCH, ImportSummary, Progress
from bot.services.erp_import.switch import switch_file
from bot.services.erp_import.validate import KINDS, RowBatches, file_batches, stage_rows
from bot.services.notifications import Texts, admins, notify_user
from storage.engine import Database
from storage.erp_dto import DateWindow
from storage.repositories import Repos

logger = logging.getLogger(__name__)
# A run whose heartbeat (touched by every batch, a fraction of a second apart) is this old
# was killed: it is cleared as abandoned. Generous, so a slow disk never clears a live run.
ABANDON_AFTER = timedelta(minutes=5)
# Told of every run's end: its kind, and its final summary when applied (None: failed).
ImportObserver = Callable[[str, ImportSummary | None], None]
# By database, not one for the process: each App (tests build many) observes its own; the
# callers of run_import (the chat, the HTTP API, 1C syncs, bank statements, the command
# line) need not pass anything along.
_observers: weakref.WeakKeyDictionary[Database, ImportObserver] = weakref.WeakKeyDictionary()


def observe_imports(database: Database, observer: ImportObserver) -> None:
    """Call `observer` at the end of each run on `database` (the App's metrics)."""
    _observers[database] = observer


def _finished(database: Database, kind: str, summary: ImportSummary | None) -> None:
    observer = _observers.get(database)
    if observer is None:
        return
    try:
        observer(kind, summary)
    except Exception:  # counting must never fail the import it counts
        logger.exception("import observer failed")


async def run_import(
    database: Database,
    kind: str,
    source: Path | RowBatches,
    *,
    file_name: str,
    snapshot: bool,
    window: DateWindow | None = None,
    actor_id: int | None,
    now: datetime,
    texts: Texts,
    progress: Progress | None = None,
    max_bytes: int = 20 * 1024 * 1024,
) -> ImportSummary:
    """Import `source` (an export file, or rows from 1C's OData interface, a bank statement
    or the HTTP API) as one run: validated, prepared, switched, or nothing of it. A snapshot
    removes what is stored and absent from the source; with a `window`, only documents
    dated within it (a sync reads the last weeks of documents, not all of them)."""
    if kind not in KINDS:
        raise ErpFileError("import-error-kind", kind=kind)
    # A run killed earlier would hold the one-import guard for ever: cleared first.
    await clear_abandoned_imports(database, now=now, texts=texts)
    started = time.monotonic()

    def beat() -> datetime:
        # The import's own moment plus the time it has run: `now` is injected (tests
        # freeze it), the heartbeat must still move as the import does.
        return now + timedelta(seconds=time.monotonic() - started)

    async with database.transaction() as session:
        repo = Repos(session).imports
        run_id = await repo.start_run(kind, file_name, snapshot, actor_id, now)
        active = await repo.active_run() if run_id is None else None
    if run_id is None:
        raise ErpFileError(
            "import-error-busy",
            kind=active.kind if active else "",
            file=active.file_name if active else "",
        )
    batches = (
        file_batches(source, kind, max_bytes=max_bytes) if isinstance(source, Path) else source
    )
    try:
        summary = await stage_rows(
            database, kind, batches, run_id=run_id, progress=progress, beat=beat
        )
        if kind in PREPARED:
            await prepare_documents(
                database,
                kind,
                run_id,
                summary,
                snapshot=snapshot,
                window=window,
                now=now,
                beat=beat,
            )
        elif kind == "clients":
            await prepare_clients(database, run_id, summary, snapshot=snapshot, now=now, beat=beat)
        elif kind == "prices":
            await prepare_prices(database, run_id, summary, snapshot=snapshot, now=now, beat=beat)
        else:
            await prepare_plans(database, run_id, summary, now=now, beat=beat)
        await switch_file(database, kind, run_id, summary, actor_id=actor_id, now=now, texts=texts)
        _finished(database, kind, summary)  # applied: the summary is final
    except BaseException:
        _finished(database, kind, None)
        async with database.transaction() as session:
            await Repos(session).imports.finish_run(run_id, "failed", {}, now)
        raise
    finally:
        await drop_run_rows(database, run_id)
    return summary


async def drop_run_rows(database: Database, run_id: int) -> int:
    """Delete a finished run's staged and pending rows, a batch per short transaction."""
    dropped = 0
    while True:
        async with database.transaction() as session:
            removed = await Repos(session).imports.drop_batch(run_id, BATCH * 5)
        if not removed:
            return dropped
        dropped += removed


async def clear_abandoned_imports(database: Database, *, now: datetime, texts: Texts) -> int:
    """Runs whose heartbeat stopped over ABANDON_AFTER ago (killed, or left by a crash) are
    marked abandoned, the admins told in their language (through the outbox, in the same
    transaction), and their staged and pending rows deleted in batches. Safe with several
    processes: a live run beats every batch, and marking is conditional on it being
    unfinished. Returns how many runs were abandoned now."""
    async with database.transaction() as session:
        repos = Repos(session)
        repo = Repos(session).imports
        stale = await repo.stale_runs(now - ABANDON_AFTER)
        abandoned = []
        settings = await load_settings(repos) if stale else None
        recipients = await admins(repos) if stale else []
        for run in stale:
            if settings is None or not await repo.abandon_run(run.id, now):
                continue
            abandoned.append(run.id)
            logger.warning(
                "import run %s (%s, %s) abandoned: no heartbeat", run.id, run.kind, run.file_name
            )
            for admin in recipients:
                await notify_user(
                    repos,
                    admin,
                    kind="import_abandoned",
                    subject=f"run:{run.id}",
                    text=texts.get(admin.language)(
                        "import-abandoned", kind=run.kind, file=run.file_name
                    ),
                    now=now,
                    quiet=settings.quiet_hours,
                    once=True,
                )
        leftovers = await repo.leftover_runs()
    for run_id in leftovers:
        await drop_run_rows(database, run_id)
    return len(abandoned)
