"""An async client of 1C's standard OData interface (`…/odata/standard.odata/`, OData v3,
JSON with `$format=json`), on aiohttp.

What 1C does that shapes this client:

- Logins and passwords are often Cyrillic. HTTP Basic is built from their UTF-8 bytes (the
  1C web server decodes UTF-8; aiohttp's `BasicAuth` would encode latin-1 and fail).
- A collection answers `{"odata.metadata": "…$metadata#Catalog_X", "value": [...]}`, a
  single object (`Catalog_X(guid'…')`) the object itself; 1C may prepend a UTF-8 BOM.
- `Edm.Double` values (every amount, price and quantity) arrive as JSON numbers, `Edm.Int64`
  ones (`LineNumber`) as strings. JSON numbers are parsed into `Decimal` from their text,
  never through a float, so `1250.1` stays exactly 1250.10.
- Errors come as `{"odata.error": {"code": "…", "message": {"lang": "ru", "value": "…"}}}`;
  the web server in front of it answers 502/503 pages while the cluster restarts.
- `$metadata` of a whole УТ 11 is tens of megabytes of EDMX: it is parsed as it streams in,
  with expat, refusing any DTD (so no entity can be declared or expanded: the protection
  defusedxml gives, without the dependency).

The password never appears in an exception, a log line or a repr."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote
from xml.parsers import expat

import aiohttp
from yarl import URL

log = logging.getLogger(__name__)

T = TypeVar("T")

EMPTY_GUID = "00000000-0000-0000-0000-000000000000"
# Characters left as they are in a query value: OData's own punctuation. Everything else
# (spaces, Cyrillic names, `&`, `=`, `+`) is percent-encoded as UTF-8.
_QUERY_SAFE = "',()/:*"
_PATH_SAFE = "()'"
# An error body is read up to this size (a proxy's HTML page may be large).
_ERROR_BODY_LIMIT = 64 * 1024


class ODataError(Exception):
    """1C (or the web server before it) refused a request. `status` is the HTTP status
    (None when no answer came), `message` 1C's own text when it gave one."""

    def __init__(self, status: int | None, message: str, entity: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.entity = entity

    def __str__(self) -> str:
        where = f"{self.entity}: " if self.entity else ""
        status = f"HTTP {self.status}: " if self.status is not None else ""
        return f"{where}{status}{self.message}"


class ODataAuthError(ODataError):
    """401/403: wrong login or password, or a user without the right to the interface."""


class ODataUnreachable(ODataError):
    """No usable answer after the retries: connection refused or reset, a timeout, 5xx."""


@dataclass(frozen=True)
class ODataMetadata:
    """What `$metadata` publishes: each entity set with its property names, the tabular
    parts' and registers' row types (`Document_X_Товары` for the ComplexType
    `Document_X_Товары_RowType`) and the enumerations' members."""

    entity_sets: Mapping[str, frozenset[str]]
    row_types: Mapping[str, frozenset[str]]
    enums: Mapping[str, tuple[str, ...]]

    def has(self, entity: str) -> bool:
        """Whether the entity set is published (ticked in the interface's composition)."""
        return entity in self.entity_sets

    def fields(self, name: str) -> frozenset[str] | None:
        """The properties of a published entity set, else of a row type of that name."""
        found = self.entity_sets.get(name)
        return found if found is not None else self.row_types.get(name)


class _EdmxParser:
    """A streaming EDMX reader: only entity and complex types' property names, entity sets
    and enumerations are kept, so memory follows the names, not the document."""

    def __init__(self) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        # A DTD is the only way to declare entities (billion laughs, external files):
        # 1C's EDMX has none, so any DTD is refused outright.
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse_external
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        self._parser = parser
        self._types: dict[str, set[str]] = {}
        self._complex: dict[str, set[str]] = {}
        self._sets: dict[str, str] = {}
        self._enums: dict[str, list[str]] = {}
        self._properties: set[str] | None = None
        self._members: list[str] | None = None

    @staticmethod
    def _refuse(*_args: object) -> None:
        raise ODataError(None, "$metadata declares a DTD or entities: refused", "$metadata")

    @staticmethod
    def _refuse_external(*_args: object) -> int:
        raise ODataError(None, "$metadata refers to an external entity: refused", "$metadata")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "Property" and self._properties is not None:
            self._properties.add(attributes.get("Name", ""))
        elif local == "EntityType":
            self._properties = self._types.setdefault(attributes.get("Name", ""), set())
        elif local == "ComplexType":
            self._properties = self._complex.setdefault(attributes.get("Name", ""), set())
        elif local == "EnumType":
            self._members = self._enums.setdefault(attributes.get("Name", ""), [])
        elif local == "Member" and self._members is not None:
            self._members.append(attributes.get("Name", ""))
        elif local == "EntitySet":
            type_name = attributes.get("EntityType", "").rpartition(".")[2]
            self._sets[attributes.get("Name", "")] = type_name

    def _end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local in ("EntityType", "ComplexType"):
            self._properties = None
        elif local == "EnumType":
            self._members = None

    def feed(self, data: bytes, *, final: bool = False) -> None:
        try:
            self._parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise ODataError(None, f"$metadata is not valid XML: {exc}", "$metadata") from None

    def result(self) -> ODataMetadata:
        self.feed(b"", final=True)
        sets = {
            name: frozenset(self._types[type_name])
            for name, type_name in self._sets.items()
            if type_name in self._types
        }
        suffix = "_RowType"
        rows = {
            name.removesuffix(suffix): frozenset(props)
            for name, props in self._complex.items()
            if name.endswith(suffix)
        }
        enums = {name: tuple(members) for name, members in self._enums.items()}
        return ODataMetadata(sets, rows, enums)


def parse_metadata(data: bytes) -> ODataMetadata:
    """`$metadata` EDMX (bytes) → what it publishes."""
    parser = _EdmxParser()
    parser.feed(data)
    return parser.result()


def basic_authorization(user: str, password: str | None) -> str:
    """The `Authorization` header of HTTP Basic from the UTF-8 bytes of login and password."""
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
    return f"Basic {token}"


def error_message(body: bytes, status: int | None) -> str:
    """1C's message from an `odata.error` body; else a short text of whatever came (a web
    server's HTML page), else the status."""
    text = body.decode("utf-8-sig", errors="replace")
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("odata.error") or data.get("error")
        if isinstance(error, dict):
            message = error.get("message")
            if isinstance(message, dict):
                message = message.get("value")
            if isinstance(message, str) and message.strip():
                return message.strip()[:500]
    plain = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    return plain[:200] or (f"HTTP {status}" if status is not None else "no answer")


def _decode_json(data: bytes, entity: str, status: int) -> Any:
    try:
        # parse_float: a JSON number's own digits become a Decimal, exactly.
        return json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError):
        raise ODataError(status, "the answer is not JSON", entity) from None


async def _read_json(response: aiohttp.ClientResponse, entity: str) -> Any:
    return _decode_json(await response.read(), entity, response.status)


class ODataClient:
    """`async with ODataClient(url, user, password) as client:` then `metadata()`,
    `pages(entity, …)` and `one(entity, ref_key)`.

    Connection errors, timeouts and 5xx answers are retried `attempts` times in all, waiting
    `backoff`, then twice that, and so on, through the injected `sleep`; then
    `ODataUnreachable`. 401/403 raise `ODataAuthError` at once, other 4xx `ODataError`."""

    def __init__(
        self,
        base_url: str,
        user: str | None,
        password: str | None,
        *,
        page_size: int = 1000,
        timeout: float = 60,
        attempts: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if page_size < 1 or attempts < 1:
            raise ValueError("page_size and attempts must be positive")
        # yarl percent-encodes a Cyrillic infobase name in the path (http://srv/УТ/odata/…).
        self.base_url = str(URL(base_url.rstrip("/")))
        self.user = user
        self.page_size = page_size
        self._authorization = basic_authorization(user, password) if user is not None else None
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self._metadata: ODataMetadata | None = None

    def __repr__(self) -> str:
        return f"ODataClient({self.base_url!r}, user={self.user!r})"

    async def __aenter__(self) -> Self:
        # No total timeout: a long $metadata download is fine while bytes keep coming.
        timeout = aiohttp.ClientTimeout(
            total=None, connect=self._timeout, sock_connect=self._timeout, sock_read=self._timeout
        )
        headers = {"Accept": "application/json"}
        if self._authorization is not None:
            headers["Authorization"] = self._authorization
        self._session = aiohttp.ClientSession(timeout=timeout, headers=headers)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # ------------------------------------------------------------------ requests

    async def metadata(self) -> ODataMetadata:
        """`$metadata`, parsed as it streams in; read once per client."""
        if self._metadata is None:

            async def read(response: aiohttp.ClientResponse, entity: str) -> ODataMetadata:
                parser = _EdmxParser()
                async for chunk in response.content.iter_chunked(1 << 16):
                    parser.feed(chunk)
                return parser.result()

            url = URL(f"{self.base_url}/$metadata", encoded=True)
            found = await self._get(url, "$metadata", read, accept="application/xml")
            assert found is not None  # only `one()` takes a 404 for an answer
            self._metadata = found
        return self._metadata

    async def pages(
        self,
        entity: str,
        *,
        select: Sequence[str] | None = None,
        filter: str | None = None,
        orderby: str = "Ref_Key",
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The collection a page at a time (`$top`/`$skip` in a stable `$orderby`), until a
        page shorter than `page_size`. Empty pages are not yielded. The next page is asked
        for while the caller works on this one: 1C takes its time to build a page, and the
        import takes its own to stage it, so the two overlap instead of adding up."""

        async def fetch(skip: int) -> list[dict[str, Any]]:
            query = [
                ("$format", "json"),
                ("$orderby", orderby),
                ("$top", str(self.page_size)),
                ("$skip", str(skip)),
            ]
            if select:
                query.append(("$select", ",".join(select)))
            if filter:
                query.append(("$filter", filter))
            started = time.monotonic()
            body = await self._get(self._url(entity, query), entity, _read_json)
            rows = self._rows(body, entity)
            log.debug(
                "1C %s: %d rows from %d in %.2f s",
                entity,
                len(rows),
                skip,
                time.monotonic() - started,
            )
            return rows

        skip = 0
        ahead: asyncio.Task[list[dict[str, Any]]] | None = asyncio.create_task(fetch(0))
        try:
            while ahead is not None:
                rows = await ahead
                skip += len(rows)
                ahead = asyncio.create_task(fetch(skip)) if len(rows) >= self.page_size else None
                if rows:
                    yield rows
        finally:
            if ahead is not None and not ahead.done():
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError, ODataError):
                    await ahead

    async def one(
        self, entity: str, ref_key: str, *, select: Sequence[str] | None = None
    ) -> dict[str, Any] | None:
        """`Entity(guid'…')`; None when 1C answers 404 (no such object)."""
        key = str(uuid.UUID(ref_key))  # a GUID, nothing else, goes into the path
        query = [("$format", "json")]
        if select:
            query.append(("$select", ",".join(select)))
        url = self._url(f"{entity}(guid'{key}')", query)
        body = await self._get(url, entity, _read_json, not_found_ok=True)
        if body is None:
            return None
        if not isinstance(body, dict):
            raise ODataError(200, "unexpected answer: not an object", entity)
        return body

    # ------------------------------------------------------------------ plumbing

    def _url(self, path: str, query: Sequence[tuple[str, str]]) -> URL:
        text = "&".join(f"{name}={quote(value, safe=_QUERY_SAFE)}" for name, value in query)
        path = quote(path, safe=_PATH_SAFE)
        return URL(f"{self.base_url}/{path}" + (f"?{text}" if text else ""), encoded=True)

    @staticmethod
    def _rows(body: Any, entity: str) -> list[dict[str, Any]]:
        rows = body.get("value") if isinstance(body, dict) else None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ODataError(200, "unexpected answer: no list of objects in 'value'", entity)
        return rows

    async def _get(
        self,
        url: URL,
        entity: str,
        read: Callable[[aiohttp.ClientResponse, str], Awaitable[T]],
        *,
        accept: str | None = None,
        not_found_ok: bool = False,
    ) -> T | None:
        if self._session is None:
            raise RuntimeError("ODataClient is used outside `async with`")
        headers = {"Accept": accept} if accept else None
        last: ODataUnreachable | None = None
        for attempt in range(1, self._attempts + 1):
            if last is not None:
                delay = self._backoff * 2 ** (attempt - 2)
                log.warning("1C %s: %s; retry %d in %.1f s", entity, last, attempt, delay)
                await self._sleep(delay)
            try:
                async with self._session.get(url, headers=headers) as response:
                    if response.status == 200:
                        return await read(response, entity)
                    body = await response.content.read(_ERROR_BODY_LIMIT)
                    status = response.status
            except (
                aiohttp.ClientConnectionError,
                aiohttp.ClientPayloadError,
                TimeoutError,
            ) as exc:
                last = ODataUnreachable(None, _describe(exc), entity)
                continue
            if status == 404 and not_found_ok:
                return None
            message = error_message(body, status)
            if status in (401, 403):
                raise ODataAuthError(status, message, entity)
            if status >= 500:
                last = ODataUnreachable(status, message, entity)
                continue
            raise ODataError(status, message, entity)
        assert last is not None
        raise last


def _describe(exc: BaseException) -> str:
    """A connection failure in a few words (aiohttp's texts carry the host, never the
    credentials: those live in a header)."""
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
