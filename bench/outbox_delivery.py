"""Outbox delivery benchmark: the real sender against the fake Bot API server enforcing
Telegram's limits (429 with retry_after when exceeded) with a network latency.

Run: .venv/bin/python -m bench.outbox_delivery [--messages 1000] [--latency 0.05]

Prints, for a clean run: the achieved rate as a fraction of the configured limit (target
>= 0.9) and the 429s received (target 0); for a run with bursts of 429, 5xx and dropped
connections: messages lost (target 0) and duplicated (target 0).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.runtime.config import Settings
from bot.runtime.factory import create_bot
from bot.runtime.i18n import Translator
from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender
from bot.services.clock import system_clock
from bot.services.notifications import outbox_key
from storage.dto import OutboxCreate, OutboxStatus
from storage.engine import Database
from storage.migrate import upgrade
from storage.repositories import Repos
from tests.fakes.telegram_server import FakeTelegram

TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
FIRST_CHAT = 10_000_000


async def _fill_outbox(db: Database, count: int, kind: str) -> list[int]:
    now = datetime.now(UTC)
    chats = [FIRST_CHAT + n for n in range(count)]
    rows = [
        OutboxCreate(
            key=outbox_key(kind, chat, "bench", None),
            kind=kind,
            chat_id=chat,
            payload={"text": f"Сообщение {chat}"},
            urgent=True,
            not_before=now,
        )
        for chat in chats
    ]
    async with db.transaction() as session:
        await Repos(session).outbox.add_many(rows, now=now)
    return chats


async def _pending(db: Database) -> int:
    async with db.read() as session:
        return len(await Repos(session).outbox.list(status=OutboxStatus.PENDING))


async def _inject_bursts(fake: FakeTelegram, total: int) -> None:
    """Faults in the middle of the run: a 429 burst, a 5xx burst, dropped connections."""
    plan: list[tuple[int, Callable[[], None]]] = [
        (
            total // 5,
            lambda: fake.fail_next(
                "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, count=5
            ),
        ),
        (2 * total // 5, lambda: fake.fail_next("sendMessage", 502, "Bad Gateway", count=25)),
        (3 * total // 5, lambda: fake.drop_next("sendMessage", count=25)),
        (
            4 * total // 5,
            lambda: fake.fail_next("sendMessage", 500, "Internal Server Error", count=10),
        ),
    ]
    for threshold, inject in plan:
        while len(fake.delivered()) < threshold:  # noqa: ASYNC110 - polling the fake
            await asyncio.sleep(0.01)
        inject()


async def run(messages: int, latency: float, faults: bool, rate: float) -> dict[str, float]:
    fake = FakeTelegram(TOKEN, latency=latency, enforce_limits=True, global_per_second=int(rate))
    await fake.start()
    folder = Path(tempfile.mkdtemp(prefix="kam-bench-"))
    db = Database(f"sqlite+aiosqlite:///{folder / 'bench.db'}")
    settings = Settings(_env_file=None, bot_token=TOKEN, telegram_api_url=fake.base_url)
    bot = create_bot(settings)
    try:
        await upgrade(db.engine)
        chats = await _fill_outbox(db, messages, "bench_faults" if faults else "bench")
        config = DeliveryConfig(per_second=rate, backoff_base=1.0, max_attempts=20)
        sender = OutboxSender(bot, db, Translator(), system_clock, config)
        injector = asyncio.create_task(_inject_bursts(fake, messages)) if faults else None
        started = time.perf_counter()
        for _ in range(60):  # retries back off for a second; drain until nothing is owed
            await sender.drain()
            if await _pending(db) == 0:
                break
            await asyncio.sleep(1.0)
        elapsed = time.perf_counter() - started
        if injector is not None:
            injector.cancel()
        delivered = [r for r in fake.delivered() if r.chat_id in set(chats)]
        counts = Counter(r.chat_id for r in delivered)
        times = sorted(r.at for r in delivered)
        achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
        return {
            "messages": messages,
            "seconds": elapsed,
            "rate": achieved,
            "ratio": achieved / rate,
            "too_many_requests": fake.too_many_requests,
            "lost": len(set(chats) - set(counts)),
            "duplicated": sum(c - 1 for c in counts.values() if c > 1),
            "sender_429": sender.stats.too_many_requests,
            "retried": sender.stats.retried,
        }
    finally:
        await bot.session.close()
        await db.dispose()
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rate", type=float, default=30.0)
    args = parser.parse_args()
    clean = asyncio.run(run(args.messages, args.latency, faults=False, rate=args.rate))
    print(
        f"clean run: {clean['messages']} messages to {clean['messages']} chats in "
        f"{clean['seconds']:.1f} s at {args.latency * 1000:.0f} ms latency; "
        f"rate {clean['rate']:.2f}/s = {clean['ratio']:.3f} of the {args.rate:.0f}/s limit "
        f"(target >= 0.9); 429 received: {clean['too_many_requests']} (target 0); "
        f"lost {clean['lost']}, duplicated {clean['duplicated']}"
    )
    faulty = asyncio.run(run(args.messages, args.latency, faults=True, rate=args.rate))
    print(
        f"faults run: bursts of 429 (5), 5xx (35) and dropped connections (25); "
        f"{faulty['seconds']:.1f} s, 429 received {faulty['too_many_requests']}, "
        f"retried {faulty['retried']}; lost {faulty['lost']} (target 0), "
        f"duplicated {faulty['duplicated']} (target 0)"
    )


if __name__ == "__main__":
    main()
