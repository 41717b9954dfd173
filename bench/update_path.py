"""The path of one update: CPU per update of the production dispatcher against a bare aiogram
dispatcher fed the same updates, in one run, on the demo company.

Both sides answer through the same recording session (no HTTP), so what is compared is the
work of the process: aiogram's dispatch, then for the bot its middlewares, filters, the
database statements and the handler. The bare side answers each update with a fixed text
(and a callback answer for the button), the least any bot does.

Scenarios: `/help`, `/today`, a client search (`/client <name>`) and a button press (a
client's card). Each round feeds every scenario to both sides alternately; CPU is
`time.process_time()` (all threads: aiosqlite runs its statements in a worker thread).
Printed per scenario: p50 and p99 CPU per update on both sides, their ratio (p50), and the
SQL statements the bot ran per update (BEGIN and COMMIT included).

Run: .venv/bin/python -m bench.update_path [--updates 400] [--rounds 5]
Targets (issue 15): /help within 4x of bare aiogram, the others within 8x; 2 statements for
an update that writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Chat, Message, MessageEntity, Update, User
from sqlalchemy import event

from bot.demo.run import DemoArgs, prepare
from bot.runtime.config import Settings
from bot.runtime.factory import create_app, create_bot, create_dispatcher
from bot.runtime.i18n import Translator
from bot.services.clock import FrozenClock
from bot.views.accounts.callbacks import ClientAction, ClientCallback
from tests.helpers import BOT_ID, TEST_TOKEN, RecordingSession

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)  # Monday 10:30 in Moscow
_ids = itertools.count(10_000_000)


@dataclass
class Scenario:
    name: str
    make: Callable[[], Update]
    bot_cpu: list[float] = field(default_factory=list)
    bare_cpu: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)


def _user(telegram_id: int) -> User:
    return User(id=telegram_id, is_bot=False, first_name="Bench", language_code="ru")


def _message(telegram_id: int, text: str) -> Update:
    entities = None
    if text.startswith("/"):
        entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
    message = Message(
        message_id=next(_ids),
        date=NOW,
        chat=Chat(id=telegram_id, type="private"),
        from_user=_user(telegram_id),
        text=text,
        entities=entities,
    )
    return Update(update_id=next(_ids), message=message)


def _press(telegram_id: int, data: str) -> Update:
    shown = Message(
        message_id=1,
        date=NOW,
        chat=Chat(id=telegram_id, type="private"),
        from_user=User(id=BOT_ID, is_bot=True, first_name="KAM"),
        text="…",
    )
    query = CallbackQuery(
        id=str(next(_ids)),
        from_user=_user(telegram_id),
        chat_instance="bench",
        message=shown,
        data=data,
    )
    return Update(update_id=next(_ids), callback_query=query)


def bare_dispatcher() -> Dispatcher:
    """aiogram with one router answering what the scenarios send, nothing else."""
    router = Router()

    @router.message(Command("help"))
    async def on_help(message: Message) -> None:
        await message.answer("help")

    @router.message(Command("today"))
    async def on_today(message: Message) -> None:
        await message.answer("today")

    @router.message(Command("client"))
    async def on_client(message: Message) -> None:
        await message.answer("client")

    @router.callback_query(F.data)
    async def on_press(query: CallbackQuery) -> None:
        await query.answer()
        await query.message.answer("card")  # type: ignore[union-attr]

    dp = Dispatcher()
    dp.include_router(router)
    return dp


def pick_manager(path: Path) -> tuple[int, int, str]:
    """A demo manager's Telegram id, one of their clients' ids and a word of its name."""
    with sqlite3.connect(path) as conn:
        telegram_id, user_id = conn.execute(
            "SELECT telegram_id, id FROM users WHERE role = 'manager' AND is_active "
            "ORDER BY id LIMIT 1"
        ).fetchone()
        client_id, name = conn.execute(
            "SELECT id, name FROM clients WHERE owner_id = ? ORDER BY id LIMIT 1", (user_id,)
        ).fetchone()
    word = max(name.replace("«", " ").replace("»", " ").split(), key=len)
    return int(telegram_id), int(client_id), word


async def feed(dp: Dispatcher, bot: Bot, update: Update) -> float:
    start = time.process_time()
    await dp.feed_update(bot, update)
    return time.process_time() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(updates: int, rounds: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kam-update-path-"))
    path = folder / "demo.db"
    settings = Settings(
        _env_file=None,
        bot_token=TEST_TOKEN,
        database_url=f"sqlite+aiosqlite:///{path}",
        default_language="ru",
        default_timezone="Europe/Moscow",
    )
    translator = Translator()
    await prepare(DemoArgs(database=path, today=TODAY), settings, translator, io.StringIO())
    telegram_id, client_id, word = pick_manager(path)

    app = create_app(settings, clock=FrozenClock(NOW))
    app.run_background = False
    bot_session = RecordingSession()
    bot = create_bot(settings, session=bot_session)
    dp = create_dispatcher(app)
    bare_session = RecordingSession()
    bare_bot = Bot(TEST_TOKEN, session=bare_session)
    bare = bare_dispatcher()

    statements = 0

    @event.listens_for(app.database.engine.sync_engine, "before_cursor_execute")
    def _count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    card = ClientCallback(action=ClientAction.OPEN, client_id=client_id).pack()
    scenarios = [
        Scenario("/help", lambda: _message(telegram_id, "/help")),
        Scenario("/today", lambda: _message(telegram_id, "/today")),
        Scenario(f"/client {word}", lambda: _message(telegram_id, f"/client {word}")),
        Scenario("button: client card", lambda: _press(telegram_id, card)),
    ]
    for scenario in scenarios:  # warm up both sides: imports, caches, the first queries
        for _ in range(20):
            await feed(dp, bot, scenario.make())
            await feed(bare, bare_bot, scenario.make())
        if not bot_session.sent or "error" in bot_session.sent[-1].text.lower():
            raise SystemExit(f"{scenario.name}: the bot did not answer as expected")
    per_round = max(1, updates // rounds)
    for _ in range(rounds):
        for scenario in scenarios:
            for _ in range(per_round):
                statements = 0
                scenario.bot_cpu.append(await feed(dp, bot, scenario.make()))
                scenario.statements.append(statements)
                scenario.bare_cpu.append(await feed(bare, bare_bot, scenario.make()))

    load = os.getloadavg()
    print(
        f"update path: {per_round * rounds} updates per scenario in {rounds} rounds, "
        f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    header = (
        f"{'scenario':<24} {'bot p50':>9} {'bot p99':>9} {'bare p50':>9} {'bare p99':>9} "
        f"{'x p50':>7} {'x p99':>7} {'stmts':>6}"
    )
    print(header)
    for s in scenarios:
        b50, b99 = percentile(s.bot_cpu, 0.5), percentile(s.bot_cpu, 0.99)
        a50, a99 = percentile(s.bare_cpu, 0.5), percentile(s.bare_cpu, 0.99)
        print(
            f"{s.name[:24]:<24} {b50 * 1e3:>7.2f}ms {b99 * 1e3:>7.2f}ms {a50 * 1e3:>7.2f}ms "
            f"{a99 * 1e3:>7.2f}ms {b50 / a50:>6.1f}x {b99 / a99:>6.1f}x "
            f"{statistics.median(s.statements):>6.0f}"
        )
    await app.database.dispose()
    await bot.session.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=400, help="updates per scenario")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.rounds))
