"""`python -m bot demo` as the newcomer runs it: a real process, without a token (a terminal
chat on piped stdin) and with one (the real bot against the fake Bot API server, with an
invitation per demo role that makes whoever opens it that person)."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import pytest

from tests.demo.conftest import TODAY
from tests.demo.test_generator import canonical_dump
from tests.e2e.conftest import TOKEN, Person, texts
from tests.fakes.bot_process import BotProcess, child_env
from tests.fakes.telegram_server import FakeTelegram

pytestmark = pytest.mark.e2e
DEMO_ARGS = ("demo", "--today", TODAY.isoformat(), "--language", "en")


async def run_demo(cwd: Path, typed: str, *args: str, timeout: float = 90) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *DEMO_ARGS,
        *args,
        cwd=cwd,
        env=child_env({"DEFAULT_TIMEZONE": "Europe/Moscow", "DEFAULT_LANGUAGE": "ru"}),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(timeout):
            out, err = await process.communicate(typed.encode())
    except TimeoutError:
        process.kill()
        await process.communicate()
        raise
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_one_command_without_a_token_opens_the_terminal_chat(
    tmp_path: Path, template_en: Path
) -> None:
    code, out, err = await run_demo(tmp_path, ":quit\n")
    assert code == 0, err
    assert re.search(
        r"Made the demo company in data/demo\.db in \d+\.\d s: 11 people, 60 clients", out
    )
    assert "You are now Ivan Petrov: key account manager" in out
    assert "🤖 Welcome, Ivan Petrov!" in out and out.rstrip().endswith("where you left off.")
    # Another process, another hash seed: the same company as the one made in this one.
    assert canonical_dump(tmp_path / "data" / "demo.db") == canonical_dump(template_en)

    typed = ":as Petrov\n/debts 100101\n:job digest\n:as Olga\n:quit\n"
    code, out, err = await run_demo(tmp_path, typed)
    assert code == 0, err
    assert "The demo company in data/demo.db (seed 2026, dated 23.11.2026)" in out
    assert "Ivan Petrov › /debts 100101" in out and "Owed: 718,756.50\u00a0₽, overdue:" in out
    assert "⚙ Job digest as of 23.11.2026 09:05 (Europe/Moscow): 6 digests queued" in out
    assert "🤖 Good morning!" in out and "→ Olga Smirnova: Good morning!" in out
    assert "While you were someone else, messages arrived: 1." in out
    assert err == ""  # nothing went wrong (warnings and errors would show here)


async def test_with_a_token_each_link_makes_you_a_demo_person(tmp_path: Path) -> None:
    fake = FakeTelegram(TOKEN)
    await fake.start()
    env = {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.base_url,
        "DEFAULT_TIMEZONE": "Europe/Moscow",
        "DEFAULT_LANGUAGE": "ru",
        "ADMIN_IDS": "530001",  # ignored by the demo: its admin is a demo person
        "SHUTDOWN_TIMEOUT": "10",
    }
    process = BotProcess(env, args=DEMO_ARGS, cwd=tmp_path, log_path=tmp_path / "demo.log")
    await process.start()
    try:
        await fake.wait_for("getUpdates", timeout=60)
        log = process.log_text()
        links = dict(re.findall(r"^(.+?): https://t\.me/kam_test_bot\?start=(\S+)$", log, re.M))
        assert set(links) == {
            "key account manager — Ivan Petrov",
            "supervisor — Andrey Morozov",
            "admin — Elena Sokolova",
            "department member — Sergey Kuznetsov",
        }, log

        evaluator = Person(fake, 530_001, name="Eva", language="en")
        replies = await evaluator.say(f"/start {links['key account manager — Ivan Petrov']}")
        assert texts(replies)[0].startswith("Welcome, Ivan Petrov! You are signed in as key")
        clients = "\n".join(texts(await evaluator.say("/clients")))
        assert "Your clients: 10" in clients and "АО «Агрохолдинг Черноземье»" in clients

        replies = await evaluator.say(f"/start {links['supervisor — Andrey Morozov']}")
        assert texts(replies)[0].startswith(
            "Welcome, Andrey Morozov! You are signed in as supervisor"
        )
        assert "Your clients: 30" in "\n".join(texts(await evaluator.say("/clients")))
        await fake.wait_idle(quiet=0.3, timeout=10)
    finally:
        if process.running:
            await process.stop()
        await fake.stop()
    assert process.returncode == 0, process.log_text()
