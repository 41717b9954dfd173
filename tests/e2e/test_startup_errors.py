"""`python -m bot run` with a wrong token or no Telegram to talk to (issue 14, item 11):
one line naming the cause, a non-zero exit code, within seconds (the real process against
the fake Bot API server answering 401, and against a port nobody listens on)."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import pytest
from aiohttp import web

from bot.cli import CliError, check_telegram
from bot.runtime.config import Settings
from tests.e2e.conftest import TOKEN
from tests.fakes.bot_process import run_cli
from tests.fakes.telegram_server import FakeTelegram

pytestmark = pytest.mark.e2e

# Well-formed (it passes the settings' check) but not the fake server's token.
WRONG_TOKEN = "7000000002:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
STARTED_IN = 30  # seconds; a process start takes about 3 on a quiet machine


def _env(url: str, token: str, database: Path) -> dict[str, str]:
    return {
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "LOG_LEVEL": "INFO",
    }


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_token_is_one_line(tmp_path: Path) -> None:
    async with FakeTelegram(TOKEN) as fake:
        started = time.monotonic()
        code, out, err = await run_cli(
            ["run"], _env(fake.base_url, WRONG_TOKEN, tmp_path / "kam.db"), cwd=tmp_path
        )
        elapsed = time.monotonic() - started
        asked = [r.method for r in fake.requests]

    assert code == 1, err
    assert "Traceback" not in err + out
    assert err.strip().splitlines() == [
        "Error: Telegram refused the bot token (401 Unauthorized): check BOT_TOKEN, or get a "
        "new one from @BotFather"
    ]
    assert asked == ["getMe"]  # nothing else was tried, no polling began
    assert not (tmp_path / "kam.db").exists()  # the database was not even opened
    assert elapsed < STARTED_IN


async def test_an_unreachable_telegram_is_one_line_with_the_url(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    code, out, err = await run_cli(["run"], _env(url, TOKEN, tmp_path / "kam.db"), cwd=tmp_path)
    elapsed = time.monotonic() - started

    assert code == 1, err
    assert "Traceback" not in err + out
    [line] = err.strip().splitlines()
    assert line.startswith(f"Error: Telegram is unreachable at {url}: ")
    assert "Cannot connect" in line
    secret = TOKEN.split(":", 1)[1]
    assert secret not in err and TOKEN.split(":", 1)[0] not in err
    assert elapsed < STARTED_IN


async def test_a_server_that_never_answers_is_told_after_the_timeout() -> None:
    """In-process, with a one-second timeout: a host that takes the connection and says
    nothing (a proxy, a firewall) is "unreachable" too, not a hang."""

    async def silent(request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.Response()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", silent)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    settings = Settings(_env_file=None, bot_token=TOKEN, telegram_api_url=url)
    try:
        started = time.monotonic()
        with pytest.raises(CliError, match=rf"^Telegram is unreachable at {url}: .*timeout"):
            await check_telegram(settings, within=1)
        assert time.monotonic() - started < 5
    finally:
        await runner.cleanup()


async def test_log_format_json_writes_one_json_object_a_line(tmp_path: Path) -> None:
    """LOG_FORMAT=json reaches the process's logging: every line a record of its own."""
    import json

    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kam.db'}",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
    }
    code, _, err = await run_cli(["migrate"], env, cwd=tmp_path)
    assert code == 0, err
    records = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert records, err
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any("Running upgrade" in r["message"] for r in records)
