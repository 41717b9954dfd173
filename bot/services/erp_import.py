"""Importing ERP (1C) exports: prepare, then switch.

Reading and validating (into the staging area), then resolving every row against what is
stored (new, changed, unchanged, removed by a snapshot) and computing what follows from it
(open amounts after payments, returns' bases, order status changes) all happen in short
transactions of one batch each, written as resolved operations to the run's pending table.
The switch then applies them in one transaction of a few set-based statements, so readers
see the file wholly or not at all, and the bot's own writes wait only for the switch (about
a second for 100,000 shipments), never for the preparation. Imports run one at a time; a
run killed mid-way is found by its old heartbeat, cleared, and the admins are told."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.accounts import reassign_clients
from bot.services.business_settings import load_settings
from bot.services.client_search import search_key
from bot.services.erp_files import (
    ColumnSpec,
    ErpFileError,
    RawRow,
    parse_date,
    parse_decimal,
    parse_int,
    parse_quantity,
    parse_text,
    read_rows,
)
from bot.services.import_hand_overs import NAMES_SHOWN
from bot.services.notifications import admins, notify_user
from bot.services.plans import month_of, parse_period
from bot.services.receivables import PaymentFact, ShipmentFact, open_amounts
from bot.services.requisites import valid_inn
from storage.dto import Role
from storage.engine import Database
from storage.erp import ErpRepo, UpsertCounts, upsert
from storage.models import Client, Contract, Order, OrderLine, Payment, Price, Shipment
from storage.repositories import Repos

logger = logging.getLogger(__name__)
BATCH = 1000
# Document kinds, prepared by prepare_documents; clients, prices and plans have their own
# preparation (a client's owner is decided at the switch: the chat may have handed it over
# since, and an owner set in the chat wins).
PREPARED = ("contracts", "orders", "order_lines", "shipments", "payments")
# The value columns the switch writes, per kind: what the importer types, plus updated_at.
SWITCHED_COLUMNS: dict[str, tuple[str, ...]] = {
    "contracts": (
        "client_id",
        "number",
        "signed_on",
        "deferral_days",
        "credit_limit",
        "penalty_rate",
        "currency",
        "removed_in_erp",
        "updated_at",
    ),
    "orders": (
        "number",
        "order_date",
        "client_id",
        "contract_id",
        "status",
        "amount",
        "currency",
        "ship_date",
        "removed_in_erp",
        "updated_at",
    ),
    "order_lines": (
        "order_id",
        "line_no",
        "product_code",
        "product_name",
        "quantity",
        "price",
        "amount",
        "removed_in_erp",
    ),
    "shipments": (
        "number",
        "shipped_on",
        "client_id",
        "contract_id",
        "order_id",
        "amount",
        "currency",
        "due_on",
        "removed_in_erp",
        "updated_at",
    ),
    "payments": (
        "number",
        "paid_on",
        "client_id",
        "contract_id",
        "shipment_id",
        "amount",
        "currency",
        "removed_in_erp",
        "updated_at",
    ),
}
# A run whose heartbeat (touched by every batch, a fraction of a second apart) is this old
# was killed: it is cleared as abandoned. Generous, so a slow disk never clears a live run.
ABANDON_AFTER = timedelta(minutes=5)
# Validate a file's rows in a worker thread (False: in the event loop, for the benchmark).
VALIDATE_IN_THREAD = True
KINDS = (
    "clients",
    "contracts",
    "orders",
    "order_lines",
    "shipments",
    "payments",
    "prices",
    "plans",
)


def col(name: str, *aliases: str, required: bool = False) -> ColumnSpec:
    return ColumnSpec(name=name, aliases=(name, *aliases), required=required)


CLIENT_REF = (
    col("client_code", "Код контрагента", "Код клиента", "Client code"),
    col("client", "Контрагент", "Покупатель", "Клиент", "Client"),
    col("inn", "ИНН", "ИНН контрагента", "INN", "Tax id"),
    col("kpp", "КПП", "KPP"),
)
COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "clients": (
        col("code", "Код", "Код контрагента", "Code", required=True),
        col("name", "Наименование", "Контрагент", "Наименование полное", "Name", required=True),
        col("inn", "ИНН", "INN"),
        col("kpp", "КПП", "KPP"),
        col("manager", "Менеджер", "Ответственный", "Основной менеджер", "Manager"),
        col("tier", "Категория", "Tier", "ABC"),
        col("holding", "Головной контрагент", "Холдинг", "Holding"),
    ),
    "contracts": (
        *CLIENT_REF,
        col("number", "Договор", "Номер договора", "Номер", "Contract", required=True),
        col("date", "Дата договора", "Дата", "Date"),
        col("deferral", "Отсрочка", "Отсрочка, дней", "Отсрочка платежа", "Deferral"),
        col("credit_limit", "Кредитный лимит", "Лимит", "Credit limit"),
        col("penalty", "Пени", "Ставка пени", "Пени, % в день", "Penalty"),
        col("currency", "Валюта", "Currency"),
    ),
    "orders": (
        col("number", "Номер", "Номер заказа", "Заказ", "Number", required=True),
        col("date", "Дата", "Дата заказа", "Date", required=True),
        *CLIENT_REF,
        col("contract", "Договор", "Contract"),
        col("status", "Статус", "Состояние", "Status"),
        col("amount", "Сумма", "Сумма документа", "Amount", required=True),
        col("ship_date", "Дата отгрузки", "Желаемая дата отгрузки", "Ship date"),
        col("currency", "Валюта", "Currency"),
    ),
    "order_lines": (
        col("order", "Номер заказа", "Заказ", "Order", required=True),
        col("order_date", "Дата заказа", "Дата", "Order date", required=True),
        col("line", "N", "№", "Номер строки", "Line"),
        col("code", "Артикул", "Код номенклатуры", "Code"),
        col("product", "Номенклатура", "Товар", "Product", required=True),
        col("quantity", "Количество", "Quantity", required=True),
        col("price", "Цена", "Price"),
        col("amount", "Сумма", "Amount", required=True),
    ),
    "shipments": (
        col("number", "Номер", "Номер документа", "Number", required=True),
        col("date", "Дата", "Дата документа", "Date", required=True),
        *CLIENT_REF,
        col("contract", "Договор", "Contract"),
        col("order", "Заказ", "Заказ покупателя", "Order"),
        col("amount", "Сумма", "Сумма документа", "Amount", required=True),
        col("due", "Срок оплаты", "Due"),
        col("base", "Основание", "Документ-основание", "Base"),
        col("currency", "Валюта", "Currency"),
    ),
    "payments": (
        col("number", "Номер", "Номер документа", "Number", required=True),
        col("date", "Дата", "Дата документа", "Date", required=True),
        *CLIENT_REF,
        col("contract", "Договор", "Contract"),
        col("shipment", "Документ расчетов", "Реализация", "Shipment"),
        col("amount", "Сумма", "Сумма документа", "Amount", required=True),
        col("currency", "Валюта", "Currency"),
    ),
    "prices": (
        col("code", "Артикул", "Код", "Code", required=True),
        col("product", "Номенклатура", "Наименование", "Product", required=True),
        col("price", "Цена", "Price", required=True),
        col("effective_from", "Дата начала действия", "Дата", "Effective from", required=True),
        col("unit", "Ед. изм.", "Единица", "Unit"),
        col("currency", "Валюта", "Currency"),
    ),
    "plans": (
        # The manager as the ERP writes them, or their Telegram id (in either column).
        col("manager", "Менеджер", "Ответственный", "Сотрудник", "Manager"),
        col("telegram_id", "Telegram ID", "Telegram", "Телеграм"),
        col("period", "Период", "Период плана", "Period", required=True),
        *CLIENT_REF,
        col("amount", "Сумма", "План", "Сумма плана", "Amount", "Plan", required=True),
    ),
}
CONTRACT_NUMBER = re.compile(r"№\s*([^\s,]+)")


class RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass(frozen=True)
class Rejected:
    row: int
    column: str
    reason: str
    value: str


@dataclass
class ImportSummary:
    kind: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # How long the switch held the write lock (the one transaction readers see at once).
    switch_seconds: float = 0.0


def manager_keys(name: str) -> list[str]:
    """Ways an ERP writes one person, most exact first: "иванов иван иванович",
    "иванов и и" (surname and initials), "иванов и" (surname and first initial)."""
    words = [w for w in re.split(r"[\s.]+", name.lower().replace("ё", "е")) if w]
    if not words:
        return []
    keys = [" ".join(words)]
    if len(words) >= 2:
        keys.append(" ".join([words[0], *(w[0] for w in words[1:])]))
        keys.append(f"{words[0]} {words[1][0]}")
    return list(dict.fromkeys(keys))


def manager_index(users: list[tuple[int, str]]) -> dict[str, int]:
    """key → user, keeping only keys that point at exactly one user (two Ivanovs I. must
    not be confused)."""
    owners: dict[str, set[int]] = {}
    for user_id, erp_name in users:
        for key in manager_keys(erp_name):
            owners.setdefault(key, set()).add(user_id)
    return {key: ids.pop() for key, ids in owners.items() if len(ids) == 1}


def match_manager(name: str, index: dict[str, int]) -> int | None:
    return next((index[k] for k in manager_keys(name) if k in index), None)


@dataclass
class Lookups:
    """What rows refer to, loaded once per import (one query each)."""

    by_code: dict[str, int]
    by_inn_kpp: dict[tuple[str, str], int]
    by_inn: dict[str, list[int]]
    by_name: dict[str, list[int]]
    owners: dict[int, tuple[int | None, str]]
    contracts: dict[tuple[int, str], tuple[int, int]]
    orders: dict[str, list[tuple[int, date, int]]]
    shipments: dict[str, list[tuple[int, date, int]]]
    managers: dict[str, int]
    # Loaded for plans only: active managers by Telegram id, and their user ids.
    managers_by_telegram: dict[int, int] = field(default_factory=dict)
    manager_ids: set[int] = field(default_factory=set)

    @classmethod
    async def load(cls, repo: ErpRepo) -> Lookups:
        by_code: dict[str, int] = {}
        by_inn_kpp: dict[tuple[str, str], int] = {}
        by_inn: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        owners: dict[int, tuple[int | None, str]] = {}
        for cid, code, inn, kpp, key, owner, source in await repo.client_keys():
            if code:
                by_code[code] = cid
            if inn:
                by_inn_kpp[(inn, kpp)] = cid
                by_inn.setdefault(inn, []).append(cid)
            by_name.setdefault(key, []).append(cid)
            owners[cid] = (owner, source)
        managers = manager_index(await repo.users_by_erp_name())
        return cls(
            by_code,
            by_inn_kpp,
            by_inn,
            by_name,
            owners,
            await repo.contract_keys(),
            await repo.document_ids(Order),
            await repo.document_ids(Shipment),
            managers,
        )

    def client(self, v: dict[str, Any]) -> int:
        code, inn, kpp = (
            parse_text(v.get("client_code")),
            inn_text(v.get("inn")),
            parse_text(v.get("kpp")),
        )
        name = parse_text(v.get("client"))
        if code and code in self.by_code:
            return self.by_code[code]
        if inn and (inn, kpp) in self.by_inn_kpp:
            return self.by_inn_kpp[(inn, kpp)]
        if inn and len(self.by_inn.get(inn, [])) == 1:
            return self.by_inn[inn][0]
        matches = self.by_name.get(search_key(name), []) if name else []
        if len(matches) == 1:
            return matches[0]
        column = "client_code" if code else "inn" if inn else "client"
        raise RowError(column, "unknown client" if code or inn or name else "no client given")

    def contract(self, client_id: int, text: object) -> tuple[int, int] | None:
        number = contract_number(parse_text(text))
        if not number:
            return None
        found = self.contracts.get((client_id, number))
        if found is None:
            raise RowError("contract", "unknown contract")
        return found

    @staticmethod
    def document(
        docs: dict[str, list[tuple[int, date, int]]],
        text: object,
        client_id: int | None,
        column: str,
    ) -> int | None:
        number = document_number(parse_text(text))
        if not number:
            return None
        candidates = [d for d in docs.get(number, []) if client_id is None or d[2] == client_id]
        if not candidates:
            raise RowError(column, "unknown document")
        return max(candidates, key=lambda d: d[1])[0]  # the latest of that number


def contract_number(text: str) -> str:
    """1C writes a contract as "Договор № 15/2026 от 01.01.2026": keep the number."""
    match = CONTRACT_NUMBER.search(text)
    return match.group(1) if match else text.strip()


def document_number(text: str) -> str:
    """ "Реализация товаров и услуг 00001 от 01.02.2026" → "00001"; a bare number stays."""
    text = text.strip()
    match = re.search(r"(\S+)\s+от\s+\d", text)
    return match.group(1) if match else text


def inn_text(value: object) -> str:
    """An ИНН read from a number cell loses its leading zero (0105012345 → 105012345)."""
    text = parse_text(value).replace(" ", "")
    if text.isdigit() and len(text) in (9, 11):
        text = "0" + text
    if len(text) > 12:
        raise RowError("inn", "longer than 12 characters")
    return text


def _money(
    v: dict[str, Any], column: str, *, required: bool = True, negative: bool = False
) -> Decimal | None:
    raw = v.get(column)
    if raw in (None, ""):
        if required:
            raise RowError(column, "empty")
        return None
    try:
        amount = parse_decimal(raw)
    except ValueError as exc:
        raise RowError(column, f"not an amount: {exc}") from None
    if amount < 0 and not negative:
        raise RowError(column, "negative amount")
    return amount


def _date(v: dict[str, Any], column: str, *, required: bool = True) -> date | None:
    raw = v.get(column)
    if raw in (None, ""):
        if required:
            raise RowError(column, "empty")
        return None
    try:
        return parse_date(raw)
    except ValueError:
        raise RowError(column, "not a date") from None


def _day(v: dict[str, Any], column: str) -> date:
    day = _date(v, column)
    if day is None:  # _date raises for a required empty cell; this satisfies the types
        raise RowError(column, "empty")
    return day


def _text(v: dict[str, Any], column: str, limit: int, *, required: bool = False) -> str:
    text = parse_text(v.get(column))
    if required and not text:
        raise RowError(column, "empty")
    if len(text) > limit:
        raise RowError(column, f"longer than {limit} characters")
    return text


def validate(kind: str, v: dict[str, Any], look: Lookups) -> dict[str, Any]:
    """One row → what is staged (resolved ids, typed values), or RowError."""
    currency = (_text(v, "currency", 3) or "RUB").upper()
    if kind == "clients":
        inn = inn_text(v.get("inn"))
        if inn and not valid_inn(inn):
            raise RowError("inn", "invalid ИНН")
        tier = _text(v, "tier", 1).upper()
        if tier and tier not in ("A", "B", "C"):
            raise RowError("tier", "tier must be A, B or C")
        return {
            "external_id": _text(v, "code", 64, required=True),
            "name": _text(v, "name", 512, required=True),
            "inn": inn or None,
            "kpp": _text(v, "kpp", 9),
            "tier": tier or None,
            "manager": _text(v, "manager", 256) or None,
            "holding": _text(v, "holding", 64) or None,
        }
    if kind == "contracts":
        client_id = look.client(v)
        deferral = 0
        if v.get("deferral") not in (None, ""):
            try:
                deferral = parse_int(v.get("deferral"))
            except ValueError:
                raise RowError("deferral", "not a whole number of days") from None
            if not 0 <= deferral <= 3650:
                raise RowError("deferral", "out of range")
        penalty = _money(v, "penalty", required=False)
        signed = _date(v, "date", required=False)
        limit = _money(v, "credit_limit", required=False)
        return {
            "client_id": client_id,
            "number": contract_number(_text(v, "number", 128, required=True)),
            "signed_on": signed.isoformat() if signed else None,
            "deferral_days": deferral,
            "credit_limit": str(limit) if limit is not None else None,
            "penalty_rate": str(penalty) if penalty is not None else None,
            "currency": currency,
        }
    if kind == "orders":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        ship = _date(v, "ship_date", required=False)
        return {
            "number": _text(v, "number", 64, required=True),
            "order_date": _day(v, "date").isoformat(),
            "client_id": client_id,
            "contract_id": contract[0] if contract else None,
            "status": _text(v, "status", 64),
            "amount": str(_money(v, "amount")),
            "currency": currency,
            "ship_date": ship.isoformat() if ship else None,
        }
    if kind == "order_lines":
        order_day = _date(v, "order_date")
        number = _text(v, "order", 64, required=True)
        matches = [d for d in look.orders.get(document_number(number), []) if d[1] == order_day]
        if not matches:
            raise RowError("order", "unknown order")
        try:
            quantity = (
                parse_quantity(v.get("quantity")) if v.get("quantity") not in (None, "") else None
            )
        except ValueError as exc:
            raise RowError("quantity", f"not a quantity: {exc}") from None
        if quantity is None:
            raise RowError("quantity", "empty")
        line = parse_int(v.get("line")) if v.get("line") not in (None, "") else None
        return {
            "order_id": matches[0][0],
            "line_no": line,
            "product_code": _text(v, "code", 64) or None,
            "product_name": _text(v, "product", 512, required=True),
            "quantity": str(quantity),
            "price": str(_money(v, "price", required=False) or Decimal("0")),
            "amount": str(_money(v, "amount")),
        }
    if kind == "shipments":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        shipped = _day(v, "date")
        due = _date(v, "due", required=False) or shipped + timedelta(
            days=contract[1] if contract else 0
        )
        amount = _money(v, "amount", negative=True)
        base = document_number(_text(v, "base", 128))
        return {
            "number": _text(v, "number", 64, required=True),
            "shipped_on": shipped.isoformat(),
            "client_id": client_id,
            "contract_id": contract[0] if contract else None,
            "order_id": Lookups.document(look.orders, v.get("order"), client_id, "order"),
            "amount": str(amount),
            "currency": currency,
            "due_on": due.isoformat(),
            "base": base or None,
        }
    if kind == "payments":
        client_id = look.client(v)
        contract = look.contract(client_id, v.get("contract"))
        paid = _day(v, "date")
        return {
            "number": _text(v, "number", 64, required=True),
            "paid_on": paid.isoformat(),
            "client_id": client_id,
            "contract_id": contract[0] if contract else None,
            "shipment_id": Lookups.document(
                look.shipments, v.get("shipment"), client_id, "shipment"
            ),
            "amount": str(_money(v, "amount")),
            "currency": currency,
        }
    if kind == "plans":
        return _validate_plan(v, look)
    if kind == "prices":
        return {
            "code": _text(v, "code", 64, required=True),
            "name": _text(v, "product", 512, required=True),
            "unit": _text(v, "unit", 16) or None,
            "price": str(_money(v, "price")),
            "effective_from": _day(v, "effective_from").isoformat(),
            "currency": currency,
        }
    raise ValueError(kind)


Progress = Callable[[int], Awaitable[None]]


async def stage_file(
    database: Database,
    kind: str,
    path: Path,
    *,
    run_id: int,
    progress: Progress | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    beat: Callable[[], datetime] | None = None,
) -> ImportSummary:
    """Parse and validate the file into the staging area: reading happens in a worker
    thread, each batch is its own short transaction (which touches the run's heartbeat)."""
    summary = ImportSummary(kind)
    async with database.read() as session:
        look = await Lookups.load(ErpRepo(session))
        if kind == "plans":
            await _load_plan_managers(Repos(session), look)
    rows: Iterator[RawRow] = read_rows(path, COLUMNS[kind], max_bytes=max_bytes)
    seen_in_file: set[tuple[Any, ...]] = set()

    def checked(batch: list[RawRow]) -> list[tuple[int, dict[str, Any]]] | None:
        if not batch:
            return None
        staged: list[tuple[int, dict[str, Any]]] = []
        for raw in batch:
            summary.read += 1
            try:
                data = validate(kind, raw.values, look)
            except RowError as exc:
                value = parse_text(raw.values.get(exc.column))[:100]
                summary.rejected.append(Rejected(raw.number, exc.column, exc.reason, value))
                continue
            key = _natural_key(kind, data, raw.number)
            inn_key = (
                ("inn", data["inn"], data["kpp"]) if kind == "clients" and data["inn"] else None
            )
            if key in seen_in_file or inn_key in seen_in_file:
                summary.rejected.append(Rejected(raw.number, "", "repeats an earlier row", ""))
                continue
            seen_in_file.add(key)
            if inn_key:
                seen_in_file.add(inn_key)
            staged.append((raw.number, data))
            if kind == "orders":  # lines in the same import run may name these orders later
                look.orders.setdefault(data["number"], [])
        return staged

    while True:
        if VALIDATE_IN_THREAD:
            # Read and validate in a worker thread: a batch's validation (tens of
            # milliseconds) would otherwise stall every update the bot handles meanwhile.
            staged = await asyncio.to_thread(lambda: checked(list(islice(rows, BATCH))))
        else:  # as before: validated in the loop (bench/import_lock.py --in-loop compares)
            staged = checked(await asyncio.to_thread(lambda: list(islice(rows, BATCH))))
        if staged is None:
            break
        await asyncio.sleep(0)  # the loop's turn before this batch's transaction
        async with database.transaction() as session:
            await ErpRepo(session).stage(run_id, staged)
            if beat is not None:
                await ErpRepo(session).beat(run_id, "staging", beat())
        if progress is not None:
            await progress(summary.read)
    return summary


def _natural_key(kind: str, data: dict[str, Any], row: int) -> tuple[Any, ...]:
    if kind == "plans":  # a whole-book plan (no client) is one scope too
        return ("plan", data["user_id"], data["client_id"], data["start"], data["end"])
    keys = {
        "clients": ("external_id",),
        "contracts": ("client_id", "number"),
        "orders": ("number", "order_date"),
        "order_lines": ("order_id", "line_no"),
        "shipments": ("number", "shipped_on"),
        "payments": ("number", "paid_on"),
        "prices": ("code", "effective_from"),
    }[kind]
    key = tuple(data[k] for k in keys)
    return key if None not in key else (row,)


MODELS: dict[str, Any] = {
    "clients": Client,
    "contracts": Contract,
    "orders": Order,
    "order_lines": OrderLine,
    "shipments": Shipment,
    "payments": Payment,
    "prices": Price,
}


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _m(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


async def keep_open_amounts(repo: ErpRepo, client_ids: set[int] | None) -> None:
    """Re-allocate these clients' payments (None: every client's) and keep each shipment's
    open amount, so reports sum it in SQL. Runs in the import's own transaction."""

    if client_ids is not None and not client_ids:
        return
    ship_rows, pay_rows = await repo.receivable_facts(client_ids)
    await repo.set_open_amounts(
        open_amounts([ShipmentFact(*r) for r in ship_rows], [PaymentFact(*r) for r in pay_rows])
    )


async def _pend_documents(
    session: AsyncSession,
    kind: str,
    rows: list[dict[str, Any]],
    counts: UpsertCounts,
    now: datetime,
    bases: list[tuple[str, str, int, str]],
    pending_run: int,
) -> set[int]:
    """Type the rows and resolve them into the run's pending operations (see
    storage.erp.upsert); the ids returned are those of stored rows."""
    alive = {"removed_in_erp": False}
    if kind == "contracts":
        typed = [
            {**r, "signed_on": _d(r["signed_on"]), "credit_limit": _m(r["credit_limit"]), **alive}
            for r in rows
        ]
        ids = await upsert(
            session,
            Contract,
            ("client_id", "number"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
            pending_run=pending_run,
        )
    elif kind == "orders":
        typed = [
            {
                **r,
                "order_date": _d(r["order_date"]),
                "ship_date": _d(r["ship_date"]),
                "amount": _m(r["amount"]),
                **alive,
            }
            for r in rows
        ]
        # The ERP exports only the current status; each change seen by an import is kept,
        # so /order can show the order's history as far as the bot has seen it: the pending
        # operation keeps the status before, and the switch audits the change.
        ids = await upsert(
            session,
            Order,
            ("number", "order_date"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
            pending_run=pending_run,
            track="status",
        )
    elif kind == "order_lines":
        typed = [
            {
                **r,
                "line_no": r["line_no"] if r["line_no"] is not None else index,
                "quantity": Decimal(r["quantity"]),
                "price": _m(r["price"]),
                "amount": _m(r["amount"]),
                **alive,
            }
            for index, r in enumerate(rows, start=1)
        ]
        ids = await upsert(
            session, OrderLine, ("order_id", "line_no"), typed, counts, pending_run=pending_run
        )
    elif kind == "shipments":
        # A return names its base shipment by number, perhaps later in this same file:
        # bases are linked once every shipment of the file is in (see _link_bases).
        typed = []
        for r in rows:
            base = r.pop("base", None)
            if base:
                bases.append((r["number"], r["shipped_on"], r["client_id"], base))
            typed.append(
                {
                    **r,
                    "shipped_on": _d(r["shipped_on"]),
                    "due_on": _d(r["due_on"]),
                    "amount": _m(r["amount"]),
                    **alive,
                }
            )
        ids = await upsert(
            session,
            Shipment,
            ("number", "shipped_on"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
            pending_run=pending_run,
        )
    elif kind == "payments":
        typed = [
            {**r, "paid_on": _d(r["paid_on"]), "amount": _m(r["amount"]), **alive} for r in rows
        ]
        ids = await upsert(
            session,
            Payment,
            ("number", "paid_on"),
            typed,
            counts,
            extra_on_write={"updated_at": now},
            pending_run=pending_run,
        )
    else:
        raise ValueError(kind)
    return set(ids.values())


async def run_import(
    database: Database,
    kind: str,
    path: Path,
    *,
    file_name: str,
    snapshot: bool,
    actor_id: int | None,
    now: datetime,
    texts: Any,
    progress: Progress | None = None,
    max_bytes: int = 20 * 1024 * 1024,
) -> ImportSummary:
    if kind not in KINDS:
        raise ErpFileError("import-error-kind", kind=kind)
    # A run killed earlier would hold the one-import guard for ever: cleared first.
    await clear_abandoned_imports(database, now=now, texts=texts)
    started = time.monotonic()

    def beat() -> datetime:
        # The import's own moment plus the time it has run: `now` is injected (tests
        # freeze it), the heartbeat must still move as the import does.
        return now + timedelta(seconds=time.monotonic() - started)

    async with database.transaction() as session:
        repo = ErpRepo(session)
        run_id = await repo.start_run(kind, file_name, snapshot, actor_id, now)
        active = await repo.active_run() if run_id is None else None
    if run_id is None:
        raise ErpFileError(
            "import-error-busy",
            kind=active[1] if active else "",
            file=active[2] if active else "",
        )
    try:
        summary = await stage_file(
            database,
            kind,
            path,
            run_id=run_id,
            progress=progress,
            max_bytes=max_bytes,
            beat=beat,
        )
        if kind in PREPARED:
            await prepare_documents(
                database, kind, run_id, summary, snapshot=snapshot, now=now, beat=beat
            )
        elif kind == "clients":
            await prepare_clients(database, run_id, summary, snapshot=snapshot, now=now, beat=beat)
        elif kind == "prices":
            await prepare_prices(database, run_id, summary, snapshot=snapshot, now=now, beat=beat)
        else:
            await prepare_plans(database, run_id, summary, now=now, beat=beat)
        switch_started = time.perf_counter()
        async with database.transaction() as session:
            repos = Repos(session)
            repo = ErpRepo(session)
            for table in SWITCHED_TABLES.get(kind, (kind,)):
                if not await repo.pending_is_consistent(table, run_id):
                    raise RuntimeError(f"import run {run_id}: rows changed since prepared")
            if kind in PREPARED:
                await repo.switch(kind, run_id, SWITCHED_COLUMNS[kind], now=now)
            elif kind == "clients":
                await _switch_clients(repos, run_id, summary, now=now, texts=texts)
            elif kind == "prices":
                await repo.switch_prices(run_id, now=now)
            else:
                await repo.switch_plans(run_id, actor_id=actor_id, now=now)
            if not await repo.finish_run(run_id, "applied", _counts(summary), now):
                raise ImportAbandonedError(run_id)  # rolls the switch back
            if summary.conflicts:
                await _tell_admins_of_conflicts(repos, summary, now=now, texts=texts)
        summary.switch_seconds = time.perf_counter() - switch_started
    except BaseException:
        async with database.transaction() as session:
            await ErpRepo(session).finish_run(run_id, "failed", {}, now)
        raise
    finally:
        await drop_run_rows(database, run_id)
    return summary


class ImportAbandonedError(Exception):
    """The run was cleared as abandoned (its heartbeat stopped for too long) before its
    switch: nothing of it is applied."""


async def drop_run_rows(database: Database, run_id: int) -> int:
    """Delete a finished run's staged and pending rows, a batch per short transaction."""
    dropped = 0
    while True:
        async with database.transaction() as session:
            removed = await ErpRepo(session).drop_batch(run_id, BATCH * 5)
        if not removed:
            return dropped
        dropped += removed


async def clear_abandoned_imports(database: Database, *, now: datetime, texts: Any) -> int:
    """Runs whose heartbeat stopped over ABANDON_AFTER ago (killed, or left by a crash) are
    marked abandoned, the admins told in their language (through the outbox, in the same
    transaction), and their staged and pending rows deleted in batches. Safe with several
    processes: a live run beats every batch, and marking is conditional on it being
    unfinished. Returns how many runs were abandoned now."""

    async with database.transaction() as session:
        repos = Repos(session)
        repo = ErpRepo(session)
        stale = await repo.stale_runs(now - ABANDON_AFTER)
        abandoned = []
        settings = await load_settings(repos) if stale else None
        recipients = await admins(repos) if stale else []
        for run_id, kind, file_name, _started_by in stale:
            if settings is None or not await repo.abandon_run(run_id, now):
                continue
            abandoned.append(run_id)
            logger.warning(
                "import run %s (%s, %s) abandoned: no heartbeat", run_id, kind, file_name
            )
            for admin in recipients:
                await notify_user(
                    repos,
                    admin,
                    kind="import_abandoned",
                    subject=f"run:{run_id}",
                    text=texts.get(admin.language)("import-abandoned", kind=kind, file=file_name),
                    now=now,
                    quiet=settings.quiet_hours,
                    once=True,
                )
        leftovers = await repo.leftover_runs()
    for run_id in leftovers:
        await drop_run_rows(database, run_id)
    return len(abandoned)


async def prepare_documents(
    database: Database,
    kind: str,
    run_id: int,
    summary: ImportSummary,
    *,
    snapshot: bool,
    now: datetime,
    beat: Callable[[], datetime],
) -> None:
    """Resolve the staged rows into the run's pending operations, a batch per short
    transaction: nothing the bot shows changes until the switch."""
    counts = UpsertCounts()
    seen: set[int] = set()
    touched: set[int] = set()
    bases: list[tuple[str, str, int, str]] = []
    after = 0
    while True:
        async with database.read() as session:
            chunk = await ErpRepo(session).staged(run_id, after_id=after, limit=BATCH)
        if not chunk:
            break
        after = chunk[-1][0]
        rows = [data for _, _, data in chunk]
        touched |= {int(r["client_id"]) for r in rows if r.get("client_id") is not None}
        async with database.transaction() as session:
            seen |= await _pend_documents(
                session, kind, rows, counts, now, bases, pending_run=run_id
            )
            await ErpRepo(session).beat(run_id, "preparing", beat())
    if snapshot:
        await _pend_removals(database, kind, run_id, seen, summary, beat)
    if bases:
        await _prepare_bases(database, run_id, bases)
    if kind in ("shipments", "payments"):
        await _prepare_open_amounts(
            database, kind, run_id, None if snapshot else touched, beat=beat
        )
    summary.inserted, summary.updated, summary.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )


async def _pending_all(
    database: Database, kind: str, run_id: int, ops: tuple[str, ...]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        async with database.read() as session:
            page = await ErpRepo(session).pending(
                kind, run_id, ops, after_id=after, limit=BATCH * 5
            )
        if not page:
            return found
        found += page
        after = page[-1]["id"]


async def _prepare_bases(
    database: Database, run_id: int, bases: list[tuple[str, str, int, str]]
) -> None:
    """A return names its base shipment by number: the latest of that number for the same
    client, stored or new in this file; kept as a 'base' operation by natural key."""
    async with database.read() as session:
        numbers = await ErpRepo(session).document_ids(Shipment)
    for row in await _pending_all(database, "shipments", run_id, ("insert",)):
        numbers.setdefault(row["number"], []).append((0, row["shipped_on"], row["client_id"]))
    links = []
    for number, shipped_on, client_id, base in bases:
        candidates = [d for d in numbers.get(base, []) if d[2] == client_id]
        if candidates:
            links.append(
                {
                    "number": number,
                    "shipped_on": date.fromisoformat(shipped_on),
                    "base_number": base,
                    "base_shipped_on": max(candidates, key=lambda d: d[1])[1],
                }
            )
    for start in range(0, len(links), BATCH):
        async with database.transaction() as session:
            await ErpRepo(session).add_pending(
                "shipments", run_id, "base", links[start : start + BATCH]
            )


async def _prepare_open_amounts(
    database: Database,
    kind: str,
    run_id: int,
    client_ids: set[int] | None,
    *,
    beat: Callable[[], datetime],
) -> None:
    """The open amounts the shipments will have after the switch: these clients' stored
    facts (None: every client's) with the run's operations laid over them, allocated as
    keep_open_amounts does. New shipments get theirs in their pending row; stored ones whose
    amount changes get an 'open' operation."""

    if client_ids is not None and not client_ids:
        return
    async with database.read() as session:
        repo = ErpRepo(session)
        ship_rows, pay_rows = await repo.receivable_facts(client_ids)
        stored = await repo.stored_open_amounts(client_ids)
    ships: dict[int, ShipmentFact] = {r[0]: ShipmentFact(*r) for r in ship_rows}
    pays: dict[int, PaymentFact] = {r[0]: PaymentFact(*r) for r in pay_rows}
    changes = await _pending_all(database, kind, run_id, ("insert", "update", "remove"))
    for op in changes:
        key = op["target_id"] if op["op"] != "insert" else -op["id"]
        if op["op"] == "remove":
            if kind == "shipments":
                ships.pop(key, None)
            else:
                pays.pop(key, None)
            continue
        if client_ids is not None and op["client_id"] not in client_ids:
            continue
        if kind == "shipments":
            before = ships.get(key)
            ships[key] = ShipmentFact(
                key,
                op["number"],
                op["shipped_on"],
                op["due_on"],
                op["amount"],
                op["currency"],
                op["client_id"],
                op["contract_id"],
                before.base_shipment_id if before else None,
            )
        else:
            pays[key] = PaymentFact(
                key,
                op["paid_on"],
                op["amount"],
                op["currency"],
                op["client_id"],
                op["contract_id"],
                op["shipment_id"],
            )
    if kind == "shipments":
        by_key = {(f.number, f.shipped_on): f.id for f in ships.values()}
        for link in await _pending_all(database, kind, run_id, ("base",)):
            own = by_key.get((link["number"], link["shipped_on"]))
            base = by_key.get((link["base_number"], link["base_shipped_on"]))
            if own is not None and base is not None:
                ships[own] = dataclasses.replace(ships[own], base_shipment_id=base)
    async with database.transaction() as session:
        await ErpRepo(session).beat(run_id, "preparing", beat())
    amounts = await asyncio.to_thread(open_amounts, list(ships.values()), list(pays.values()))
    new = [(-i, a) for i, a in amounts if i < 0]
    changed = [
        {"target_id": i, "open_amount": a} for i, a in amounts if i > 0 and stored.get(i) != a
    ]
    for start in range(0, max(len(new), len(changed)), BATCH):
        async with database.transaction() as session:
            repo = ErpRepo(session)
            await repo.set_pending_open(run_id, new[start : start + BATCH])
            await repo.add_pending("shipments", run_id, "open", changed[start : start + BATCH])
            await repo.beat(run_id, "preparing", beat())


def _counts(summary: ImportSummary) -> dict[str, int]:
    return {
        "read": summary.read,
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": len(summary.rejected),
        "removed": summary.removed,
        "conflicts": len(summary.conflicts),
    }


async def _tell_admins_of_conflicts(
    repos: Repos, summary: ImportSummary, *, now: datetime, texts: Any
) -> None:

    settings = await load_settings(repos)
    for admin in await admins(repos):
        await notify_user(
            repos,
            admin,
            kind="import_conflict",
            subject=f"{now.isoformat()}",
            text=texts.get(admin.language)(
                "import-ownership-conflict",
                count=len(summary.conflicts),
                codes=", ".join(summary.conflicts[:20]),
            ),
            now=now,
            quiet=settings.quiet_hours,
            urgent=True,
        )


def rejected_csv(summary: ImportSummary) -> bytes:
    """The rejected rows with their reasons, for the admin to fix and send again."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["row", "column", "reason", "value"])
    for r in summary.rejected:
        writer.writerow([r.row, r.column, r.reason, r.value])
    return buffer.getvalue().encode("utf-8-sig")


async def attach_erp_clients(repos: Repos, user_id: int, erp_name: str, *, now: datetime) -> int:
    """A user whose ERP name matches clients imported before they registered gets them."""
    index = manager_index([(user_id, erp_name)])
    erp = ErpRepo(repos.session)
    matching = [
        cid
        for cid, manager in await erp.unowned_with_erp_manager()
        if match_manager(manager, index) == user_id
    ]
    for client_id in matching:
        await repos.clients.reassign(client_id, user_id, source="erp", actor_id=None, now=now)
    return len(matching)


# --- plans ------------------------------------------------------------------------------------


async def _load_plan_managers(repos: Repos, look: Lookups) -> None:

    managers = await repos.users.with_role(Role.MANAGER)
    look.managers_by_telegram = {m.telegram_id: m.id for m in managers}
    look.manager_ids = {m.id for m in managers}


def _validate_plan(v: dict[str, Any], look: Lookups) -> dict[str, Any]:
    """A plan row: a manager (ERP name or Telegram id), a period ("11.2026", "Q4 2026",
    "4 кв. 2026", or a date cell: its month), optionally one of their clients, an amount."""

    name = _text(v, "manager", 256)
    telegram, column = parse_text(v.get("telegram_id")).replace(" ", ""), "telegram_id"
    if not telegram and name.isdigit():  # a Telegram id in the manager's column
        telegram, column, name = name, "manager", ""
    if telegram:
        if not telegram.isdigit():
            raise RowError(column, "not a Telegram id")
        user_id = look.managers_by_telegram.get(int(telegram))
        if user_id is None:
            raise RowError(column, "no manager with this Telegram id")
    elif name:
        column = "manager"
        user_id = match_manager(name, look.managers)
        if user_id is None:
            raise RowError(column, "unknown manager")
    else:
        raise RowError("manager", "no manager given")
    if user_id not in look.manager_ids:
        raise RowError(column, "not an active manager")
    raw = v.get("period")
    try:
        if isinstance(raw, date):  # an Excel date cell: that month
            period = month_of(raw.date() if isinstance(raw, datetime) else raw)
        else:
            period = parse_period(parse_text(raw))
    except ValueError:
        raise RowError("period", "not a period (11.2026, Q4 2026, 4 кв. 2026)") from None
    client_id = None
    given = [c.name for c in CLIENT_REF if parse_text(v.get(c.name))]
    if given:
        client_id = look.client(v)
        if look.owners.get(client_id, (None, ""))[0] != user_id:
            raise RowError(given[0], "not this manager's client")
    amount = _money(v, "amount")
    if amount is None or amount <= 0:
        raise RowError("amount", "must be a positive amount")
    return {
        "user_id": user_id,
        "client_id": client_id,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "amount": str(amount),
    }


# --- clients, prices and plans: prepared like the documents ------------------------------------

# The pending tables a kind's switch reads, when not the kind's own.
SWITCHED_TABLES: dict[str, tuple[str, ...]] = {"prices": ("products", "prices")}
# The ERP columns of a client an import writes (the tier only when the file gives one).
CLIENT_ERP_COLUMNS = ("name", "search_key", "inn", "kpp", "erp_manager", "removed_in_erp")


async def _staged_batches(database: Database, run_id: int) -> AsyncIterator[list[dict[str, Any]]]:
    """The run's staged rows, a batch per short read; the loop gets a turn between."""
    after = 0
    while True:
        async with database.read() as session:
            chunk = await ErpRepo(session).staged(run_id, after_id=after, limit=BATCH)
        if not chunk:
            return
        after = chunk[-1][0]
        yield [data for _, _, data in chunk]
        await asyncio.sleep(0)


async def _pend_removals(
    database: Database,
    kind: str,
    run_id: int,
    seen: set[int],
    summary: ImportSummary,
    beat: Callable[[], datetime],
) -> None:
    """A snapshot: what is stored and absent from the file is removed at the switch."""
    async with database.read() as session:
        gone = sorted(await ErpRepo(session).all_ids(MODELS[kind]) - seen)
    summary.removed = len(gone)
    for start in range(0, len(gone), BATCH):
        async with database.transaction() as session:
            repo = ErpRepo(session)
            await repo.add_pending(
                kind, run_id, "remove", [{"target_id": i} for i in gone[start : start + BATCH]]
            )
            await repo.beat(run_id, "preparing", beat())


def client_operation(
    row: dict[str, Any],
    stored: dict[str, Any] | None,
    prospect: int | None,
    owner: int | None,
    *,
    now: datetime,
) -> dict[str, Any]:
    """A file's client as a pending operation: an update of a stored client whose ERP
    columns differ ("keep" when none does), the ERP code attached to a prospect made in the
    chat with the same ИНН and КПП, or a new client. Each carries the owner the file names
    and its holding's code, both decided at the switch."""
    erp = {
        "external_id": row["external_id"],
        "name": row["name"],
        "search_key": search_key(row["name"]),
        "inn": row["inn"],
        "kpp": row["kpp"],
        "erp_manager": row["manager"],
        "removed_in_erp": False,
        "tier": row["tier"],
        "owner_id": owner,
        "holding_code": row["holding"],
    }
    if stored is not None:
        differs = any(stored[c] != erp[c] for c in CLIENT_ERP_COLUMNS) or (
            row["tier"] is not None and stored["tier"] != row["tier"]
        )
        return {**erp, "op": "update" if differs else "keep", "target_id": stored["id"]}
    if prospect is not None:
        return {**erp, "op": "attach", "target_id": prospect}
    return {
        **erp,
        "op": "insert",
        "tier": row["tier"] or "C",
        "is_key": False,
        "owner_source": "erp",
        "created_at": now,
        "updated_at": now,
    }


async def prepare_clients(
    database: Database,
    run_id: int,
    summary: ImportSummary,
    *,
    snapshot: bool,
    now: datetime,
    beat: Callable[[], datetime],
) -> None:
    """Resolve the staged clients into pending operations, a batch per short transaction."""
    async with database.read() as session:
        look = await Lookups.load(ErpRepo(session))
    seen: set[int] = set()
    async for rows in _staged_batches(database, run_id):
        async with database.read() as session:
            stored = await ErpRepo(session).stored_clients([r["external_id"] for r in rows])
        ops = []
        for r in rows:
            found = stored.get(r["external_id"])
            prospect = look.by_inn_kpp.get((r["inn"], r["kpp"])) if r["inn"] else None
            owner = match_manager(r["manager"], look.managers) if r["manager"] else None
            op = client_operation(r, found, prospect, owner, now=now)
            if op["op"] == "insert":
                summary.inserted += 1
            elif op["op"] == "keep":
                summary.unchanged += 1
            else:
                summary.updated += 1
            if op.get("target_id") is not None:
                seen.add(op["target_id"])
            if op["op"] != "keep" or owner is not None or r["holding"]:
                ops.append(op)
        async with database.transaction() as session:
            await ErpRepo(session).add_pending_ops("clients", run_id, ops)
            await ErpRepo(session).beat(run_id, "preparing", beat())
    if snapshot:
        await _pend_removals(database, "clients", run_id, seen, summary, beat)


def owner_decisions(
    asked: list[tuple[int, str, str, int | None, str, int]],
) -> tuple[list[tuple[int, str, int | None, int]], list[str]]:
    """The owner changes a file asks for, as the clients stand at the switch: (client id,
    code, name, owner, owner source, wanted owner). A hand-over made in the chat wins (the
    client keeps its owner, the code is reported as a conflict); otherwise the client moves.
    Returns (changes as (client id, name, owner, new owner), conflicting codes)."""
    changes, conflicts = [], []
    for client_id, code, name, owner, source, wanted in asked:
        if owner == wanted:
            continue
        if owner is not None and source == "chat":
            conflicts.append(code)
        else:
            changes.append((client_id, name, owner, wanted))
    return changes, conflicts


async def _switch_clients(
    repos: Repos, run_id: int, summary: ImportSummary, *, now: datetime, texts: Any
) -> None:

    asked, first_owners = await ErpRepo(repos.session).switch_clients(
        run_id, now, names=NAMES_SHOWN
    )
    changes, summary.conflicts = owner_decisions(asked)
    await reassign_clients(
        repos,
        changes,
        now=now,
        texts=texts,
        source="erp",
        run_id=run_id,
        new_clients=first_owners,
    )


async def prepare_prices(
    database: Database,
    run_id: int,
    summary: ImportSummary,
    *,
    snapshot: bool,
    now: datetime,
    beat: Callable[[], datetime],
) -> None:
    """Products first (the file's last name and unit of each code; new ones inserted at
    the switch), then the prices by product and effective date: a price of a new product
    keeps the product's code, its id being known at the switch."""
    products: dict[str, dict[str, Any]] = {}
    async for rows in _staged_batches(database, run_id):
        for r in rows:
            products[r["code"]] = {
                "code": r["code"],
                "name": r["name"],
                "search_key": search_key(r["name"]),
                "unit": r["unit"],
            }
    codes = list(products)
    product_ids: dict[str, int] = {}
    for start in range(0, len(codes), BATCH):
        part = codes[start : start + BATCH]
        async with database.read() as session:
            stored = await ErpRepo(session).stored_products(part)
        ops = []
        for code in part:
            found, wanted = stored.get(code), products[code]
            if found is None:
                ops.append({**wanted, "op": "insert"})
                continue
            product_ids[code] = found["id"]
            if any(found[c] != v for c, v in wanted.items()):
                ops.append({**wanted, "op": "update", "target_id": found["id"]})
        async with database.transaction() as session:
            await ErpRepo(session).add_pending_ops("products", run_id, ops)
            await ErpRepo(session).beat(run_id, "preparing", beat())
    counts = UpsertCounts()
    seen: set[int] = set()
    async for rows in _staged_batches(database, run_id):
        typed = [
            {
                "product_id": product_ids.get(r["code"]),
                "price": _m(r["price"]),
                "currency": r["currency"],
                "effective_from": _d(r["effective_from"]),
                "removed_in_erp": False,
            }
            for r in rows
        ]
        new_products = [
            {**t, "op": "insert", "updated_at": now, "product_code": r["code"]}
            for t, r in zip(typed, rows, strict=True)
            if t["product_id"] is None
        ]
        async with database.transaction() as session:
            ids = await upsert(
                session,
                Price,
                ("product_id", "effective_from"),
                [t for t in typed if t["product_id"] is not None],
                counts,
                extra_on_write={"updated_at": now},
                pending_run=run_id,
            )
            await ErpRepo(session).add_pending_ops("prices", run_id, new_products)
            await ErpRepo(session).beat(run_id, "preparing", beat())
        counts.inserted += len(new_products)
        seen |= set(ids.values())
    if snapshot:
        await _pend_removals(database, "prices", run_id, seen, summary, beat)
    summary.inserted, summary.updated, summary.unchanged = (
        counts.inserted,
        counts.updated,
        counts.unchanged,
    )


async def prepare_plans(
    database: Database,
    run_id: int,
    summary: ImportSummary,
    *,
    now: datetime,
    beat: Callable[[], datetime],
) -> None:
    """Plans by (manager, client, period): new, changed (the amount before kept for the
    audit at the switch) or unchanged. A file never removes a plan."""
    async for rows in _staged_batches(database, run_id):
        async with database.read() as session:
            stored = await ErpRepo(session).stored_plans({int(r["user_id"]) for r in rows})
        ops = []
        for r in rows:
            key = (
                int(r["user_id"]),
                int(r["client_id"]) if r["client_id"] is not None else None,
                date.fromisoformat(r["start"]),
                date.fromisoformat(r["end"]),
            )
            amount = Decimal(r["amount"])
            found = stored.get(key)
            if found is not None and found[1] == amount:
                summary.unchanged += 1
                continue
            plan: dict[str, Any] = {
                **dict(
                    zip(("user_id", "client_id", "period_start", "period_end"), key, strict=True)
                ),
                "amount": amount,
                "currency": "RUB",
                "updated_at": now,
            }
            if found is None:
                ops.append({**plan, "op": "insert"})
                summary.inserted += 1
            else:
                ops.append(
                    {**plan, "op": "update", "target_id": found[0], "previous_amount": found[1]}
                )
                summary.updated += 1
        async with database.transaction() as session:
            await ErpRepo(session).add_pending_ops("plans", run_id, ops)
            await ErpRepo(session).beat(run_id, "preparing", beat())
