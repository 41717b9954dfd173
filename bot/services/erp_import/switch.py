"""The switch: the one transaction that applies a prepared file, a few set-based statements
whatever its size, so readers see the file wholly or not at all and the bot's own writes
wait only for it. It re-checks what the chat may have changed since the preparation (a row
gone, a hand-over made in the chat: the chat wins, and the admins are told)."""

from __future__ import annotations

import time
from datetime import datetime

from bot.services.accounts import reassign_clients
from bot.services.business_settings import load_settings
from bot.services.erp_import.prepare import PREPARED
from bot.services.erp_import.summary import ImportSummary
from bot.services.import_hand_overs import NAMES_SHOWN
from bot.services.notifications import Texts, admins, notify_user
from storage.engine import Database
from storage.erp_dto import OwnerChange
from storage.repositories import Repos


class ImportAbandonedError(Exception):
    """The run was cleared as abandoned (its heartbeat stopped for too long) before its
    switch: nothing of it is applied."""


async def switch_file(
    database: Database,
    kind: str,
    run_id: int,
    summary: ImportSummary,
    *,
    actor_id: int | None,
    now: datetime,
    texts: Texts,
) -> None:
    """Apply the run's pending operations and finish the run, in one transaction; the time
    it held the write lock goes into the summary."""
    started = time.perf_counter()
    async with database.transaction() as session:
        repos = Repos(session)
        repo = Repos(session).imports
        if not await repo.pending_is_consistent(kind, run_id):
            raise RuntimeError(f"import run {run_id}: rows changed since prepared")
        if kind in PREPARED:
            await repo.switch_documents(kind, run_id, now=now)
        elif kind == "clients":
            await _switch_clients(repos, run_id, summary, now=now, texts=texts)
        elif kind == "prices":
            await repo.switch_prices(run_id, now=now)
        else:
            await repo.switch_plans(run_id, actor_id=actor_id, now=now)
        if not await repo.finish_run(run_id, "applied", summary.counts(), now):
            raise ImportAbandonedError(run_id)  # rolls the switch back
        if summary.conflicts:
            await _tell_admins_of_conflicts(repos, summary, now=now, texts=texts)
    summary.switch_seconds = time.perf_counter() - started


def owner_decisions(
    asked: list[OwnerChange],
) -> tuple[list[tuple[int, str, int | None, int]], list[str]]:
    """The owner changes a file asks for, as the clients stand at the switch. A hand-over
    made in the chat wins (the client keeps its owner, the code is reported as a conflict);
    otherwise the client moves. Returns (changes as (client id, name, owner, new owner), as
    accounts.reassign_clients takes them; conflicting codes)."""
    changes, conflicts = [], []
    for change in asked:
        if change.owner_id == change.wanted_owner_id:
            continue
        if change.owner_id is not None and change.owner_source == "chat":
            conflicts.append(change.code)
        else:
            changes.append(
                (change.client_id, change.name, change.owner_id, change.wanted_owner_id)
            )
    return changes, conflicts


async def _switch_clients(
    repos: Repos, run_id: int, summary: ImportSummary, *, now: datetime, texts: Texts
) -> None:
    switched = await repos.imports.switch_clients(run_id, now, names=NAMES_SHOWN)
    changes, summary.conflicts = owner_decisions(switched.owner_changes)
    await reassign_clients(
        repos,
        changes,
        now=now,
        texts=texts,
        source="erp",
        run_id=run_id,
        new_clients=switched.first_owners,
    )


async def _tell_admins_of_conflicts(
    repos: Repos, summary: ImportSummary, *, now: datetime, texts: Texts
) -> None:
    settings = await load_settings(repos)
    for admin in await admins(repos):
        await notify_user(
            repos,
            admin,
            kind="import_conflict",
            subject=f"{now.isoformat()}",
            text=texts.get(admin.language)(
                "import-ownership-conflict",
                count=len(summary.conflicts),
                codes=", ".join(summary.conflicts[:20]),
            ),
            now=now,
            quiet=settings.quiet_hours,
            urgent=True,
        )
