"""The ingest API: `POST /api/v1/import/{kind}` with `Authorization: Bearer <token>` takes
what any ERP can send, rows as JSON or an export as CSV or XLSX, and imports it as the file
importer does (validated, prepared, switched, or nothing of it), answering with the summary.

The token is checked before a byte of the body is read, also when the client asks first
(`Expect: 100-continue`, as curl does for bodies over 1 KB): then a refused call never
uploads its body at all. Every call a token makes is kept in the audit trail under the
token's name; with an `Idempotency-Key`, the answer is kept there too, and a repeat within
24 hours gets it back without importing again (see `bot.services.api_tokens`)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from aiohttp import hdrs, web
from aiohttp.http import HttpVersion11

from bot.http import BodyTooLarge, bounded_chunks, json_error, too_large, too_large_error
from bot.services.api_tokens import authenticate, kept_answer, record_call, valid_idempotency_key
from bot.services.erp_files import ErpFileError, RawRow, normalize_header
from bot.services.erp_import import KINDS, ImportSummary, run_import
from bot.services.erp_import.summary import BATCH
from bot.services.erp_import.validate import COLUMNS, RowBatches
from storage.api_tokens import ApiTokenDTO
from storage.repositories import Repos

if TYPE_CHECKING:
    from bot.runtime.factory import App

logger = logging.getLogger(__name__)

ROUTE = "/api/v1/import/{kind}"
JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {JSON: "json", CSV: "csv", XLSX: "xlsx"}
# The answer lists this many rejected rows (`rejected_count` has them all): past a thousand,
# the rows are wrong in one way, and the answer (kept for an Idempotency-Key) stays small.
MAX_REJECTED = 1000
SNAPSHOT_FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TOKEN = web.RequestKey("kam_api_token", ApiTokenDTO)
# Bytes of an upload gathered before they are written out, in a worker thread.
FLUSH_BYTES = 1024 * 1024


class BodyError(Exception):
    """The body or the call cannot be imported: the catalogue's `text` for it, its `args`."""

    def __init__(self, text: str, **args: object) -> None:
        super().__init__(text)
        self.text = text
        self.details = args


# --- JSON rows ---------------------------------------------------------------------------


def column_lookup(kind: str) -> dict[str, str]:
    """A key as normalised (case, spaces, ё, trailing punctuation, as file headers are
    compared) → the canonical column: the English names and the Russian aliases."""
    lookup: dict[str, str] = {}
    for spec in COLUMNS[kind]:
        for alias in spec.aliases:
            lookup.setdefault(normalize_header(alias), spec.name)
    return lookup


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(body: bytes) -> object:
    """The body as JSON, with numbers exact (Decimal, never float: 0.1 stays 0.1, and an
    amount with a third decimal is refused as a file's would be, not rounded)."""
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise BodyError("api-error-json", detail=f"{exc.msg}, line {exc.lineno}") from None
    except (ValueError, RecursionError) as exc:  # an undecodable byte, 10⁵ nested arrays
        raise BodyError("api-error-json", detail=str(exc)[:200] or type(exc).__name__) from None


def json_rows(kind: str, data: object) -> list[RawRow]:
    """An array of objects as rows numbered from 1, keyed by the canonical column names of
    `COLUMNS[kind]` (a missing column is None, an unknown key ignored; of two keys naming
    one column the first counts, as the leftmost of two headers does in a file)."""
    if not isinstance(data, list):
        raise BodyError("api-error-not-array")
    lookup = column_lookup(kind)
    names = [spec.name for spec in COLUMNS[kind]]
    # Every row has the same keys: each is normalised once, not once a row.
    resolved: dict[str, str | None] = {}
    rows: list[RawRow] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise BodyError("api-error-not-object", row=number)
        values: dict[str, object] = dict.fromkeys(names)
        given: set[str] = set()
        for key, value in item.items():
            name = resolved.get(key, "")
            if name == "":
                name = resolved[key] = lookup.get(normalize_header(key))
            if name is None or name in given:
                continue
            given.add(name)
            if isinstance(value, str):
                values[name] = value.strip()
            elif value is None or (
                isinstance(value, int | Decimal) and not isinstance(value, bool)
            ):
                values[name] = value
            else:
                raise BodyError("api-error-value", row=number, name=key)
        rows.append(RawRow(number, values))
    return rows


async def row_batches(rows: Sequence[RawRow]) -> RowBatches:
    for start in range(0, len(rows), BATCH):
        yield list(rows[start : start + BATCH])


# --- the answer ----------------------------------------------------------------------------


def summary_answer(summary: ImportSummary, *, snapshot: bool) -> dict[str, Any]:
    return {
        "kind": summary.kind,
        "snapshot": snapshot,
        "read": summary.read,
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "removed": summary.removed,
        "rejected_count": len(summary.rejected),
        "rejected": [
            {"row": r.row, "column": r.column, "reason": r.reason, "value": r.value}
            for r in summary.rejected[:MAX_REJECTED]
        ],
        "conflicts": list(summary.conflicts),
    }


@dataclass
class Outcome:
    """What a call comes to: the response, and what the audit trail keeps of it."""

    response: web.Response
    facts: dict[str, object]


# --- the route -------------------------------------------------------------------------------


class IngestApi:
    def __init__(self, app: App) -> None:
        self.app = app

    async def expect(self, request: web.Request) -> web.StreamResponse | None:
        """`Expect: 100-continue`: the client waits for our word before it sends the body,
        so an unknown kind, a body over the limit or a bad token is answered now (and the
        body never sent); only an admitted call is told to go on."""
        refused = self._unknown_kind(request) or await self._admit(request)
        if refused is not None:
            return refused
        # What aiohttp's default expect handler does (it is private to aiohttp).
        expect = request.headers.get(hdrs.EXPECT, "")
        if request.version != HttpVersion11 or expect.lower() != "100-continue":
            raise web.HTTPExpectationFailed(text=f"Unknown Expect: {expect}")
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        request.writer.output_size = 0  # the 100 is not part of the response's body
        return None

    async def post(self, request: web.Request) -> web.StreamResponse:
        refused = self._unknown_kind(request) or await self._admit(request)
        if refused is not None:
            return refused
        token = request[TOKEN]
        try:
            outcome = await self._import(request, token)
        except Exception:  # answered 500 by the server's middleware, logged there
            facts = {"kind": request.match_info["kind"], "status": 500, "error": "internal"}
            async with self.app.database.transaction() as session:
                await record_call(Repos(session), token, facts, now=self.app.clock())
            raise
        async with self.app.database.transaction() as session:
            await record_call(Repos(session), token, outcome.facts, now=self.app.clock())
        logger.info(
            "API import %s by token %s (%s): %s",
            request.match_info["kind"],
            token.id,
            token.name,
            outcome.response.status,
        )
        return outcome.response

    def _unknown_kind(self, request: web.Request) -> web.Response | None:
        kind = request.match_info["kind"]
        if kind in KINDS:
            return None
        return json_error(
            request,
            404,
            "unknown_kind",
            "api-error-unknown-kind",
            {"kind": kind, "kinds": ", ".join(KINDS)},
        )

    async def _admit(self, request: web.Request) -> web.Response | None:
        """A body over the limit or no valid token: refused, the body unread."""
        if TOKEN in request:  # admitted already, by the expect handler
            return None
        refused = too_large(request)
        if refused is not None:
            return refused
        async with self.app.database.read() as session:
            token = await authenticate(Repos(session), request.headers.get(hdrs.AUTHORIZATION))
        if token is None:
            logger.warning("API call refused: no valid token (from %s)", request.remote)
            return json_error(
                request,
                401,
                "unauthorized",
                "api-error-unauthorized",
                headers={hdrs.WWW_AUTHENTICATE: 'Bearer realm="kam"'},
            )
        request[TOKEN] = token
        return None

    async def _import(self, request: web.Request, token: ApiTokenDTO) -> Outcome:
        kind = request.match_info["kind"]
        facts: dict[str, object] = {"kind": kind}

        def error(
            status: int, code: str, text: str, args: dict[str, object] | None = None
        ) -> Outcome:
            facts.update(status=status, error=code)
            return Outcome(json_error(request, status, code, text, args), facts)

        flag = request.query.get("snapshot", "false").strip().lower()
        if flag not in SNAPSHOT_FLAGS:
            return error(400, "bad_request", "api-error-snapshot-flag", {"value": flag[:20]})
        snapshot = facts["snapshot"] = SNAPSHOT_FLAGS[flag]
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is not None and not valid_idempotency_key(key):
            return error(400, "bad_request", "api-error-idempotency-key")
        if key is not None:
            facts["idempotency_key"] = key
        form = FORMATS.get(request.content_type)
        if form is None:
            return error(
                415,
                "unsupported_media_type",
                "api-error-media-type",
                {"type": request.content_type},
            )
        facts["format"] = form
        digest = hashlib.sha256(f"{kind}\n{snapshot}\n{form}\n".encode())
        with tempfile.TemporaryDirectory(prefix="kam-api-") as folder:
            path = Path(folder) / f"upload.{form}"
            try:
                body, facts["bytes"] = await _read_body(
                    request, digest, None if form == "json" else path
                )
            except BodyTooLarge:
                facts.update(status=413, error="too_large")
                return Outcome(too_large_error(request), facts)
            request_sha256 = facts["request_sha256"] = digest.hexdigest()
            if key is not None:
                replay = await self._replay(request, token, key, request_sha256, facts)
                if replay is not None:
                    return replay
            try:
                source: Path | RowBatches = path
                if form == "json":
                    rows = await asyncio.to_thread(lambda: json_rows(kind, parse_json(body)))
                    if snapshot and not rows:
                        raise BodyError("api-error-empty-snapshot")
                    source = row_batches(rows)
                summary = await run_import(
                    self.app.database,
                    kind,
                    source,
                    file_name=f"HTTP API: {token.name}",
                    snapshot=snapshot,
                    actor_id=None,
                    now=self.app.clock(),
                    texts=self.app.translator,
                    max_bytes=self.app.settings.http_max_bytes,
                )
            except BodyError as exc:
                return error(400, "bad_request", exc.text, exc.details)
            except ErpFileError as exc:
                return self._file_error(request, exc, facts)
        answer = summary_answer(summary, snapshot=snapshot)
        facts.update(status=200, **summary.counts())
        if key is not None:
            facts["answer"] = answer
        return Outcome(web.json_response(answer), facts)

    async def _replay(
        self,
        request: web.Request,
        token: ApiTokenDTO,
        key: str,
        request_sha256: str,
        facts: dict[str, object],
    ) -> Outcome | None:
        async with self.app.database.read() as session:
            kept = await kept_answer(Repos(session), token, key, now=self.app.clock())
        if kept is None:
            return None
        if kept.request_sha256 != request_sha256:
            facts.update(status=422, error="idempotency_mismatch")
            response = json_error(
                request, 422, "idempotency_mismatch", "api-error-idempotency-mismatch"
            )
            return Outcome(response, facts)
        facts.update(status=200, replayed=True)
        return Outcome(web.json_response(kept.answer, headers={REPLAYED_HEADER: "true"}), facts)

    def _file_error(
        self, request: web.Request, exc: ErpFileError, facts: dict[str, object]
    ) -> Outcome:
        details = {k: str(v) for k, v in exc.details.items()}
        status, code = {
            "import-error-busy": (409, "busy"),
            "import-error-too-large": (413, "too_large"),
        }.get(exc.reason, (422, "unreadable"))
        facts.update(status=status, error=code, reason=exc.reason)
        response = json_error(
            request, status, code, exc.reason, details, extra={"reason": exc.reason, **details}
        )
        return Outcome(response, facts)


async def _read_body(request: web.Request, digest: Any, path: Path | None) -> tuple[bytes, int]:
    """The body and its size, hashed as it comes: kept in memory (JSON), or written to
    `path` (a file export, read from there as the file importer reads one; b"" returned)."""
    size = 0
    if path is None:
        parts = []
        async for chunk in bounded_chunks(request):
            digest.update(chunk)
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts), size
    handle: IO[bytes] = await asyncio.to_thread(path.open, "wb")
    try:
        pending = bytearray()
        async for chunk in bounded_chunks(request):
            digest.update(chunk)
            pending += chunk
            size += len(chunk)
            if len(pending) >= FLUSH_BYTES:
                await asyncio.to_thread(handle.write, bytes(pending))
                pending.clear()
        await asyncio.to_thread(handle.write, bytes(pending))
    finally:
        await asyncio.to_thread(handle.close)
    return b"", size


def add_routes(web_app: web.Application, app: App) -> None:
    api = IngestApi(app)
    web_app.router.add_post(ROUTE, api.post, expect_handler=api.expect)
