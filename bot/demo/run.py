"""`python -m bot demo`: prepare the demo database, then chat in the terminal (no BOT_TOKEN)
or run the bot on Telegram with an invitation link per demo role (with one)."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from aiogram.utils.deep_linking import create_start_link
from pydantic import SecretStr

from bot.cli import CliError, run
from bot.demo.company.generator import generate
from bot.demo.company.story import DEFAULT_SEED, DemoOptions
from bot.demo.marker import DEMO_MARKER, DemoMarker
from bot.demo.terminal.chat import TerminalChat
from bot.demo.terminal.session import TERMINAL_TOKEN, TerminalSession
from bot.runtime.config import Settings
from bot.runtime.factory import create_app, create_bot, create_dispatcher
from bot.runtime.i18n import L10n, Translator
from bot.services.clock import Clock, system_clock
from bot.services.local_time import at_local_time
from bot.services.people import create_adoption_invite, is_placeholder_telegram_id
from storage.dto import Role
from storage.engine import Database
from storage.migrate import upgrade
from storage.repositories import Repos

DEFAULT_DATABASE = Path("data/demo.db")
DEFAULT_FILES = Path("data/demo-files")
# The person each demo role's invitation hands over (the first of each role).
INVITED_ROLES = (Role.MANAGER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT)
INVITE_TTL = timedelta(days=7)


@dataclass(frozen=True)
class DemoArgs:
    database: Path = DEFAULT_DATABASE
    reset: bool = False
    seed: int | None = None
    language: str | None = None
    today: date | None = None
    files: Path = DEFAULT_FILES


class StartedClock:
    """`--today`: the clock starts at 10:00 that day (local) and runs on from there, so a
    test (or a rehearsed demo) sees the same day whatever the real date."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


def read_marker(path: Path) -> DemoMarker | None:
    """The demo marker of an existing SQLite file (opened read-only), None if it has none."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute(
            "SELECT value FROM business_settings WHERE key = ?", (DEMO_MARKER,)
        ).fetchone()
    except sqlite3.Error:
        return None  # not a database, or not ours: no settings table
    finally:
        connection.close()
    return DemoMarker.from_text(row[0]) if row else None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def prepare(
    args: DemoArgs, settings: Settings, translator: Translator, out: TextIO
) -> DemoMarker:
    """The demo database at `args.database`: reused if it is the demo's, generated if there
    is none (or `--reset`), refused if the file is anything else."""
    language = args.language or settings.default_language
    l10n = translator.get(language)
    path = args.database
    marker = await asyncio.to_thread(read_marker, path) if path.exists() else None
    if path.exists() and marker is None:
        raise CliError(l10n("demo-not-a-demo", path=str(path)))
    if marker is not None and not args.reset:
        database = Database(_url(path))
        try:
            await upgrade(database.engine)
        finally:
            await database.dispose()
        today = args.today or _real_today(settings)
        out.write(
            l10n(
                "demo-reused",
                path=str(path),
                seed=str(marker.seed),
                date=f"{marker.today:%d.%m.%Y}",
            )
            + "\n"
        )
        if marker.today != today:
            out.write(l10n("demo-stale", date=f"{marker.today:%d.%m.%Y}") + "\n")
        if args.language is not None and args.language != marker.language:
            out.write(l10n("demo-other-language", made=marker.language, wanted=language) + "\n")
        return marker
    options = DemoOptions(
        today=args.today or _real_today(settings),
        seed=args.seed if args.seed is not None else DEFAULT_SEED,
        language=language,
        timezone=settings.default_timezone,
    )
    # Generated beside the target and moved into place when complete: an interrupted run
    # never leaves a half-made database (without the marker, it would be refused later).
    partial = path.with_name(path.name + ".partial")
    await asyncio.to_thread(_remove, partial)
    started = time.perf_counter()
    database = Database(_url(partial))
    try:
        await upgrade(database.engine)
        summary = await generate(database, translator, options)
    finally:
        await database.dispose()
    await asyncio.to_thread(_replace, partial, path)
    counts = summary.counts
    out.write(
        l10n(
            "demo-generated",
            path=str(path),
            seconds=f"{time.perf_counter() - started:.1f}",
            people=counts.get("people", 0),
            clients=counts.get("clients", 0),
            orders=counts.get("orders", 0),
            contacts=counts.get("contacts", 0),
            claims=counts.get("claims", 0),
        )
        + "\n"
    )
    return DemoMarker(options.seed, options.today, options.language)


def _replace(partial: Path, path: Path) -> None:
    # One self-contained file before the move: a WAL beside it would stay behind under the
    # old name (the bot turns WAL back on when it opens the database).
    connection = sqlite3.connect(partial)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()
    _remove(path)
    partial.replace(path)


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _real_today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.default_timezone)).date()


def demo_settings(settings: Settings, path: Path) -> Settings:
    # The demo company has its own admin (an evaluator becomes them by invitation):
    # ADMIN_IDS of a real deployment must not turn a stranger into a second admin here.
    return settings.model_copy(update={"database_url": _url(path), "admin_ids": frozenset()})


async def demo(
    settings: Settings, args: DemoArgs, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> None:
    translator = Translator(default=settings.default_language)
    marker = await prepare(args, settings, translator, stdout)
    language = args.language or marker.language
    settings = demo_settings(settings, args.database)
    if settings.bot_token is None:
        await chat_in_terminal(settings, args, marker, language, stdin, stdout)
    else:
        await run_on_telegram(settings, translator.get(language), stdout)


async def chat_in_terminal(
    settings: Settings,
    args: DemoArgs,
    marker: DemoMarker,
    language: str,
    stdin: TextIO,
    stdout: TextIO,
) -> None:
    settings = settings.model_copy(update={"bot_token": SecretStr(TERMINAL_TOKEN)})
    clock: Clock = system_clock
    if args.today is not None:
        zone = ZoneInfo(settings.default_timezone)
        clock = StartedClock(at_local_time(args.today, dt_time(10), zone))
    app = create_app(settings, clock=clock)
    # No scheduler and no background sender: the chat delivers the outbox after every
    # input and runs jobs when asked (`:job`), so what appears is predictable.
    app.run_background = False
    session = TerminalSession(args.files, clock, lambda _shown: None)
    bot = create_bot(settings, session=session)
    dp = create_dispatcher(app)
    interactive = stdin.isatty() and stdout.isatty()
    try:
        await TerminalChat(
            app,
            bot,
            dp,
            session,
            stdin=stdin,
            stdout=stdout,
            language=language,
            interactive=interactive,
        ).run()
    finally:
        await app.database.dispose()


async def run_on_telegram(settings: Settings, l10n: L10n, out: TextIO) -> None:
    """The real bot on Telegram over the demo company; each link makes whoever opens it
    that demo person (their clients, team and history), one phone trying role after role."""
    app = create_app(settings)
    bot = create_bot(settings)
    try:
        now = app.clock()
        invited: list[tuple[Role, str, str]] = []
        async with app.database.transaction() as session:
            repos = Repos(session)
            users = await repos.users.list_users(active_only=True)
            for user in users:
                # Nobody reads a placeholder's chat: what is owed there is parked quietly
                # instead of failing (and alerting supervisors) on every send.
                if is_placeholder_telegram_id(user.telegram_id) and user.unreachable_since is None:
                    await repos.users.set_unreachable(user.telegram_id, now)
            for role in INVITED_ROLES:
                person = min(
                    (u for u in users if u.role is role), key=lambda u: u.id, default=None
                )
                if person is None:
                    continue
                created = await create_adoption_invite(
                    repos, user_id=person.id, created_by_id=None, ttl=INVITE_TTL, now=now
                )
                invited.append((role, person.full_name, created.code))
        # Links after the commit: getMe is a network call, not to be made holding the lock.
        links = [
            l10n(
                "demo-telegram-link",
                role=l10n(f"role-{role.value}"),
                name=name,
                link=await create_start_link(bot, code),
            )
            for role, name, code in invited
        ]
    finally:
        await bot.session.close()
        await app.database.dispose()
    out.write(l10n("demo-telegram-title") + "\n" + "\n".join(links) + "\n")
    out.write(l10n("demo-telegram-running") + "\n")
    out.flush()
    await run(settings)
