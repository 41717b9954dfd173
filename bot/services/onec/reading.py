"""1C's catalogs, documents and registers as the rows the importer validates.

`OneCReader.load_references()` reads `$metadata` (what is published decides which kinds are
skipped, and why) and the catalogs whole into small Ref_Key maps (a contractor's code, a
partner's manager, a contract's number, a product's article and name, a currency's code).
`batches(kind)` then reads one kind a page at a time and yields `RawRow`s whose values are
keyed by the columns of `validate.COLUMNS[kind]` and hold what a file's cell could (text,
`int`, `Decimal`, `date`): the importer checks them exactly as it checks an export file.

Documents are read in the date window (`today - look_back_days .. today`) unless `full`;
unposted and deleted ones are not yielded (the caller's window snapshot removes what they
replaced). Memory stays flat in the number of documents: a page at a time, keeping only a
document's Ref_Key → number (orders, for the shipments that name them; shipments, for the
payments) and, while shipments are read, their due dates.

What 1C holds that the rows do not carry is counted in `left_out` (folders, deleted items,
unposted documents, cancelled order lines, payments that are not a client's)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.services.erp_files import RawRow
from bot.services.erp_import.summary import BATCH
from bot.services.onec.odata import EMPTY_GUID, ODataClient, ODataMetadata
from bot.services.onec.profiles import (
    BANK_RECEIPTS,
    CASH_RECEIPTS,
    CONTRACTORS,
    CONTRACTS,
    CURRENCIES,
    KINDS,
    ORDERS,
    PACKAGES,
    PARTNERS,
    PLAN_PAYMENTS,
    PRICE_TYPES,
    PRODUCTS,
    SETTLEMENT_OBJECTS,
    SHIPMENTS,
    USERS,
    MissingPart,
    Profile,
    missing,
    skipped_kinds,
)
from storage.erp_dto import DateWindow

log = logging.getLogger(__name__)

Values = dict[str, object]

# ХозяйственнаяОперация of a client paying (bank and cash receipts alike).
CLIENT_PAYMENTS = frozenset({"ПоступлениеОплатыОтКлиента"})
# Objects looked up by Ref_Key per request (`Ref_Key eq guid'…' or …`): short URLs.
LOOKUP_CHUNK = 25
# Such requests in flight at once: enough to hide the round trips, few enough for 1C's
# web server (each is a session of the 1C user).
LOOKUPS_AT_ONCE = 4
_GUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_WORD = re.compile(r"[A-ZА-ЯЁ]{2,}(?![a-zа-яё])|[A-ZА-ЯЁ][a-zа-яё0-9]*|[a-zа-яё0-9]+")
_ISO_BY_NUMBER = {
    "643": "RUB",
    "810": "RUB",
    "840": "USD",
    "978": "EUR",
    "156": "CNY",
    "398": "KZT",
    "933": "BYN",
    "980": "UAH",
    "826": "GBP",
    "756": "CHF",
    "392": "JPY",
    "949": "TRY",
    "051": "AMD",
    "860": "UZS",
    "417": "KGS",
    "944": "AZN",
}
UNIT_LIMIT = 16  # validate.py keeps a price's unit to 16 characters


@dataclass(frozen=True)
class Skip:
    """A kind the sync cannot read, and why: "not_published" (`parts` says what to tick),
    "no_price_type" (none configured), "price_type_unknown", "price_type_ambiguous"."""

    kind: str
    reason: str
    parts: tuple[MissingPart, ...] = ()
    detail: str = ""


class SkippedKind(Exception):
    def __init__(self, skip: Skip) -> None:
        super().__init__(f"{skip.kind} is skipped: {skip.reason}")
        self.skip = skip


# --- values as 1C writes them ------------------------------------------------------------------


def _ref(value: object) -> str | None:
    """A reference's GUID; None for an empty reference."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and value != EMPTY_GUID else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _day(value: object) -> date | str | None:
    """1C's "2026-01-05T10:20:30" → a date; its empty date (year 1) → None. Anything else
    is passed on as it came, for the importer to reject."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
        return None if day.year == 1 else day
    return str(value)


def _number(value: object) -> Decimal | str | None:
    """An amount, price or quantity, exactly: JSON numbers are already Decimals, numbers
    sent as strings become Decimals from their text. What is not a number is passed on."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # not from this client (it parses JSON into Decimals)
        return Decimal(repr(value))
    text = _text(value)
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return text


def _int(value: object) -> int | str | None:
    """`Edm.Int64` arrives as a string ("12"), smaller integers as numbers."""
    number = _number(value)
    if isinstance(number, Decimal) and number == number.to_integral_value():
        return int(number)
    return number if number is None else str(number)


def _is_type(value: object, entity: str) -> bool:
    """A composite field's `…_Type` ("StandardODATA.Document_ЗаказКлиента") names `entity`."""
    return isinstance(value, str) and (value == entity or value.endswith("." + entity))


def enum_text(value: str) -> str:
    """An enumeration member as readable Russian: "КОтгрузке" → "К отгрузке",
    "НеСогласован" → "Не согласован"; abbreviations stay ("БезНДС" → "Без НДС")."""
    words = _WORD.findall(value)
    if not words:
        return value
    rest = [word if len(word) > 1 and word.isupper() else word.lower() for word in words[1:]]
    return " ".join([words[0], *rest])


def currency_code(code: object, description: object) -> str | None:
    """A currency's ISO letters: УТ 11 names currencies by them ("RUB"), older bases by a
    short name ("руб.") with the ISO number as the code ("643")."""
    name = _text(description).upper()
    if re.fullmatch(r"[A-Z]{3}", name):
        return name
    number = _text(code)
    if number in _ISO_BY_NUMBER:
        return _ISO_BY_NUMBER[number]
    if name in ("РУБ", "РУБ.", "RUR"):
        return "RUB"
    # An unknown one keeps its own code, visibly, rather than passing for roubles.
    return number[:3] or None


def _name_key(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


async def _in_parallel(
    look_up: Callable[[list[str]], Awaitable[None]], chunks: Iterable[list[str]]
) -> None:
    """Lookups by key, LOOKUPS_AT_ONCE requests in flight: a page of 1,000 payments names
    as many settlement objects, 40 requests, each mostly 1C's round trip."""
    pending = list(chunks)
    for start in range(0, len(pending), LOOKUPS_AT_ONCE):
        await asyncio.gather(*(look_up(c) for c in pending[start : start + LOOKUPS_AT_ONCE]))


def _chunks(keys: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


# --- the reader --------------------------------------------------------------------------------


class OneCReader:
    """Reads one base through `client` as `profile` says. Call `load_references()` first;
    then `batches(kind)` for each of `kinds()` in order (`KINDS`: clients, contracts,
    orders, order_lines, shipments, payments, prices). `skipped` says which kinds cannot be
    read and why, `missing` every part the base lacks (also those a kind does without)."""

    def __init__(
        self,
        client: ODataClient,
        profile: Profile,
        *,
        price_type: str | None,
        today: date,
        look_back_days: int = 45,
        full: bool = False,
        metadata: ODataMetadata | None = None,
    ) -> None:
        self._client = client
        self.profile = profile
        self.price_type = price_type
        self.window = None if full else DateWindow(today - timedelta(days=look_back_days), today)
        self._metadata = metadata
        self.missing: list[MissingPart] = []
        self.skipped: dict[str, Skip] = {}
        self.left_out: Counter[str] = Counter()
        self._loaded = False
        # Catalogs, whole (Ref_Key → what rows name them by).
        self._uses_codes = False
        self._codes: dict[str, str] = {}
        self._managers: dict[str, str] = {}
        self._users: dict[str, str] = {}
        self._contracts: dict[str, str] = {}
        self._products: dict[str, tuple[str, str, str | None]] = {}
        self._currencies: dict[str, str] = {}
        self._packages: dict[str, str] = {}
        self._price_type_key: str | None = None
        self._price_currency: str | None = None
        # Documents as they are read or looked up ("" for one 1C does not have).
        self._orders: dict[str, str] = {}
        self._shipments: dict[str, str] = {}
        self._objects: dict[str, tuple[str | None, str]] = {}

    @property
    def metadata(self) -> ODataMetadata:
        if self._metadata is None:
            raise RuntimeError("call load_references() first")
        return self._metadata

    def kinds(self) -> list[str]:
        """The kinds to read, in order, without the skipped ones."""
        return [kind for kind in KINDS if kind not in self.skipped]

    # ------------------------------------------------------------------ references

    async def load_references(self) -> None:
        metadata = self._metadata or await self._client.metadata()
        self._metadata = metadata
        self.missing = missing(metadata, self.profile)
        for kind, parts in skipped_kinds(self.missing).items():
            self.skipped[kind] = Skip(kind, "not_published", tuple(parts))
        needed = {entity for kind in self.kinds() for entity in self.profile.entities(kind)}
        published = needed & set(metadata.entity_sets)
        if CONTRACTORS in published:
            await self._load_contractor_codes()
        if "clients" not in self.skipped:
            if PARTNERS in published:
                await self._load(PARTNERS, ("Ref_Key", "ОсновнойМенеджер_Key"), self._manager)
            if USERS in published:
                await self._load(USERS, ("Ref_Key", "Description"), self._user)
        if CONTRACTS in published:
            await self._load(CONTRACTS, ("Ref_Key", "Номер", "Description"), self._contract)
        if PRODUCTS in published:
            fields = ("Ref_Key", "Description", "Code", "Артикул", "ЕдиницаИзмерения_Key")
            await self._load(PRODUCTS, (*fields, "IsFolder"), self._product)
        if CURRENCIES in published:
            await self._load(CURRENCIES, ("Ref_Key", "Code", "Description"), self._currency_item)
        if PACKAGES in published:
            await self._load(PACKAGES, ("Ref_Key", "Description"), self._package)
        if "prices" not in self.skipped:
            await self._resolve_price_type()
        self._loaded = True
        log.info(
            "1C references: %d contractor codes, %d contracts, %d products; skipped: %s",
            len(self._codes),
            len(self._contracts),
            len(self._products),
            ", ".join(f"{kind} ({skip.reason})" for kind, skip in self.skipped.items()) or "none",
        )

    def _select(self, entity: str, wanted: Iterable[str]) -> list[str]:
        present = self.metadata.fields(entity) or frozenset()
        return [name for name in wanted if name in present]

    async def _load(
        self, entity: str, wanted: Iterable[str], keep: Callable[[Mapping[str, Any]], None]
    ) -> None:
        async for page in self._client.pages(entity, select=self._select(entity, wanted)):
            for record in page:
                keep(record)

    async def _load_contractor_codes(self) -> None:
        # УТ 11's contractors have no code (only their partners do): then a contractor is
        # known by its Ref_Key, which needs no map at all.
        self._uses_codes = "Code" in (self.metadata.fields(CONTRACTORS) or frozenset())
        if self._uses_codes:
            await self._load(CONTRACTORS, ("Ref_Key", "Code"), self._contractor_code)

    def _contractor_code(self, record: Mapping[str, Any]) -> None:
        self._codes[record["Ref_Key"]] = self._own_code(record)

    def _manager(self, record: Mapping[str, Any]) -> None:
        manager = _ref(record.get("ОсновнойМенеджер_Key"))
        if manager:
            self._managers[record["Ref_Key"]] = manager

    def _user(self, record: Mapping[str, Any]) -> None:
        self._users[record["Ref_Key"]] = _text(record.get("Description"))

    def _contract(self, record: Mapping[str, Any]) -> None:
        self._contracts[record["Ref_Key"]] = self._contract_number(record)

    def _product(self, record: Mapping[str, Any]) -> None:
        if record.get("IsFolder") is True:
            return
        key = record["Ref_Key"]
        code = _text(record.get("Артикул")) or _text(record.get("Code")) or key
        unit = _ref(record.get("ЕдиницаИзмерения_Key"))
        self._products[key] = (code, _text(record.get("Description")), unit)

    def _currency_item(self, record: Mapping[str, Any]) -> None:
        code = currency_code(record.get("Code"), record.get("Description"))
        if code:
            self._currencies[record["Ref_Key"]] = code

    def _package(self, record: Mapping[str, Any]) -> None:
        self._packages[record["Ref_Key"]] = _text(record.get("Description"))

    async def _resolve_price_type(self) -> None:
        if not self.price_type or not self.price_type.strip():
            self.skipped["prices"] = Skip("prices", "no_price_type")
            return
        wanted = _name_key(self.price_type)
        found: list[Mapping[str, Any]] = []
        fields = ("Ref_Key", "Description", "DeletionMark", "ВалютаЦены_Key")
        async for page in self._client.pages(
            PRICE_TYPES, select=self._select(PRICE_TYPES, fields)
        ):
            found.extend(
                record
                for record in page
                if record.get("DeletionMark") is not True
                and _name_key(_text(record.get("Description"))) == wanted
            )
        if len(found) != 1:
            why = "price_type_unknown" if not found else "price_type_ambiguous"
            self.skipped["prices"] = Skip("prices", why, detail=self.price_type)
            return
        self._price_type_key = found[0]["Ref_Key"]
        self._price_currency = self._currency(found[0].get("ВалютаЦены_Key"))

    # ------------------------------------------------------------------ names of things

    def _own_code(self, record: Mapping[str, Any]) -> str:
        code = _text(record.get("Code")) if self._uses_codes else ""
        return code or str(record["Ref_Key"])

    def _code(self, key: str | None) -> str:
        """A contractor's code as the clients were imported with (see `_own_code`)."""
        if not key:
            return ""
        return self._codes.get(key, key) if self._uses_codes else key

    @staticmethod
    def _contract_number(record: Mapping[str, Any]) -> str:
        return _text(record.get("Номер")) or _text(record.get("Description"))

    def _contract_of(self, value: object) -> str | None:
        key = _ref(value)
        return self._contracts.get(key) or None if key else None

    def _currency(self, value: object) -> str | None:
        key = _ref(value)
        return self._currencies.get(key) if key else None

    def _document_filter(self) -> str:
        conditions = []
        if self.window is not None:
            conditions.append(f"Date ge datetime'{self.window.since.isoformat()}T00:00:00'")
            conditions.append(f"Date le datetime'{self.window.until.isoformat()}T23:59:59'")
        conditions += ["Posted eq true", "DeletionMark eq false"]
        return " and ".join(conditions)

    def _live(self, record: Mapping[str, Any], kind: str) -> bool:
        if record.get("DeletionMark") is True:
            self.left_out[f"{kind}: deleted"] += 1
            return False
        if record.get("Posted") is not True:
            self.left_out[f"{kind}: not posted"] += 1
            return False
        return True

    def _skip_item(self, record: Mapping[str, Any], kind: str) -> bool:
        if record.get("IsFolder") is True:
            self.left_out[f"{kind}: folders"] += 1
            return True
        if record.get("DeletionMark") is True:
            self.left_out[f"{kind}: deleted"] += 1
            return True
        return False

    async def _resolve(self, entity: str, keys: Iterable[str], known: dict[str, str]) -> None:
        """Numbers of documents outside what was read (an order before the window), a few
        dozen per request; "" for a key 1C does not have."""
        unknown = sorted({key for key in keys if key not in known and _GUID.fullmatch(key)})
        if not unknown or not self.metadata.has(entity):
            return

        async def look_up(chunk: list[str]) -> None:
            condition = " or ".join(f"Ref_Key eq guid'{key}'" for key in chunk)
            async for page in self._client.pages(
                entity, select=["Ref_Key", "Number"], filter=condition
            ):
                for record in page:
                    known[record["Ref_Key"]] = _text(record.get("Number"))
            for key in chunk:
                known.setdefault(key, "")

        await _in_parallel(look_up, _chunks(unknown, LOOKUP_CHUNK))

    # ------------------------------------------------------------------ kinds

    async def batches(self, kind: str) -> AsyncIterator[list[RawRow]]:
        """One kind's rows, `BATCH` at a time (`SkippedKind` for a skipped kind)."""
        if not self._loaded:
            raise RuntimeError("call load_references() first")
        if kind in self.skipped:
            raise SkippedKind(self.skipped[kind])
        producers = {
            "clients": self._clients,
            "contracts": self._contracts_rows,
            "orders": self._orders_rows,
            "order_lines": self._order_lines_rows,
            "shipments": self._shipments_rows,
            "payments": self._payments_rows,
            "prices": self._prices_rows,
        }
        if kind not in producers:
            raise ValueError(f"unknown kind: {kind}")
        number = 0
        batch: list[RawRow] = []
        async for values in producers[kind]():
            number += 1
            batch.append(RawRow(number, values))
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    async def _clients(self) -> AsyncIterator[Values]:
        select = self.profile.part("clients", CONTRACTORS).select(self.metadata)
        async for page in self._client.pages(CONTRACTORS, select=select):
            for record in page:
                if self._skip_item(record, "clients"):
                    continue
                key = record["Ref_Key"]
                head = _ref(record.get("ГоловнойКонтрагент_Key"))
                partner = _ref(record.get("Партнер_Key"))
                manager = self._managers.get(partner) if partner else None
                yield {
                    "code": self._own_code(record),
                    "name": _text(record.get("Description")),
                    "inn": _text(record.get("ИНН")) or None,
                    "kpp": _text(record.get("КПП")) or None,
                    "manager": self._users.get(manager) or None if manager else None,
                    "holding": self._code(head) if head and head != key else None,
                }

    async def _contracts_rows(self) -> AsyncIterator[Values]:
        select = self.profile.part("contracts", CONTRACTS).select(self.metadata)
        async for page in self._client.pages(CONTRACTS, select=select):
            for record in page:
                if self._skip_item(record, "contracts"):
                    continue
                limit = _number(record.get("ДопустимаяСуммаЗадолженности"))
                if record.get("ОграничиватьСуммуЗадолженности") is False or not limit:
                    limit = None
                days = _int(record.get("ДопустимоеЧислоДнейЗадолженности"))
                yield {
                    "client_code": self._code(_ref(record.get("Контрагент_Key"))),
                    "number": self._contract_number(record),
                    "date": _day(record.get("Дата")),
                    "deferral": days or None,
                    "credit_limit": limit,
                    "currency": self._currency(record.get("ВалютаВзаиморасчетов_Key")),
                }

    async def _orders_rows(self) -> AsyncIterator[Values]:
        select = self.profile.part("orders", ORDERS).select(self.metadata)
        async for page in self._client.pages(
            ORDERS, select=select, filter=self._document_filter()
        ):
            for record in page:
                if not self._live(record, "orders"):
                    continue
                number = _text(record.get("Number"))
                self._orders[record["Ref_Key"]] = number
                status = _text(record.get("Статус"))
                yield {
                    "number": number,
                    "date": _day(record.get("Date")),
                    "client_code": self._code(_ref(record.get("Контрагент_Key"))),
                    "contract": self._contract_of(record.get("Договор_Key")),
                    "status": enum_text(status) if status else None,
                    "amount": _number(record.get("СуммаДокумента")),
                    "ship_date": _day(record.get("ДатаОтгрузки")),
                    "currency": self._currency(record.get("Валюта_Key")),
                }

    async def _order_lines_rows(self) -> AsyncIterator[Values]:
        select = self.profile.part("order_lines", ORDERS).select(self.metadata)
        async for page in self._client.pages(
            ORDERS, select=select, filter=self._document_filter()
        ):
            for record in page:
                if not self._live(record, "order_lines"):
                    continue
                number, day = _text(record.get("Number")), _day(record.get("Date"))
                for line in record.get("Товары") or ():
                    if line.get("Отменено") is True:
                        self.left_out["order_lines: cancelled"] += 1
                        continue
                    product = self._products.get(_ref(line.get("Номенклатура_Key")) or "")
                    code, name, _unit = product or ("", "", None)
                    # СуммаСНДС: what the client pays for the line, whether or not the price
                    # includes VAT (the order's СуммаДокумента is their sum).
                    amount = line.get("СуммаСНДС")
                    yield {
                        "order": number,
                        "order_date": day,
                        "line": _int(line.get("LineNumber")),
                        "code": code or None,
                        "product": name,
                        "quantity": _number(line.get("Количество")),
                        "price": _number(line.get("Цена")),
                        "amount": _number(line.get("Сумма") if amount is None else amount),
                    }

    def _order_key(self, record: Mapping[str, Any]) -> str | None:
        key = _ref(record.get("ЗаказКлиента"))
        kind = record.get("ЗаказКлиента_Type")
        return key if key and (kind is None or _is_type(kind, ORDERS)) else None

    async def _due_dates(self) -> dict[str, date]:
        """Each shipment's earliest planned payment date (ДатаПлановогоПогашения of its
        records in the plan register), for the shipments of the window."""
        if not self.metadata.has(PLAN_PAYMENTS):
            return {}
        select = self.profile.part("shipments", PLAN_PAYMENTS).select(self.metadata)
        conditions = []
        if self.window is not None:
            conditions.append(f"Period ge datetime'{self.window.since.isoformat()}T00:00:00'")
            conditions.append(f"Period le datetime'{self.window.until.isoformat()}T23:59:59'")
        due: dict[str, date] = {}
        async for page in self._client.pages(
            PLAN_PAYMENTS,
            select=select,
            filter=" and ".join(conditions) or None,
            orderby="Recorder,LineNumber",
        ):
            for record in page:
                if record.get("Active") is False or record.get("RecordType") == "Expense":
                    continue
                if not _is_type(record.get("Recorder_Type"), SHIPMENTS):
                    continue
                key, day = _ref(record.get("Recorder")), _day(record.get("ДатаПлановогоПогашения"))
                if key and isinstance(day, date) and (key not in due or day < due[key]):
                    due[key] = day
        return due

    async def _shipments_rows(self) -> AsyncIterator[Values]:
        due = await self._due_dates()
        select = self.profile.part("shipments", SHIPMENTS).select(self.metadata)
        async for page in self._client.pages(
            SHIPMENTS, select=select, filter=self._document_filter()
        ):
            live = [record for record in page if self._live(record, "shipments")]
            await self._resolve(
                ORDERS, (key for r in live if (key := self._order_key(r))), self._orders
            )
            for record in live:
                key, number = record["Ref_Key"], _text(record.get("Number"))
                self._shipments[key] = number
                order = self._order_key(record)
                yield {
                    "number": number,
                    "date": _day(record.get("Date")),
                    "client_code": self._code(_ref(record.get("Контрагент_Key"))),
                    "contract": self._contract_of(record.get("Договор_Key")),
                    "order": self._orders.get(order) or None if order else None,
                    "amount": _number(record.get("СуммаДокумента")),
                    "due": due.get(key),
                    "currency": self._currency(record.get("Валюта_Key")),
                }

    def _target(self, row: Mapping[str, Any]) -> tuple[str | None, str] | None:
        """What a breakdown row pays: (Ref_Key, type) of a shipment, order or contract."""
        if self.profile.breakdown == "object":
            key = _ref(row.get("ОбъектРасчетов_Key"))
            return self._objects.get(key) if key else None
        key = _ref(row.get("Заказ"))
        return (key, _text(row.get("Заказ_Type"))) if key else None

    async def _resolve_breakdowns(self, receipts: Sequence[Mapping[str, Any]]) -> None:
        rows = [row for record in receipts for row in record.get("РасшифровкаПлатежа") or ()]
        if self.profile.breakdown == "object" and self.metadata.has(SETTLEMENT_OBJECTS):
            keys = {key for row in rows if (key := _ref(row.get("ОбъектРасчетов_Key")))}
            unknown = sorted(
                key for key in keys if key not in self._objects and _GUID.fullmatch(key)
            )

            async def look_up(chunk: list[str]) -> None:
                condition = " or ".join(f"Ref_Key eq guid'{key}'" for key in chunk)
                async for page in self._client.pages(
                    SETTLEMENT_OBJECTS,
                    select=["Ref_Key", "Объект", "Объект_Type"],
                    filter=condition,
                ):
                    for item in page:
                        self._objects[item["Ref_Key"]] = (
                            _ref(item.get("Объект")),
                            _text(item.get("Объект_Type")),
                        )
                for key in chunk:
                    self._objects.setdefault(key, (None, ""))

            await _in_parallel(look_up, _chunks(unknown, LOOKUP_CHUNK))
        shipments = set()
        for row in rows:
            target = self._target(row)
            if target and target[0] and _is_type(target[1], SHIPMENTS):
                shipments.add(target[0])
        await self._resolve(SHIPMENTS, shipments, self._shipments)

    def _paid(self, record: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """(the shipment, the contract) a receipt's breakdown names: a shipment only when
        every row pays that same one; a contract when all the rows that name one agree."""
        shipments: set[str] = set()
        contracts: set[str] = set()
        rows = record.get("РасшифровкаПлатежа") or ()
        for row in rows:
            target = self._target(row)
            if target and target[0] and _is_type(target[1], SHIPMENTS):
                shipments.add(target[0])
            else:
                shipments.add("")  # a row paying something else: an order, an advance
            if target and target[0] and _is_type(target[1], CONTRACTS):
                contracts.add(target[0])
            elif _is_type(row.get("ОснованиеПлатежа_Type"), CONTRACTS):
                basis = _ref(row.get("ОснованиеПлатежа"))
                if basis:
                    contracts.add(basis)
        shipment = next(iter(shipments)) if len(shipments) == 1 else ""
        contract = next(iter(contracts)) if len(contracts) == 1 else ""
        return (
            self._shipments.get(shipment) or None if shipment else None,
            self._contracts.get(contract) or None if contract else None,
        )

    async def _payments_rows(self) -> AsyncIterator[Values]:
        for entity in (BANK_RECEIPTS, CASH_RECEIPTS):
            select = self.profile.part("payments", entity).select(self.metadata)
            async for page in self._client.pages(
                entity, select=select, filter=self._document_filter()
            ):
                receipts = []
                for record in page:
                    if not self._live(record, "payments"):
                        continue
                    if _text(record.get("ХозяйственнаяОперация")) not in CLIENT_PAYMENTS:
                        self.left_out["payments: not from a client"] += 1
                        continue
                    receipts.append(record)
                await self._resolve_breakdowns(receipts)
                for record in receipts:
                    shipment, contract = self._paid(record)
                    yield {
                        "number": _text(record.get("Number")),
                        "date": _day(record.get("Date")),
                        "client_code": self._code(_ref(record.get("Контрагент_Key"))),
                        "contract": contract,
                        "shipment": shipment,
                        "amount": _number(record.get("СуммаДокумента")),
                        "currency": self._currency(record.get("Валюта_Key")),
                        # The payer's payment order: the same money in a bank statement.
                        "incoming_number": _text(record.get("НомерВходящегоДокумента")) or None,
                        "incoming_date": _day(record.get("ДатаВходящегоДокумента")),
                    }

    async def _prices_rows(self) -> AsyncIterator[Values]:
        entity, key = self.profile.prices, self._price_type_key
        assert key is not None  # else "prices" is skipped
        select = self.profile.part("prices", entity).select(self.metadata)
        conditions = [f"ВидЦены_Key eq guid'{key}'"]
        if self.window is not None:
            # From the window's start on, with no end: a price set for next month is read.
            conditions.append(f"Period ge datetime'{self.window.since.isoformat()}T00:00:00'")
        async for page in self._client.pages(
            entity, select=select, filter=" and ".join(conditions), orderby="Recorder,LineNumber"
        ):
            for record in page:
                if record.get("Active") is False or _ref(record.get("ВидЦены_Key")) != key:
                    self.left_out["prices: inactive"] += 1
                    continue
                if _ref(record.get("Характеристика_Key")):
                    # One price per product here: a characteristic's own price is not kept.
                    self.left_out["prices: of a characteristic"] += 1
                    continue
                product = self._products.get(_ref(record.get("Номенклатура_Key")) or "")
                if product is None:
                    self.left_out["prices: unknown product"] += 1
                    continue
                code, name, base_unit = product
                package = _ref(record.get("Упаковка_Key")) or base_unit
                unit = self._packages.get(package) if package else None
                yield {
                    "code": code,
                    "product": name,
                    "price": _number(record.get("Цена")),
                    "effective_from": _day(record.get("Period")),
                    "unit": unit[:UNIT_LIMIT] if unit else None,
                    "currency": self._price_currency,
                }
