"""A fake 1C: the client side of "Обмен с сайтами" (1C:УТ 11's exchange with a web site),
run against the bot's `/1c_exchange` the way 1C's platform runs it.

catalog: checkauth (HTTP Basic) → init (reads zip and file_limit) → file (each file cut
into chunks of file_limit, or one zip of them all when the site says zip=yes) → import per
XML file, asked again while the site answers `progress`.
sale: checkauth → init → query (the site's orders.xml) → success → file (1C's own
documents about those orders)."""

from __future__ import annotations

import asyncio
import base64
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp


class ExchangeFailed(Exception):
    """The site answered `failure` (or something 1C cannot read)."""


@dataclass
class Answer:
    status: int
    lines: list[str]
    body: bytes
    content_type: str
    charset: str | None


@dataclass
class FakeOneCExchange:
    base_url: str  # …/1c_exchange
    user: str
    password: str
    version: str | None = None  # sent with init, as 1C 8.3 releases for CommerceML 3 do
    use_zip: bool = True  # zip when the site allows it
    cookie: tuple[str, str] | None = None
    calls: list[tuple[str, str, int]] = field(default_factory=list)
    progress_answers: int = 0

    def _auth(self, encoding: str = "utf-8") -> str:
        pair = f"{self.user}:{self.password}".encode(encoding)
        return "Basic " + base64.b64encode(pair).decode("ascii")

    async def _call(
        self,
        http: aiohttp.ClientSession,
        kind: str,
        mode: str,
        *,
        body: bytes | None = None,
        filename: str | None = None,
        auth: bool = False,
        auth_encoding: str = "utf-8",
    ) -> Answer:
        params = {"type": kind, "mode": mode}
        if filename is not None:
            params["filename"] = filename
        if self.version and mode == "init":
            params["version"] = self.version
        headers = {}
        if auth:
            headers["Authorization"] = self._auth(auth_encoding)
        if self.cookie is not None:
            headers["Cookie"] = f"{self.cookie[0]}={self.cookie[1]}"
        method = "POST" if body is not None else "GET"
        async with http.request(
            method, self.base_url, params=params, data=body, headers=headers
        ) as response:
            raw = await response.read()
            charset = response.charset
            text = raw.decode(charset or "windows-1251", errors="replace")
            self.calls.append((kind, mode, response.status))
            return Answer(
                response.status,
                text.splitlines(),
                raw,
                response.content_type,
                charset,
            )

    async def checkauth(
        self, http: aiohttp.ClientSession, kind: str, *, auth_encoding: str = "utf-8"
    ) -> Answer:
        answer = await self._call(http, kind, "checkauth", auth=True, auth_encoding=auth_encoding)
        if answer.lines[:1] != ["success"] or len(answer.lines) < 3:
            raise ExchangeFailed(f"checkauth: {answer.lines}")
        self.cookie = (answer.lines[1], answer.lines[2])
        return answer

    async def init(self, http: aiohttp.ClientSession, kind: str) -> dict[str, str]:
        answer = await self._call(http, kind, "init")
        options = dict(line.split("=", 1) for line in answer.lines if "=" in line)
        if "file_limit" not in options:
            raise ExchangeFailed(f"init: {answer.lines}")
        return options

    async def upload(
        self, http: aiohttp.ClientSession, kind: str, name: str, data: bytes, limit: int
    ) -> None:
        for start in range(0, max(len(data), 1), limit):
            answer = await self._call(
                http, kind, "file", body=data[start : start + limit], filename=name
            )
            if answer.lines[:1] != ["success"]:
                raise ExchangeFailed(f"file {name}: {answer.lines}")

    async def import_file(self, http: aiohttp.ClientSession, kind: str, name: str) -> Answer:
        while True:
            answer = await self._call(http, kind, "import", filename=name)
            if answer.lines[:1] == ["progress"]:
                self.progress_answers += 1
                await asyncio.sleep(0.05)  # 1C asks again at once; a breath between
                continue
            if answer.lines[:1] != ["success"]:
                raise ExchangeFailed(f"import {name}: {answer.lines}")
            return answer

    async def send_catalog(self, files: Sequence[Path]) -> list[Answer]:
        """One catalog exchange: every file uploaded, then each imported in order."""
        async with aiohttp.ClientSession() as http:
            await self.checkauth(http, "catalog")
            options = await self.init(http, "catalog")
            limit = int(options["file_limit"]) or 1 << 30
            if self.use_zip and options.get("zip") == "yes":
                packed = io.BytesIO()
                with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                    for path in files:
                        archive.write(path, path.name)
                await self.upload(http, "catalog", "1cbitrix.zip", packed.getvalue(), limit)
            else:
                for path in files:
                    await self.upload(http, "catalog", path.name, path.read_bytes(), limit)
            return [await self.import_file(http, "catalog", path.name) for path in files]

    async def take_orders(self, *, confirm: bool = True) -> Answer:
        """The sale exchange's first half: the site's orders, and `success` for them."""
        async with aiohttp.ClientSession() as http:
            await self.checkauth(http, "sale")
            await self.init(http, "sale")
            answer = await self._call(http, "sale", "query")
            if answer.status != 200 or not answer.body.lstrip().startswith(b"<?xml"):
                raise ExchangeFailed(f"query: {answer.status} {answer.body[:200]!r}")
            if confirm:
                done = await self._call(http, "sale", "success")
                if done.lines[:1] != ["success"]:
                    raise ExchangeFailed(f"success: {done.lines}")
            return answer

    async def send_order_statuses(self, name: str, document: bytes) -> Answer:
        """The sale exchange's second half: 1C's documents about the site's orders."""
        async with aiohttp.ClientSession() as http:
            await self.checkauth(http, "sale")
            options = await self.init(http, "sale")
            limit = int(options["file_limit"]) or 1 << 30
            answer = await self._call(http, "sale", "file", body=document[:limit], filename=name)
            if answer.lines[:1] != ["success"]:
                raise ExchangeFailed(f"sale file: {answer.lines}")
            return answer
