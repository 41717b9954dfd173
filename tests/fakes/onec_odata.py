"""A fake of 1C's standard OData interface (`…/odata/standard.odata/`), for the sync's tests
and benchmark.

It serves what a published УТ 11 base serves, in 1C's shapes: `$metadata` (EDMX from
`onec_data/ut115.xml` or `ut114.xml`: real entity and field names, extension fields such as
`Расш1_КодКлиентаCRM` among them), collections in the JSON envelope
(`{"odata.metadata": "…$metadata#Catalog_X", "value": [...]}`), one object by
`Entity(guid'…')` (`…/@Element`), `$top`/`$skip`/`$orderby`/`$select` and the `$filter`
subset the reader sends (comparisons joined by `and`/`or`/`not`, parentheses, `datetime'…'`,
`guid'…'`, strings, numbers, booleans), `Edm.Int64` as strings and `Edm.Double` as JSON
numbers (or as strings: `numbers_as_strings`), errors as `odata.error`, HTTP Basic from
UTF-8 bytes (401 on a wrong login).

Test controls: `add` / `replace` / `remove` / `clear` records, `unpublish` an entity set and
`drop_field` (as an admin who did not tick it, an older release), `fail_next(n, status)`,
`set_down("refuse" | "503" | None)`, and the request log (`requests`).

A query's answer (filtered, sorted, projected, serialized) is computed once and its pages
sliced from it, so 100,000 shipments come back in pages of 1,000 quickly enough for a
benchmark. Nothing runs at import time: create a `FakeOneC`, `await start()` and `stop()`."""

from __future__ import annotations

import base64
import binascii
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self
from xml.sax.saxutils import quoteattr

from aiohttp import web

DATA = Path(__file__).parent / "onec_data"
EDM = "{http://schemas.microsoft.com/ado/2009/11/edm}"
NAMESPACE = "StandardODATA"
Record = dict[str, Any]
Predicate = Callable[[Record], bool]


@dataclass
class EntityType:
    name: str
    key: tuple[str, ...]
    properties: dict[str, str]  # name → EDM type, in the document's order
    open_type: bool = False


@dataclass
class Metadata:
    """The fake's own model of the EDMX it serves (read from a trusted test file)."""

    types: dict[str, EntityType]
    complex_types: dict[str, dict[str, str]]
    enums: dict[str, list[str]]
    sets: dict[str, str]  # entity set → entity type

    @classmethod
    def load(cls, path: Path) -> Metadata:
        # Our own test data, not input from the network: the stdlib parser is fine here.
        root = ET.parse(path).getroot()
        types: dict[str, EntityType] = {}
        complex_types: dict[str, dict[str, str]] = {}
        enums: dict[str, list[str]] = {}
        sets: dict[str, str] = {}
        for schema in root.iter(f"{EDM}Schema"):
            for node in schema.findall(f"{EDM}EntityType"):
                key = tuple(ref.get("Name", "") for ref in node.iter(f"{EDM}PropertyRef"))
                properties = {
                    prop.get("Name", ""): prop.get("Type", "")
                    for prop in node.findall(f"{EDM}Property")
                }
                name = node.get("Name", "")
                types[name] = EntityType(name, key, properties, node.get("OpenType") == "true")
            for node in schema.findall(f"{EDM}ComplexType"):
                complex_types[node.get("Name", "")] = {
                    prop.get("Name", ""): prop.get("Type", "")
                    for prop in node.findall(f"{EDM}Property")
                }
            for node in schema.findall(f"{EDM}EnumType"):
                enums[node.get("Name", "")] = [
                    member.get("Name", "") for member in node.findall(f"{EDM}Member")
                ]
            for node in schema.iter(f"{EDM}EntitySet"):
                sets[node.get("Name", "")] = node.get("EntityType", "").rpartition(".")[2]
        return cls(types, complex_types, enums, sets)

    def entity(self, entity_set: str) -> EntityType | None:
        type_name = self.sets.get(entity_set)
        return self.types.get(type_name) if type_name else None

    def render(self) -> bytes:
        lines = [
            "<?xml version='1.0' encoding='UTF-8'?>",
            '<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">',
            '  <edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/'
            'metadata" m:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0">',
            f'    <Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" '
            f'Namespace="{NAMESPACE}">',
        ]
        for entity in self.types.values():
            open_type = ' OpenType="true"' if entity.open_type else ""
            lines.append(f"      <EntityType Name={quoteattr(entity.name)}{open_type}>")
            lines.append("        <Key>")
            lines += [f"          <PropertyRef Name={quoteattr(k)}/>" for k in entity.key]
            lines.append("        </Key>")
            for name, kind in entity.properties.items():
                nullable = "false" if name in entity.key else "true"
                lines.append(
                    f"        <Property Name={quoteattr(name)} Type={quoteattr(kind)} "
                    f'Nullable="{nullable}"/>'
                )
            lines.append("      </EntityType>")
        for name, properties in self.complex_types.items():
            lines.append(f"      <ComplexType Name={quoteattr(name)}>")
            lines += [
                f'        <Property Name={quoteattr(p)} Type={quoteattr(t)} Nullable="true"/>'
                for p, t in properties.items()
            ]
            lines.append("      </ComplexType>")
        for name, members in self.enums.items():
            lines.append(f"      <EnumType Name={quoteattr(name)}>")
            lines += [f"        <Member Name={quoteattr(m)}/>" for m in members]
            lines.append("      </EnumType>")
        lines.append(
            '      <EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">'
        )
        lines += [
            f"        <EntitySet Name={quoteattr(s)} EntityType={quoteattr(f'{NAMESPACE}.{t}')}/>"
            for s, t in self.sets.items()
        ]
        lines += ["      </EntityContainer>", "    </Schema>", "  </edmx:DataServices>"]
        lines.append("</edmx:Edmx>")
        return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Request:
    """One request as the fake saw it: the path after `standard.odata/`, decoded, and the
    query's parameters, decoded."""

    method: str
    path: str
    query: dict[str, str]
    user: str | None
    status: int


class FilterError(ValueError):
    pass


# --- the $filter subset ------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<open>\()|(?P<close>\))"
    r"|(?P<literal>(?:datetime|guid)'[^']*'|'(?:[^']|'')*'|-?\d+(?:\.\d+)?(?![\w.])"
    r"|(?:true|false|null)(?!\w))"
    r"|(?P<word>\w+))"
)
_OPERATORS = {"eq", "ne", "gt", "ge", "lt", "le"}


def _literal(text: str) -> object:
    if text.startswith("datetime'"):
        return text[len("datetime'") : -1]
    if text.startswith("guid'"):
        return text[len("guid'") : -1].lower()
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    return Decimal(text)


def _compare(value: Any, operator: str, expected: Any) -> bool:
    if isinstance(value, str) and isinstance(expected, str) and operator in ("eq", "ne"):
        value, expected = value.lower(), expected.lower()
    if isinstance(value, str) and isinstance(expected, Decimal):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return False
    if operator == "eq":
        return bool(value == expected)
    if operator == "ne":
        return bool(value != expected)
    if value is None or expected is None:
        return False
    try:
        if operator == "gt":
            return bool(value > expected)
        if operator == "ge":
            return bool(value >= expected)
        if operator == "lt":
            return bool(value < expected)
        return bool(value <= expected)
    except TypeError:
        return False


class _FilterParser:
    def __init__(self, text: str, fields: Iterable[str]) -> None:
        self.tokens: list[tuple[str, str]] = []
        self.fields = set(fields)
        position = 0
        text = text.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise FilterError(f"cannot parse $filter at {text[position : position + 20]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
            while position < len(text) and text[position].isspace():
                position += 1
        self.position = 0

    def parse(self) -> Predicate:
        predicate = self._or()
        if self.position != len(self.tokens):
            raise FilterError(f"unexpected {self.tokens[self.position][1]!r} in $filter")
        return predicate

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise FilterError("$filter ends too early")
        self.position += 1
        return token

    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._peek() == ("word", "or"):
            self._take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else lambda r: any(p(r) for p in parts)

    def _and(self) -> Predicate:
        parts = [self._unary()]
        while self._peek() == ("word", "and"):
            self._take()
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else lambda r: all(p(r) for p in parts)

    def _unary(self) -> Predicate:
        if self._peek() == ("word", "not"):
            self._take()
            inner = self._unary()
            return lambda r: not inner(r)
        if self._peek() == ("open", "("):
            self._take()
            inner = self._or()
            if self._take() != ("close", ")"):
                raise FilterError("missing ) in $filter")
            return inner
        kind, name = self._take()
        if kind != "word" or name not in self.fields:
            raise FilterError(f"Неизвестное поле в условии отбора: {name}")
        _, operator = self._take()
        if operator not in _OPERATORS:
            raise FilterError(f"unsupported operator {operator!r}")
        kind, text = self._take()
        if kind != "literal":
            raise FilterError(f"a literal expected after {name} {operator}")
        expected = _literal(text)
        return lambda r: _compare(r.get(name), operator, expected)


def compile_filter(text: str, fields: Iterable[str]) -> Predicate:
    return _FilterParser(text, fields).parse()


# --- serializing as 1C does --------------------------------------------------------------------

_NUMBER_MARK = re.compile(r'"\\u0000N([-0-9.Ee+]+)\\u0000"')


def _json(value: Any, *, numbers_as_strings: bool) -> str:
    """JSON text with Decimals as numbers written with their own digits (1C's Edm.Double),
    or as strings."""

    def default(item: object) -> object:
        if isinstance(item, Decimal):
            return str(item) if numbers_as_strings else f"\x00N{item}\x00"
        raise TypeError(f"not JSON: {type(item).__name__}")

    text = json.dumps(value, ensure_ascii=False, default=default)
    return text if numbers_as_strings else _NUMBER_MARK.sub(r"\1", text)


def odata_error(code: str, message: str) -> dict[str, Any]:
    return {"odata.error": {"code": code, "message": {"lang": "ru", "value": message}}}


_UNAVAILABLE = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>'
    "<title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1>"
    "<p>The server is temporarily unable to service your request.</p></body></html>\n"
)
_SEGMENT = re.compile(r"^(?P<entity>[^()/]+)(?:\(guid'(?P<key>[0-9a-fA-F-]{36})'\))?$")


@dataclass
class _Fault:
    remaining: int
    status: int
    message: str | None
    # Only requests for this entity set (None: any); the first `after` of them pass.
    entity: str | None = None
    after: int = 0


@dataclass
class _Collection:
    records: dict[tuple[str, ...], Record] = field(default_factory=dict)
    version: int = 0


class FakeOneC:
    """`FakeOneC(user="Администратор", password="пароль")`; `await start()` gives
    `base_url` (…/odata/standard.odata)."""

    def __init__(
        self,
        *,
        user: str = "Администратор",
        password: str = "пароль",
        release: Literal["11.5", "11.4"] = "11.5",
        infobase: str = "trade",
        numbers_as_strings: bool = False,
        bom: bool = False,
    ) -> None:
        self.user = user
        self.password = password
        self.infobase = infobase
        self.numbers_as_strings = numbers_as_strings
        # 1C's web server may start a JSON answer with a UTF-8 byte order mark.
        self.bom = bom
        self.metadata = Metadata.load(DATA / ("ut115.xml" if release == "11.5" else "ut114.xml"))
        self.requests: list[Request] = []
        self.base_url = ""
        self._collections: dict[str, _Collection] = {}
        self._faults: list[_Fault] = []
        self._down: Literal["refuse", "503"] | None = None
        self._metadata_version = 0
        self._metadata_cache: tuple[int, bytes] | None = None
        self._answers: dict[tuple[object, ...], list[Record]] = {}
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._app = web.Application()
        self._app.router.add_route("*", "/{tail:.*}", self._handle)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> str:
        await self._listen(self._port)
        return self.base_url

    async def _listen(self, port: int) -> None:
        self._runner = web.AppRunner(self._app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, reuse_address=True)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{self._port}/{self.infobase}/odata/standard.odata"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def set_down(self, mode: Literal["refuse", "503"] | None) -> None:
        """ "refuse": nothing listens on the port (connections refused, open ones closed);
        "503": the web server answers 503 to everything; None: back up, same port."""
        if mode == "refuse" and self._runner is not None:
            await self.stop()
        elif mode != "refuse" and self._runner is None:
            await self._listen(self._port)
        self._down = mode

    # ------------------------------------------------------------------ test controls

    def add(self, entity: str, *records: Record) -> None:
        """Add (or replace, by key) records of a published entity set."""
        collection = self._collection(entity)
        for record in records:
            collection.records[self._key(entity, record)] = record
        collection.version += 1

    def replace(self, entity: str, record: Record) -> None:
        self.add(entity, record)

    def remove(self, entity: str, key: str | tuple[str, ...]) -> None:
        collection = self._collection(entity)
        collection.records.pop((key,) if isinstance(key, str) else key, None)
        collection.version += 1

    def clear(self, entity: str) -> None:
        collection = self._collection(entity)
        collection.records.clear()
        collection.version += 1

    def records(self, entity: str) -> list[Record]:
        return list(self._collection(entity).records.values())

    def unpublish(self, entity: str) -> None:
        """As an admin who did not tick the object: its entity set leaves `$metadata` and
        requests for it fail."""
        self.metadata.sets.pop(entity, None)
        self._metadata_changed()

    def drop_field(self, entity: str, name: str) -> None:
        """A field this release (or this base) does not have: gone from `$metadata`, from
        the answers, and refused in `$select` / `$filter`."""
        type_name = self.metadata.sets.get(entity, entity)
        found = self.metadata.types.get(type_name)
        if found is not None:
            found.properties.pop(name, None)
        self.metadata.complex_types.get(f"{entity}_RowType", {}).pop(name, None)
        self._metadata_changed()

    def add_field(self, entity: str, name: str, edm_type: str = "Edm.String") -> None:
        """A field another configuration has (a `Code` on contractors, say)."""
        found = self.metadata.types[self.metadata.sets.get(entity, entity)]
        found.properties[name] = edm_type
        self._metadata_changed()

    def fail_next(
        self,
        count: int,
        status: int = 503,
        *,
        message: str | None = None,
        entity: str | None = None,
        after: int = 0,
    ) -> None:
        """The next `count` requests (for `entity` only, when given, and past the first
        `after` of them: a failure in the middle of its pages) get `status`: with 1C's
        `odata.error` body carrying `message` when one is given (or for a 4xx), else the
        web server's 503 page."""
        self._faults.append(_Fault(count, status, message, entity, after))

    def queries(self, entity: str | None = None) -> list[Request]:
        """Logged requests for collections (of `entity`), in order."""
        return [
            r
            for r in self.requests
            if r.path != "$metadata" and (entity is None or r.path.split("(")[0] == entity)
        ]

    def _collection(self, entity: str) -> _Collection:
        if entity not in self.metadata.sets and entity not in self._collections:
            raise KeyError(f"{entity} is not an entity set of the fake's metadata")
        return self._collections.setdefault(entity, _Collection())

    def _key(self, entity: str, record: Record) -> tuple[str, ...]:
        found = self.metadata.entity(entity)
        names = found.key if found is not None else ("Ref_Key",)
        return tuple(str(record.get(name, "")) for name in names)

    def _metadata_changed(self) -> None:
        self._metadata_version += 1
        self._answers.clear()

    # ------------------------------------------------------------------ serving

    def _user_of(self, request: web.Request) -> tuple[str | None, bool]:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None, False
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, False
        login, _, password = decoded.partition(":")
        return login, login == self.user and password == self.password

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        prefix = f"/{self.infobase}/odata/standard.odata/"
        path = request.path[len(prefix) :] if request.path.startswith(prefix) else request.path
        query = dict(request.query)
        user, authorized = self._user_of(request)
        response = self._respond(request, path, query, authorized)
        self.requests.append(Request(request.method, path, query, user, response.status))
        return response

    def _respond(
        self, request: web.Request, path: str, query: dict[str, str], authorized: bool
    ) -> web.Response:
        if self._down == "503":
            return web.Response(status=503, text=_UNAVAILABLE, content_type="text/html")
        fault = next((f for f in self._faults if f.entity in (None, path.split("(")[0])), None)
        if fault is not None and fault.after > 0:
            fault.after -= 1
            fault = None
        if fault is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            if fault.message is None and fault.status >= 500:
                return web.Response(
                    status=fault.status, text=_UNAVAILABLE, content_type="text/html"
                )
            message = fault.message or "Ошибка обработки запроса"
            return self._error(fault.status, "-1", message)
        if not authorized:
            return web.Response(
                status=401,
                text="",
                headers={"WWW-Authenticate": 'Basic realm="1C:Enterprise"'},
            )
        if request.method != "GET":
            return self._error(405, "1", "Метод не поддерживается")
        if path == "$metadata":
            return web.Response(body=self._metadata_bytes(), content_type="application/xml")
        match = _SEGMENT.match(path)
        entity = match.group("entity") if match else ""
        found = self.metadata.entity(entity)
        if match is None or found is None:
            return self._error(404, "9", f"Не найден ресурс: {path}")
        if query.get("$format", "") not in ("json", "application/json"):
            return self._error(400, "1", "Фейк отвечает только в JSON ($format=json)")
        try:
            select = self._select(found, query.get("$select"))
            if match.group("key"):
                return self._one(entity, match.group("key").lower(), select)
            return self._page(entity, found, query, select)
        except FilterError as exc:
            return self._error(400, "6", str(exc))

    def _metadata_bytes(self) -> bytes:
        if self._metadata_cache is None or self._metadata_cache[0] != self._metadata_version:
            self._metadata_cache = (self._metadata_version, self.metadata.render())
        return self._metadata_cache[1]

    def _json_response(self, text: str) -> web.Response:
        body = ("\ufeff" + text if self.bom else text).encode()
        return web.Response(body=body, content_type="application/json", charset="utf-8")

    @staticmethod
    def _error(status: int, code: str, message: str) -> web.Response:
        body = json.dumps(odata_error(code, message), ensure_ascii=False)
        return web.Response(status=status, text=body, content_type="application/json")

    @staticmethod
    def _select(found: EntityType, text: str | None) -> tuple[str, ...] | None:
        if not text:
            return None
        names = tuple(name.strip() for name in text.split(",") if name.strip())
        for name in names:
            if name not in found.properties:
                raise FilterError(f"Неизвестное поле в списке выбора: {name}")
        return names

    def _project(
        self, found: EntityType, record: Record, select: tuple[str, ...] | None
    ) -> Record:
        names: Iterable[str] = select if select is not None else found.properties
        return {name: record[name] for name in names if name in record}

    def _envelope(self, entity: str, suffix: str = "") -> str:
        return f"{self.base_url}/$metadata#{entity}{suffix}"

    def _one(self, entity: str, key: str, select: tuple[str, ...] | None) -> web.Response:
        found = self.metadata.entity(entity)
        assert found is not None
        record = self._collection(entity).records.get((key,))
        if record is None:
            return self._error(404, "9", "Экземпляр сущности не найден")
        body = {"odata.metadata": self._envelope(entity, "/@Element")}
        body.update(self._project(found, record, select))
        return self._json_response(_json(body, numbers_as_strings=self.numbers_as_strings))

    def _page(
        self,
        entity: str,
        found: EntityType,
        query: dict[str, str],
        select: tuple[str, ...] | None,
    ) -> web.Response:
        collection = self._collection(entity)
        try:
            skip = int(query.get("$skip", "0"))
            top = int(query["$top"]) if "$top" in query else None
        except ValueError:
            return self._error(400, "1", "Неверное значение $top или $skip")
        text = query.get("$filter", "")
        if found.key == ("Ref_Key",) and _KEY_LOOKUP.fullmatch(text):
            # A lookup by keys (what the reader sends for references outside its window):
            # found by key, as 1C's own index finds them, not by scanning the whole set.
            keys = _GUID_LITERAL.findall(text)
            ordered = [collection.records[(k,)] for k in keys if (k,) in collection.records]
        else:
            # The filtered, ordered records are kept per query (a sync asks for page after
            # page of the same one); only the page asked for is written out.
            cache_key = (entity, collection.version, text, query.get("$orderby"))
            cached = self._answers.get(cache_key)
            if cached is None:
                cached = self._ordered(found, collection, query)
                if len(self._answers) >= 16:
                    self._answers.pop(next(iter(self._answers)))
                self._answers[cache_key] = cached
            ordered = cached
        chunk = ordered[skip : skip + top if top is not None else None]
        rows = [
            _json(self._project(found, r, select), numbers_as_strings=self.numbers_as_strings)
            for r in chunk
        ]
        head = _json({"odata.metadata": self._envelope(entity)}, numbers_as_strings=True)
        body = head[:-1] + ', "value": [' + ", ".join(rows) + "]}"
        return self._json_response(body)

    def _ordered(
        self, found: EntityType, collection: _Collection, query: dict[str, str]
    ) -> list[Record]:
        records: Iterable[Record] = collection.records.values()
        if query.get("$filter"):
            predicate = compile_filter(query["$filter"], found.properties)
            records = [r for r in records if predicate(r)]
        ordered = list(records)
        order = query.get("$orderby", "")
        if order:
            terms = [term.split() for term in order.split(",") if term.strip()]
            for term in reversed(terms):
                name = term[0]
                if name not in found.properties:
                    raise FilterError(f"Неизвестное поле в порядке: {name}")
                numeric = found.properties[name] in ("Edm.Int64", "Edm.Int32", "Edm.Int16")
                descending = len(term) > 1 and term[1].lower() == "desc"
                ordered.sort(key=_sort_key(name, numeric), reverse=descending)
        return ordered


_GUID_LITERAL = re.compile(r"guid'([0-9a-f-]{36})'")
_KEY_LOOKUP = re.compile(r"Ref_Key eq guid'[0-9a-f-]{36}'(?: or Ref_Key eq guid'[0-9a-f-]{36}')*")


def _sort_key(name: str, numeric: bool) -> Callable[[Record], Any]:
    if numeric:
        return lambda record: int(record.get(name) or 0)
    return lambda record: str(record.get(name, ""))
