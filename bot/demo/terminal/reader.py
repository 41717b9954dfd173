"""The person's keyboard: lines read on a daemon thread, one when asked."""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from typing import TextIO

# A number as typed (a button's, a person's in :users): ASCII digits; str.isdigit() also
# takes "²", which int() refuses.
NUMBER = re.compile(r"[0-9]{1,3}")


class LineReader:
    """Reads lines on a daemon thread, one when asked: the prompt appears only after the
    bot's answer is printed, and Ctrl-C or EOF never leaves a thread the process must wait
    for (asyncio's own executor threads are joined at exit)."""

    def __init__(self, stream: TextIO, output: TextIO, interactive: bool) -> None:
        self._stream = stream
        self._output = output
        self._interactive = interactive
        self._loop = asyncio.get_running_loop()
        self._requests: list[tuple[str, asyncio.Future[str | None]]] = []
        self._closed = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="demo-input", daemon=True)
        self._thread.start()

    async def read(self, prompt: str) -> str | None:
        future: asyncio.Future[str | None] = self._loop.create_future()
        with self._wake:
            self._requests.append((prompt, future))
            self._wake.notify()
        return await future

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()

    def _run(self) -> None:
        if self._interactive:
            # Imported here, on purpose and only for a person at a terminal: on import GNU
            # readline takes over the terminal (line editing and history for input()), which
            # a piped transcript must not get.
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401
        while True:
            with self._wake:
                while not self._requests and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                prompt, future = self._requests.pop(0)
            line: str | None
            try:
                if self._interactive:
                    line = input(prompt)
                else:
                    self._output.write(prompt)
                    self._output.flush()
                    raw = self._stream.readline()
                    line = raw.rstrip("\n") if raw else None
                    if line is not None:
                        # A piped transcript reads like a conversation.
                        self._output.write(line + "\n")
            except (EOFError, OSError, ValueError):
                line = None
            self._loop.call_soon_threadsafe(_resolve, future, line)
            if line is None:
                return


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)
