"""1C's site exchange ("Обмен с сайтами" of УТ 11, КА 2, ERP 2, УНФ): the bot plays the site
at `/1c_exchange` (also `/1c_exchange.php`, the address 1C suggests).

1C calls `?type=catalog|sale&mode=…`: `checkauth` (HTTP Basic with ONEC_EXCHANGE_USER and
ONEC_EXCHANGE_PASSWORD; the answer names a cookie every later call brings), `init` (zip
and the chunk size), `file` (an upload, in chunks appended in order, zip or plain),
`import` (apply a file; `progress` while a long one runs, 1C asks again), `query` (the
orders taken in the chat, as orders.xml), `success` (1C took them). Answers are the lines
1C reads: `success`, `progress` or `failure` and a reason; in windows-1251 for CommerceML
2, UTF-8 for 3.x (what 1C asks for with `version=`).

The session is a signed cookie (its key derived from the exchange password, so any replica
knows it); its uploads wait in a folder of their own under ONEC_EXCHANGE_DIR."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import re
import secrets
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from aiohttp import hdrs, web

from bot.http import BodyTooLarge, bounded_chunks
from bot.services.commerceml import CommerceMLError, DocumentKind, detect_kind, safe_unzip
from bot.services.exchange.apply import ExchangeCounts, apply_catalog, apply_offers
from bot.services.exchange.orders import apply_order_updates, confirm_orders, orders_for_onec
from storage.repositories import Repos

if TYPE_CHECKING:
    from bot.runtime.factory import App

logger = logging.getLogger(__name__)

ROUTES = ("/1c_exchange", "/1c_exchange.php")
COOKIE = "kam_1c_exchange"
SESSION_SECONDS = 12 * 3600
# A zip may unpack to this many times the upload limit, each member at most this ratio.
UNZIP_FACTOR = 20
UNZIP_RATIO = 200
SESSION_FILE = ".session.json"
DEFAULT_VERSION = "2.08"
_SAFE_PART = re.compile(r"^[\w\-. ]+$")
TASKS: web.AppKey[dict[tuple[str, str], asyncio.Task[dict[str, Any]]]] = web.AppKey(
    "kam_exchange_tasks"
)


class ExchangeRefused(Exception):
    """A call answered with `failure` and this reason."""


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    folder: Path
    zip: bool
    version: str

    @property
    def encoding(self) -> str:
        return "utf-8" if self.version.startswith("3") else "windows-1251"


# --- answers -------------------------------------------------------------------------------


def _lines(lines: list[str], encoding: str = "windows-1251", status: int = 200) -> web.Response:
    body = "\n".join(lines) + "\n"
    return web.Response(
        body=body.encode(encoding, errors="replace"),
        status=status,
        content_type="text/plain",
        charset=encoding,
    )


def failure(reason: str, encoding: str = "windows-1251", status: int = 200) -> web.Response:
    # 1C shows the second line in its exchange log: one line, no secrets.
    return _lines(["failure", " ".join(reason.split())[:500]], encoding, status)


# --- authentication ------------------------------------------------------------------------


def _key(app: App) -> bytes:
    settings = app.settings
    password = settings.onec_exchange_password
    secret = password.get_secret_value() if password else ""
    return hashlib.sha256(
        f"kam-1c-exchange\0{settings.onec_exchange_user}\0{secret}".encode()
    ).digest()


def _basic_ok(app: App, header: str | None) -> bool:
    """HTTP Basic against the exchange login; the pair decoded as UTF-8, else windows-1251
    (1C's platform writes either, and Cyrillic logins are common). Constant time."""
    if not header or not header.lower().startswith("basic "):
        return False
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    settings = app.settings
    password = settings.onec_exchange_password
    want_user = (settings.onec_exchange_user or "").encode()
    want_password = (password.get_secret_value() if password else "").encode()
    for encoding in ("utf-8", "windows-1251"):
        try:
            user, _, given = raw.decode(encoding).partition(":")
        except UnicodeDecodeError:
            continue
        user_ok = hmac.compare_digest(user.encode(), want_user)
        password_ok = hmac.compare_digest(given.encode(), want_password)
        if user_ok and password_ok:
            return True
    return False


def make_cookie(app: App, now: float) -> str:
    session_id = secrets.token_hex(16)
    payload = f"{session_id}.{int(now)}"
    mac = hmac.new(_key(app), payload.encode(), hashlib.sha256).hexdigest()
    return f"{payload}.{mac}"


def session_id_of(app: App, cookie: str | None, now: float) -> str | None:
    """The session a cookie signs, if it is ours and not expired."""
    if not cookie or cookie.count(".") != 2:
        return None
    session_id, issued, mac = cookie.split(".")
    want = hmac.new(_key(app), f"{session_id}.{issued}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, want) or not issued.isdigit():
        return None
    if not 0 <= now - int(issued) <= SESSION_SECONDS or not re.fullmatch(
        r"[0-9a-f]{32}", session_id
    ):
        return None
    return session_id


def _session(app: App, session_id: str) -> Session:
    folder = app.settings.exchange_dir() / session_id
    state: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):  # no init yet: the defaults
        state = json.loads((folder / SESSION_FILE).read_text("utf-8"))
    return Session(
        session_id,
        folder,
        bool(state.get("zip", False)),
        str(state.get("version") or DEFAULT_VERSION),
    )


def _sweep(root: Path, now: float) -> None:
    """Sessions of another day: their uploads go."""
    if not root.is_dir():
        return
    for folder in root.iterdir():
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > SESSION_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def upload_path(folder: Path, filename: str) -> Path:
    """Where an uploaded file goes: 1C's relative name (`import_files/ab/x.jpg` too) kept
    inside the session's folder; anything climbing out or absolute is refused."""
    name = filename.replace("\\", "/").strip()
    parts = PurePosixPath(name).parts
    if (
        not name
        or name.startswith("/")
        or not parts
        or any(p in ("", ".", "..") or not _SAFE_PART.match(p) for p in parts)
        or len(parts) > 8
    ):
        raise ExchangeRefused(f"bad file name {filename[:80]!r}")
    return folder.joinpath(*parts)


# --- the endpoint --------------------------------------------------------------------------


class Exchange:
    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def _limit(self) -> int:
        settings = self.app.settings
        return min(settings.onec_exchange_file_limit, settings.http_max_bytes)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        settings = self.app.settings
        if not settings.exchange_enabled():
            return failure("the exchange is off: ONEC_EXCHANGE_USER is not set", status=404)
        kind = request.query.get("type", "")
        mode = request.query.get("mode", "")
        if kind not in ("catalog", "sale"):
            return failure(f"unknown type {kind[:20]!r}: catalog or sale")
        now = self.app.clock().timestamp()
        if mode == "checkauth":
            if not _basic_ok(self.app, request.headers.get(hdrs.AUTHORIZATION)):
                logger.warning("1C exchange: wrong login from %s", request.remote)
                return failure("wrong login or password", status=401)
            await asyncio.to_thread(_sweep, settings.exchange_dir(), time.time())
            cookie = make_cookie(self.app, now)
            return _lines(["success", COOKIE, cookie])
        session_id = session_id_of(self.app, request.cookies.get(COOKIE), now)
        if session_id is None and _basic_ok(self.app, request.headers.get(hdrs.AUTHORIZATION)):
            # Some 1C releases send Basic on every call and drop the cookie.
            session_id = hashlib.sha256(_key(self.app)).hexdigest()[:32]
        if session_id is None:
            return failure("not authorised: call mode=checkauth first", status=401)
        session = _session(self.app, session_id)
        try:
            if mode == "init":
                return await self._init(request, session, kind)
            if mode == "file":
                return await self._file(request, session, kind)
            if mode == "import":
                return await self._import(request, session, kind)
            if mode == "query" and kind == "sale":
                return await self._query(session)
            if mode == "success":
                if kind == "sale":
                    confirmed = await confirm_orders(self.app.database, now=self.app.clock())
                    await self._log(kind, "success", None, "ok", {"orders": confirmed}, None)
                return _lines(["success"], session.encoding)
            if mode in ("deactivate", "complete"):  # CommerceML 3's end of a catalog run
                return _lines(["success"], session.encoding)
        except ExchangeRefused as exc:
            return failure(str(exc), session.encoding)
        return failure(f"unknown mode {mode[:20]!r}", session.encoding)

    async def _init(self, request: web.Request, session: Session, kind: str) -> web.Response:
        version = request.query.get("version") or DEFAULT_VERSION
        if not re.fullmatch(r"\d\.\d{1,2}", version):
            version = DEFAULT_VERSION
        state = {"zip": True, "version": version, "type": kind}

        def prepare() -> None:
            if session.folder.exists():
                shutil.rmtree(session.folder, ignore_errors=True)
            session.folder.mkdir(parents=True, exist_ok=True)
            (session.folder / SESSION_FILE).write_text(json.dumps(state), "utf-8")

        await asyncio.to_thread(prepare)
        # An import 1C never asked about again (after `progress`): its outcome is in the log.
        tasks = request.app[TASKS]
        for key in [k for k, task in tasks.items() if k[0] == session.id and task.done()]:
            del tasks[key]
        lines = ["zip=yes", f"file_limit={self._limit}"]
        if request.query.get("version"):
            lines += [f"sessid={session.id}", f"version={version}"]
        return _lines(lines, "utf-8" if version.startswith("3") else "windows-1251")

    async def _file(self, request: web.Request, session: Session, kind: str) -> web.Response:
        target = upload_path(session.folder, request.query.get("filename", ""))
        if not session.folder.is_dir():
            raise ExchangeRefused("no session folder: call mode=init first")
        written = 0
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        limit = self._limit
        try:
            handle = await asyncio.to_thread(target.open, "ab")
            try:
                async for chunk in bounded_chunks(request):
                    written += len(chunk)
                    if written > limit:
                        raise BodyTooLarge
                    await asyncio.to_thread(handle.write, chunk)
            finally:
                await asyncio.to_thread(handle.close)
        except BodyTooLarge:
            raise ExchangeRefused(f"a chunk over file_limit={limit} bytes") from None
        if kind == "sale" and target.suffix.lower() in (".xml", ".zip"):
            # 1C hands its word on the orders over in one piece and need not call import.
            if target.suffix.lower() == ".zip":
                extracted = await asyncio.to_thread(self._unzip_pending, session.folder)
                answer = _lines(["success"], session.encoding)
                for path in extracted:
                    if path.suffix.lower() == ".xml":
                        answer = await self._apply_sale(session, path)
                return answer
            return await self._apply_sale(session, target)
        return _lines(["success"], session.encoding)

    async def _apply_sale(self, session: Session, path: Path) -> web.Response:
        app = self.app
        started = app.clock()
        try:
            if await asyncio.to_thread(detect_kind, path) is not DocumentKind.ORDERS:
                raise CommerceMLError("not a documents file")
            counts = await apply_order_updates(
                app.database,
                path,
                max_bytes=self._limit * UNZIP_FACTOR,
                now=started,
                texts=app.translator,
            )
        except CommerceMLError as exc:
            await self._log("sale", "import", path.name, "failed", {}, exc.reason)
            return failure(exc.reason, session.encoding)
        await self._log("sale", "import", path.name, "ok", counts, None)
        return _lines(["success"], session.encoding)

    async def _import(self, request: web.Request, session: Session, kind: str) -> web.Response:
        filename = request.query.get("filename", "")
        target = upload_path(session.folder, filename)
        await asyncio.to_thread(self._unzip_pending, session.folder)
        if not target.is_file():
            raise ExchangeRefused(f"{filename[:80]} was not uploaded")
        if kind == "sale":
            return await self._apply_sale(session, target)
        tasks = request.app[TASKS]
        key = (session.id, filename)
        task = tasks.get(key)
        if task is None:
            task = asyncio.create_task(self._run_import(target))
            tasks[key] = task
        done, _ = await asyncio.wait({task}, timeout=self.app.settings.onec_exchange_wait)
        if not done:
            return _lines(["progress", f"{filename}: importing"], session.encoding)
        tasks.pop(key, None)
        outcome = task.result()
        if outcome.get("error"):
            return failure(str(outcome["error"]), session.encoding)
        return _lines(["success", f"{filename}: {outcome['summary']}"], session.encoding)

    def _unzip_pending(self, folder: Path) -> list[Path]:
        """Archives uploaded with zip=yes are unpacked before the first import."""
        extracted: list[Path] = []
        for archive in sorted(folder.glob("*.zip")):
            try:
                extracted += safe_unzip(
                    archive,
                    folder,
                    max_total_bytes=self._limit * UNZIP_FACTOR,
                    max_ratio=UNZIP_RATIO,
                )
            except CommerceMLError as exc:
                raise ExchangeRefused(f"{archive.name}: {exc.reason}") from None
            finally:
                archive.unlink(missing_ok=True)
        return extracted

    async def _run_import(self, path: Path) -> dict[str, Any]:
        app = self.app
        started = app.clock()
        max_bytes = self._limit * UNZIP_FACTOR
        async with app.database.transaction() as db:
            run_id = await Repos(db).exchange.start_run("catalog", "import", path.name, started)
        try:
            kind = await asyncio.to_thread(detect_kind, path)
            counts: ExchangeCounts
            if kind is DocumentKind.CATALOG:
                counts = await apply_catalog(app.database, path, max_bytes=max_bytes, now=started)
            elif kind is DocumentKind.OFFERS:
                counts = await apply_offers(
                    app.database,
                    path,
                    max_bytes=max_bytes,
                    now=started,
                    zone=ZoneInfo(app.settings.default_timezone),
                )
            else:
                raise CommerceMLError("orders belong to type=sale")
        except CommerceMLError as exc:
            await self._finish(run_id, "failed", {}, exc.reason)
            return {"error": exc.reason}
        except Exception:
            logger.exception("1C exchange: importing %s failed", path.name)
            await self._finish(run_id, "failed", {}, "internal error")
            return {"error": "internal error; the bot's log has the details"}
        await self._finish(run_id, "ok", counts.as_dict(), None)
        logger.info("1C exchange: %s imported: %s", path.name, counts.as_dict())
        summary = f"{counts.products} products, {counts.prices} prices, {counts.stock} stock lines"
        return {"summary": summary}

    async def _query(self, session: Session) -> web.Response:
        app = self.app
        document, count = await orders_for_onec(
            app.database,
            now=app.clock(),
            zone=ZoneInfo(app.settings.default_timezone),
            encoding=session.encoding,
            schema_version=session.version,
        )
        await self._log("sale", "query", None, "ok", {"orders": count}, None)
        return web.Response(
            body=document, content_type="application/xml", charset=session.encoding
        )

    async def _finish(
        self, run_id: int, status: str, counts: dict[str, Any], error: str | None
    ) -> None:
        async with self.app.database.transaction() as session:
            await Repos(session).exchange.finish_run(
                run_id, status, counts, error, self.app.clock()
            )

    async def _log(
        self,
        exchange_type: str,
        action: str,
        file_name: str | None,
        status: str,
        counts: dict[str, Any],
        error: str | None,
    ) -> None:
        now = self.app.clock()
        async with self.app.database.transaction() as session:
            repos = Repos(session)
            run_id = await repos.exchange.start_run(exchange_type, action, file_name, now)
            await repos.exchange.finish_run(run_id, status, counts, error, now)
        logger.info(
            "1C exchange %s %s %s: %s %s",
            exchange_type,
            action,
            file_name or "",
            status,
            error or counts,
        )


def add_routes(web_app: web.Application, app: App) -> None:
    exchange = Exchange(app)
    web_app[TASKS] = {}
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]] = exchange.handle
    for route in ROUTES:
        web_app.router.add_route("GET", route, handler)
        web_app.router.add_route("POST", route, handler)
