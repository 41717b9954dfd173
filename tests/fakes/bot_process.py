"""Run the real bot (``python -m bot``) as a child process for end-to-end tests.

The child gets a clean environment: the developer's own bot settings (a real token, a real
database) are removed from ``os.environ`` before the test's overrides are merged in, so an
end-to-end test can never talk to the real Telegram or touch a real database by accident.
Output goes to a log file, not a pipe: a pipe nobody reads would fill up and block the bot.

The bot's settings also come from a ``.env`` file in its working directory, and variables
missing from the environment fall back to it. A test that must not see a developer's ``.env``
either sets every setting it cares about or passes ``cwd=tmp_path``: ``PYTHONPATH`` points at
the repository, so ``python -m bot`` works from any directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[2]

# Settings the bot reads from the environment (bot/runtime/config.py); never inherit them from the
# developer's shell. pydantic-settings matches names case-insensitively, so we compare upper.
SCRUBBED_ENV: frozenset[str] = frozenset(
    {
        "BOT_TOKEN",
        "TELEGRAM_API_URL",
        "TELEGRAM_API_LOCAL",
        "DATABASE_URL",
        "ADMIN_IDS",
        "DEFAULT_TIMEZONE",
        "DEFAULT_LANGUAGE",
        "LOG_LEVEL",
        "SHUTDOWN_TIMEOUT",
        "HTTP_HOST",
        "HTTP_PORT",
        "HTTP_MAX_BYTES",
        "ONEC_ODATA_URL",
        "ONEC_ODATA_USER",
        "ONEC_ODATA_PASSWORD",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "WEBHOOK_QUEUE_SIZE",
        "WEBHOOK_MAX_CONNECTIONS",
    }
)
SCRUBBED_PREFIXES: tuple[str, ...] = ("KAM_", "BOT_", "TELEGRAM_")


def child_env(overrides: Mapping[str, str]) -> dict[str, str]:
    """os.environ without the bot's settings, with `overrides` merged in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in SCRUBBED_ENV and not key.upper().startswith(SCRUBBED_PREFIXES)
    }
    # The repository on the path, so the child finds the bot package from any cwd.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    # Unbuffered, so the log file is complete when a test fails and reads it.
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(overrides)
    return env


class BotProcess:
    """One ``python -m bot <args>`` child process with its output in a log file."""

    def __init__(
        self,
        env: Mapping[str, str],
        args: Sequence[str] = ("run",),
        cwd: Path = REPO_ROOT,
        log_path: Path | None = None,
    ) -> None:
        self.env = dict(env)
        self.args = tuple(args)
        self.cwd = cwd
        if log_path is None:
            handle, name = tempfile.mkstemp(prefix="kam-bot-", suffix=".log")
            os.close(handle)
            log_path = Path(name)
        self.log_path = log_path
        self.returncode: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def start(self) -> None:
        if self.running:
            raise RuntimeError("the bot process is already running")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.returncode = None
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *self.args,
            cwd=self.cwd,
            env=child_env(self.env),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
        )

    async def wait(
        self,
        timeout: float,
    ) -> int:
        """Wait for the process to exit by itself; TimeoutError if it does not (still running)."""
        process = self._require_process()
        async with asyncio.timeout(timeout):
            code = await process.wait()
        self._finish(code)
        return code

    async def stop(
        self,
        timeout: float = 15.0,
    ) -> int:
        """SIGTERM, then SIGKILL after `timeout`; returns the exit code."""
        process = self._process
        if process is None:
            raise RuntimeError("the bot process was never started")
        if process.returncode is None:
            # Only our own child, by pid; it may have exited between the check and the signal.
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(timeout):
                    await process.wait()
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        code = process.returncode
        assert code is not None
        self._finish(code)
        return code

    async def kill(self) -> int:
        """SIGKILL: the process dies wherever it is, as in a power cut."""
        process = self._require_process()
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        code = await process.wait()
        self._finish(code)
        return code

    async def wait_http(self, url: str, timeout: float = 30.0) -> None:
        """Wait until the bot's HTTP server answers `url` (its /healthz) with 200: in
        webhook mode the bot is ready then, and never polls. Fails at once if the process
        ends first, with its log."""
        async with asyncio.timeout(timeout), aiohttp.ClientSession() as http:
            while True:
                if not self.running:
                    raise AssertionError(f"the bot ended before serving {url}:\n{self.log_text()}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(url) as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.05)

    async def wait_log(self, text: str, timeout: float = 10.0) -> None:
        """Wait until the bot's log has a line containing `text`."""
        async with asyncio.timeout(timeout):
            while text not in self.log_text():
                if not self.running and text not in self.log_text():
                    raise AssertionError(f"the bot ended before logging {text!r}")
                await asyncio.sleep(0.05)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None:
            await self.stop()

    def _require_process(self) -> asyncio.subprocess.Process:
        if self._process is None:
            raise RuntimeError("the bot process was never started")
        return self._process

    def _finish(self, code: int) -> None:
        self.returncode = code
        if self._log is not None:
            self._log.close()
            self._log = None


async def run_cli(
    args: Sequence[str],
    env: Mapping[str, str],
    timeout: float = 60,
    *,
    cwd: Path = REPO_ROOT,
) -> tuple[int, str, str]:
    """Run ``python -m bot <args>`` to completion; returns (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=child_env(env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(timeout):
            stdout, stderr = await process.communicate()
    except TimeoutError:
        # Never leave the child behind: kill it, collect it, then report the timeout.
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.communicate()
        raise
    code = process.returncode
    assert code is not None
    return (
        code,
        stdout.decode("utf-8", errors="replace"),
        stderr.decode("utf-8", errors="replace"),
    )
