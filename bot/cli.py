"""The commands of `python -m bot`, as coroutines."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import Dispatcher
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.types import WebhookInfo
from aiogram.utils.deep_linking import create_start_link

from bot.http.webhook import serve as serve_webhook
from bot.runtime.config import Settings
from bot.runtime.factory import create_app, create_bot, create_dispatcher, settle_heap
from bot.runtime.logs import redact
from bot.services.api_tokens import ApiTokenError, create_api_token, revoke_api_token
from bot.services.bank_import import BANK_KIND, BankImportSummary, import_bank_statement
from bot.services.business_settings import load_settings
from bot.services.clock import FrozenClock, system_clock
from bot.services.erp_files import ErpFileError
from bot.services.erp_import import KINDS, clear_abandoned_imports, run_import
from bot.services.erp_sync import SYNC_KINDS
from bot.services.erp_sync.onec import sync_from_onec
from bot.services.erp_sync.run import UnknownEntity
from bot.services.people import PeopleError, create_invite
from jobs import JOBS, run_job
from storage.dto import Role
from storage.migrate import upgrade
from storage.repositories import Repos

logger = logging.getLogger(__name__)


class CliError(Exception):
    """A command cannot do what was asked; the message says why."""


TELEGRAM_URL = "https://api.telegram.org"
# Long enough for a slow network, short enough that a wrong TELEGRAM_API_URL is told at once.
CHECK_TIMEOUT = 10


async def check_telegram(settings: Settings, *, within: int = CHECK_TIMEOUT) -> None:
    """Ask Telegram who the bot is (getMe) before anything else starts, and end the command
    with one line naming the cause when it cannot answer: a refused token, a server that
    cannot be reached (the URL is named; the token, which travels in the request path,
    never), or one that is not a Bot API server. Without it a wrong token ends the start in
    aiogram's 40-line traceback, and a failure once polling runs is retried for ever."""
    url = settings.telegram_api_url or TELEGRAM_URL
    bot = create_bot(settings)
    try:
        await bot.get_me(request_timeout=within)
    except TelegramUnauthorizedError:
        raise CliError(
            "Telegram refused the bot token (401 Unauthorized): check BOT_TOKEN, or get a "
            "new one from @BotFather"
        ) from None
    except TelegramNotFound:
        raise CliError(
            f"Telegram at {url} knows no such bot (404 Not Found): check BOT_TOKEN and "
            "TELEGRAM_API_URL"
        ) from None
    except TelegramNetworkError as exc:
        raise CliError(f"Telegram is unreachable at {url}: {redact(exc.message)}") from None
    except TelegramAPIError as exc:
        raise CliError(f"Telegram at {url} did not answer getMe: {redact(exc.message)}") from None
    except ClientDecodeError:
        raise CliError(f"{url} does not answer as a Telegram Bot API server does") from None
    finally:
        await bot.session.close()


async def run(settings: Settings) -> None:
    # Before the database is opened and before polling, which would retry for ever.
    await check_telegram(settings)
    app = create_app(settings)
    try:
        await upgrade(app.database.engine)
        # An import killed before this start left its run unfinished: cleared, admins told.
        await clear_abandoned_imports(app.database, now=app.clock(), texts=app.translator)
        bot = create_bot(settings)
        dp = create_dispatcher(app)
        settle_heap()
        # A webhook left set would make getUpdates fail; pending updates are kept, so
        # messages sent while the bot restarted are still answered.
        await bot.delete_webhook(drop_pending_updates=False)
        await dp.start_polling(bot, allowed_updates=allowed_updates(dp), handle_signals=True)
    finally:
        await app.database.dispose()


def allowed_updates(dp: Dispatcher) -> list[str]:
    """The update types the handlers use, and my_chat_member (a user blocking the bot is
    seen by the sender, not by a handler)."""
    return sorted({*dp.resolve_used_update_types(), "my_chat_member"})


async def webhook(settings: Settings) -> None:
    """`run`, but Telegram posts the updates to WEBHOOK_URL, taken on the bot's HTTP server
    (bot/http/webhook.py), until SIGTERM: then what was taken is finished first."""
    await check_telegram(settings)
    app = create_app(settings)
    try:
        await upgrade(app.database.engine)
        await clear_abandoned_imports(app.database, now=app.clock(), texts=app.translator)
        bot = create_bot(settings)
        dp = create_dispatcher(app)
        settle_heap()
        await serve_webhook(app, dp, bot)
    finally:
        await app.database.dispose()


async def set_webhook(settings: Settings) -> str:
    """Tell Telegram to post updates to WEBHOOK_URL with the secret (once per deploy, or
    when the URL, the handlers' update types or WEBHOOK_MAX_CONNECTIONS change); what
    Telegram then reports, without the secret or the token."""
    url, secret = settings.require_webhook(serving=False)
    await check_telegram(settings)
    app = create_app(settings)
    bot = create_bot(settings)
    try:
        allowed = allowed_updates(create_dispatcher(app))
        try:
            await bot.set_webhook(
                url=url,
                secret_token=secret.get_secret_value(),
                allowed_updates=allowed,
                max_connections=settings.webhook_max_connections,
                # What Telegram holds now is posted to the webhook, not lost.
                drop_pending_updates=False,
            )
        except TelegramAPIError as exc:
            raise CliError(f"Telegram refused the webhook: {redact(exc.message)}") from None
        info = await bot.get_webhook_info()
    finally:
        await bot.session.close()
        await app.database.dispose()
    return "\n".join(["Webhook set.", *_webhook_report(info)])


async def delete_webhook(settings: Settings) -> str:
    """Back to polling: Telegram keeps the pending updates for `python -m bot run`."""
    await check_telegram(settings)
    bot = create_bot(settings)
    try:
        try:
            await bot.delete_webhook(drop_pending_updates=False)
        except TelegramAPIError as exc:
            raise CliError(f"Telegram did not delete the webhook: {redact(exc.message)}") from None
        info = await bot.get_webhook_info()
    finally:
        await bot.session.close()
    return "\n".join(
        [
            "Webhook deleted: updates wait for python -m bot run (getUpdates).",
            *_webhook_report(info),
        ]
    )


def _webhook_report(info: WebhookInfo) -> list[str]:
    lines = [
        f"  url: {info.url or '(none)'}",
        f"  pending updates: {info.pending_update_count}",
    ]
    if info.max_connections is not None:
        lines.append(f"  max connections: {info.max_connections}")
    if info.allowed_updates is not None:
        lines.append(f"  allowed updates: {', '.join(info.allowed_updates)}")
    if info.last_error_message:
        when = (
            f" at {info.last_error_date.astimezone(UTC):%Y-%m-%d %H:%M UTC}"
            if info.last_error_date is not None
            else ""
        )
        lines.append(f"  last error{when}: {redact(info.last_error_message)}")
    return lines


async def migrate(settings: Settings) -> None:
    app = create_app(settings)
    try:
        await upgrade(app.database.engine)
    finally:
        await app.database.dispose()
    logger.info("database is up to date")


async def invite(
    settings: Settings, role: str, supervisor_telegram_id: int | None, erp_name: str | None
) -> str:
    await check_telegram(settings)  # the link needs the bot's name: no invitation without it
    app = create_app(settings)
    bot = create_bot(settings)
    try:
        await upgrade(app.database.engine)
        async with app.database.transaction() as session:
            repos = Repos(session)
            supervisor_id = None
            if supervisor_telegram_id is not None:
                supervisor = await repos.users.by_telegram_id(supervisor_telegram_id)
                if supervisor is None:
                    raise CliError(f"no user with Telegram id {supervisor_telegram_id}")
                supervisor_id = supervisor.id
            ttl = timedelta(days=(await load_settings(repos)).invite_ttl_days)
            try:
                created = await create_invite(
                    repos,
                    role=Role(role),
                    supervisor_id=supervisor_id,
                    erp_name=erp_name,
                    created_by_id=None,
                    ttl=ttl,
                    now=app.clock(),
                )
            except PeopleError as exc:
                raise CliError(
                    app.translator.get("en")(exc.reason) + " (use --supervisor <telegram id>)"
                ) from None
        return await create_start_link(bot, created.code)
    finally:
        await bot.session.close()
        await app.database.dispose()


def parse_moment(text: str, default_zone: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(
            f"--at {text!r} is not an ISO time such as 2026-12-01T09:00+03:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(default_zone))
    return moment.astimezone(UTC)


async def job(settings: Settings, name: str, at: str | None) -> str:
    if name not in JOBS:
        raise CliError(f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}")
    clock = FrozenClock(parse_moment(at, settings.default_timezone)) if at else system_clock
    app = create_app(settings, clock=clock)
    bot = create_bot(settings) if JOBS[name].needs_bot else None
    try:
        await upgrade(app.database.engine)
        settle_heap()
        return await run_job(name, app.job_context(bot), clock)
    finally:
        if bot is not None:
            await bot.session.close()
        await app.database.dispose()


async def import_file(settings: Settings, kind: str, path: Path, snapshot: bool) -> str:
    if kind not in (*KINDS, BANK_KIND):
        raise CliError(f"unknown kind {kind!r}; one of: {', '.join((*KINDS, BANK_KIND))}")
    if not await asyncio.to_thread(path.is_file):
        raise CliError(f"no file {path}")
    app = create_app(settings)
    progress = _progress_bar(path) if sys.stderr.isatty() else None
    bank: BankImportSummary | None = None
    try:
        await upgrade(app.database.engine)
        if kind == BANK_KIND:
            bank = await import_bank_statement(
                app.database,
                path,
                file_name=path.name,
                actor_id=None,
                now=app.clock(),
                texts=app.translator,
                progress=progress,
            )
            summary = bank.payments
        else:
            summary = await run_import(
                app.database,
                kind,
                path,
                file_name=path.name,
                snapshot=snapshot,
                actor_id=None,
                now=app.clock(),
                texts=app.translator,
                progress=progress,
                max_bytes=2 * 1024 * 1024 * 1024,  # the shell is not bound by the Bot API's 20 MB
            )
    except ErpFileError as exc:
        raise CliError(
            app.translator.get("en")(exc.reason, **{k: str(v) for k, v in exc.details.items()})
        ) from None
    finally:
        await app.database.dispose()
    lines = []
    if bank is not None:
        lines.append(
            f"bank statement: {bank.statement_documents} documents, "
            f"{len(bank.known)} payments already known from 1C skipped"
        )
        english = app.translator.get("en")
        lines += [f"  note: {english(note.reason, **note.details)}" for note in bank.notes]
    lines += [
        f"{summary.kind}: read {summary.read}, inserted {summary.inserted}, "
        f"updated {summary.updated}, "
        f"unchanged {summary.unchanged}, rejected {len(summary.rejected)}, "
        f"removed {summary.removed}, "
        f"ownership conflicts {len(summary.conflicts)}"
    ]
    lines += [
        f"  row {r.row}, column {r.column or '-'}: {r.reason} ({r.value})"
        for r in summary.rejected[:50]
    ]
    if len(summary.rejected) > 50:
        lines.append(f"  … and {len(summary.rejected) - 50} more")
    return "\n".join(lines)


async def sync(settings: Settings, *, full: bool, entity: str | None) -> str:
    """One sync with 1C now, whatever the schedule says; the outcome per kind."""
    if settings.onec_odata_url is None:
        raise CliError('ONEC_ODATA_URL is not set: see the README, "Connecting 1C"')
    app = create_app(settings)
    try:
        await upgrade(app.database.engine)
        report = await sync_from_onec(
            app.database, settings, now=app.clock(), texts=app.translator, full=full, only=entity
        )
    except UnknownEntity as exc:
        known = ", ".join(SYNC_KINDS)
        raise CliError(f"unknown entity {exc}; a kind ({known}) or a 1C name") from None
    finally:
        await app.database.dispose()
    if report.unreachable is not None and not report.results:
        raise CliError(f"1C is not answering: {report.unreachable}")
    lines = [f"1C sync: {report.changed} changes"]
    for result in report.results:
        if result.error:
            lines.append(f"  {result.kind} ({result.entity}): failed: {result.error}")
        else:
            lines.append(
                f"  {result.kind} ({result.entity}): read {result.read}, changed "
                f"{result.changed}, rejected {result.rejected}"
            )
    if report.unreachable is not None:
        lines.append(f"  stopped: 1C is not answering: {report.unreachable}")
    return "\n".join(lines)


async def api_token_create(settings: Settings, name: str) -> str:
    """A new token for the HTTP API, printed this once (only its hash is stored)."""
    app = create_app(settings)
    try:
        await upgrade(app.database.engine)
        async with app.database.transaction() as session:
            created, token = await create_api_token(Repos(session), name, now=app.clock())
    except ApiTokenError as exc:
        raise CliError(app.translator.get("en")(exc.reason, **exc.details)) from None
    finally:
        await app.database.dispose()
    return (
        f"API token {created.id} ({created.name}) created. It is shown only now: keep it where "
        "the ERP sends it from, as the header Authorization: Bearer <token>.\n" + token
    )


async def api_token_revoke(settings: Settings, ref: str) -> str:
    app = create_app(settings)
    try:
        await upgrade(app.database.engine)
        async with app.database.transaction() as session:
            revoked = await revoke_api_token(Repos(session), ref, now=app.clock())
    except ApiTokenError as exc:
        raise CliError(app.translator.get("en")(exc.reason, **exc.details)) from None
    finally:
        await app.database.dispose()
    return f"API token {revoked.id} ({revoked.name}) revoked: calls with it are refused now."


async def api_token_list(settings: Settings) -> str:
    app = create_app(settings)
    try:
        await upgrade(app.database.engine)
        async with app.database.read() as session:
            tokens = await Repos(session).api_tokens.list()
    finally:
        await app.database.dispose()
    if not tokens:
        return "No API tokens yet: python -m bot api-token create --name <name>"

    def moment(at: datetime | None) -> str:
        return at.strftime("%Y-%m-%d %H:%M UTC") if at else "never"

    rows = [("id", "name", "created", "last used", "status")] + [
        (
            str(t.id),
            t.name,
            moment(t.created_at),
            moment(t.last_used_at),
            f"revoked {moment(t.revoked_at)}" if t.revoked_at else "active",
        )
        for t in tokens
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _progress_bar(path: Path) -> Callable[[int], Awaitable[None]]:
    async def show(rows: int) -> None:
        print(f"\r{path.name}: {rows} rows read…", end="", file=sys.stderr, flush=True)

    return show


async def backup(settings: Settings, target: Path) -> None:
    source = settings.sqlite_path()
    if source is None:
        raise CliError("backup is for SQLite; back up PostgreSQL with pg_dump")
    if not source.exists():
        raise CliError(f"no database at {source}")
    await asyncio.to_thread(_sqlite_backup, source, target)


def _sqlite_backup(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while the bot keeps writing (copying
    the file could catch it mid-transaction, and would miss what is still in the WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024, sleep=0.005)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
